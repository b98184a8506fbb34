/**
 * The line chart, as the walking skeleton defined it: `stroke` splits the
 * lines. A thin layer over the general builder in chart.ts, kept so existing
 * callers and tests read naturally.
 */
import type { Unit } from '../format.ts';
import { chart, type ChartOptions, type ChartRow, describe as describeChart, dataColumns as chartColumns, formatCell as chartCell } from './chart.ts';

export { CHART_SIZES, PALETTE, type ChartRow } from './chart.ts';

export interface LineChartOptions {
  x: string;
  y: string;
  /** Column whose values split the data into one line each. */
  stroke?: string;
  unit?: Unit;
  /** Every series the chart can show, in colour order. */
  series?: string[];
  width?: number;
  height?: number;
  plot?: Record<string, unknown>;
}

const toChart = (options: LineChartOptions): ChartOptions => ({
  type: 'line',
  x: options.x,
  y: options.y,
  series: options.stroke,
  unit: options.unit,
  seriesDomain: options.series,
  width: options.width,
  height: options.height,
  plot: options.plot,
});

export function lineChart(rows: ChartRow[], options: LineChartOptions, document: Document): SVGSVGElement {
  return chart(rows, toChart(options), document);
}

export function describe(rows: ChartRow[], options: LineChartOptions): string {
  return describeChart(rows, toChart(options));
}

export function dataColumns(options: LineChartOptions): string[] {
  return chartColumns(toChart(options));
}

export function formatCell(value: unknown, column: string, options: LineChartOptions): string {
  return chartCell(value, column, toChart(options));
}
