/** The props of Chart and its LineChart, BarChart, AreaChart and DotChart. */
import { z } from 'zod';
import { CHART_TYPES } from '../../lib/charts/chart-options.ts';
import { UNITS } from '../../lib/model-schema.ts';
import { queryProps } from './query.ts';

/** A unit prop: one the formatters know. */
export const unitProp = (prop = 'unit') => z.enum(UNITS, { error: (issue) => `${prop} "${String(issue.input)}" is not one of ${UNITS.join(', ')}.` });

const chartOnly = {
  title: z.string({ error: 'every chart needs a title that says what to see.' }).min(1, 'every chart needs a title that says what to see.').describe('The heading above the chart: say what to see. Example: title="Production overtook Casting in spring".'),
  subtitle: z.string().optional().describe('One line under the title: what is measured, in what. Example: subtitle="Confirmed bookings a month".'),
  x: z.string().optional().describe('With sql: the column for the horizontal axis (dates or categories). Example: x="month".'),
  y: z.string().optional().describe('With sql: the number column. Example: y="revenue".'),
  series: z.string().optional().describe('With sql: the column that splits rows into series. Example: series="business_line".'),
  stroke: z.string().optional().describe('The same as series (Observable Plot\'s name for it).'),
  layout: z.enum(['stacked', 'grouped'], { error: (issue) => `layout "${String(issue.input)}" is not "stacked" or "grouped".` }).optional().describe('Bars: "stacked" (default) or "grouped" side by side.'),
  unit: unitProp().optional().describe('How values are written: count, currency, percent, ratio or duration. Default: the metric\'s unit, else count.'),
  target: z.union([z.boolean(), z.number()]).optional().describe('A target line: true takes the metric\'s target from the model; a number draws that value. Example: target={5200}.'),
  annotations: z
    .array(
      z.strictObject({
        date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "each annotation needs a date written YYYY-MM-DD and a label, for example { date: '2026-06-01', label: 'Price rise' }."),
        label: z.string().min(1, "each annotation needs a date written YYYY-MM-DD and a label, for example { date: '2026-06-01', label: 'Price rise' }."),
      }),
    )
    .optional()
    .describe("Dated events drawn as labelled lines. Example: annotations={[{ date: '2026-06-01', label: 'Price rise' }]}."),
  select: z.string().optional().describe('Cross-filtering: clicking a series (bar, point or legend entry) sets the input with this name; clicking again clears it. Example: select="business_line".'),
  source: z.string().optional().describe('Where the numbers come from, shown under the chart. Default: the metric\'s source, else "Plotline KPI snapshot".'),
  plot: z.record(z.string(), z.unknown()).optional().describe('Extra Observable Plot options, merged last (power users). Example: plot={{ y: { grid: true } }}.'),
};

/** LineChart, BarChart, AreaChart and DotChart: each sets its own type. */
export const typedChartProps = z.strictObject({ ...queryProps, ...chartOnly });

export const chartProps = typedChartProps.extend({
  type: z.enum(CHART_TYPES, { error: (issue) => `type "${String(issue.input)}" is not one of ${CHART_TYPES.join(', ')}.` }).optional().describe('"line" (default), "bar", "area" or "dot".'),
});

export type ChartProps = z.input<typeof chartProps>;

/** How messages name a chart: `<BarChart title="Bookings">`. */
export const chartName = (type: unknown, title: unknown) =>
  `<${typeof type === 'string' && type ? `${type[0]!.toUpperCase()}${type.slice(1)}` : ''}Chart${typeof title === 'string' && title ? ` title="${title}"` : ''}>`;
