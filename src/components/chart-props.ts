/** Props shared by the components that query a metric or SQL (charts and Table). */
import type { ChartType } from '../lib/charts/chart-options.ts';
import type { Unit } from '../lib/format.ts';
import type { Grain } from '../lib/model-schema.ts';

/** Where the rows come from: a metric (the query is generated from the model) or raw SQL. */
export interface QueryProps {
  /** A metric id from data/model/metrics.yaml; the query is generated from the model. */
  metric?: string;
  /** With `metric`: split into series by "business_line" or one of the metric's dimensions. */
  by?: string;
  /** With `metric`: "month" (default) or "week". */
  grain?: Grain;
  /** With `metric`: "All" (default), a business line, or "$input" to follow an input. */
  businessLine?: string;
  /** With `metric`: first and last period shown, YYYY-MM, or "$input_from" / "$input_to". */
  from?: string;
  to?: string;
  /** Or raw SQL over the snapshot's tables; `$name` reads the input called name. */
  sql?: string;
}

/** The props every chart component takes (Chart.astro and its LineChart, BarChart, AreaChart, DotChart). */
export interface ChartProps extends QueryProps {
  /** The heading above the chart: say what to see. Example: "Production overtook Casting in spring". */
  title: string;
  /** One line under the title: what is measured, in what. */
  subtitle?: string;
  /** With `sql`: the column for the horizontal axis (dates or categories). */
  x?: string;
  /** With `sql`: the number column. */
  y?: string;
  /** With `sql`: the column that splits rows into series. (`stroke` is accepted too.) */
  series?: string;
  stroke?: string;
  /** "line" (default), "bar", "area" or "dot". */
  type?: ChartType;
  /** Bars: "stacked" (default) or "grouped". */
  layout?: 'stacked' | 'grouped';
  /** Format of the values: count, currency, percent, ratio or duration. Default: the metric's unit, else count. */
  unit?: Unit;
  /** Draw a target line: `true` takes the metric's target from the model; a number draws that value. */
  target?: boolean | number;
  /** Dated events drawn as labelled lines: [{ date: '2026-06-01', label: 'Price rise' }]. */
  annotations?: { date: string; label: string }[];
  /** Cross-filtering: clicking a series (bar, point or legend entry) sets the input with this name; clicking again clears it. */
  select?: string;
  /** Where the numbers come from, shown under the chart. Default: the metric's source, else "Plotline KPI snapshot". */
  source?: string;
  /** Extra Observable Plot options, merged last (power users). */
  plot?: Record<string, unknown>;
}
