/**
 * The line chart builder: a plain function of rows and options that returns
 * an SVG element. The build calls it with a server-side document (linkedom)
 * and inlines the SVG; the browser calls it with `window.document` to redraw.
 * Same function, same options, same size: the live chart replaces the
 * server-rendered one without a layout jump.
 */
import * as Plot from '@observablehq/plot';
import { formatCompact, formatMonth, formatValue, type Unit } from '../format.ts';

export type ChartRow = Record<string, unknown>;

export interface LineChartOptions {
  /** Column for the horizontal axis: dates. Example: "month". */
  x: string;
  /** Column for the vertical axis: numbers. Example: "revenue". */
  y: string;
  /** Column whose values split the data into one line each. Example: "business_line". */
  stroke?: string;
  /** How to format y values. Default "count". */
  unit?: Unit;
  /** Every series the chart can show, in colour order, so a series keeps its colour when others are filtered out. */
  series?: string[];
  /** Design width and height in pixels; the SVG scales to its container. Default 640 × 360. */
  width?: number;
  height?: number;
  /** Extra Observable Plot options for power users, merged last. */
  plot?: Record<string, unknown>;
}

/**
 * The design sizes the build draws every chart at. Story pages get regular
 * and compact; CSS shows the compact one in narrow containers (phones), so axis text stays readable; both keep their
 * aspect ratio at any width, and the live redraw replaces each with one of
 * the same size.
 */
export const CHART_SIZES = {
  regular: { width: 640, height: 360 },
  compact: { width: 360, height: 280 },
  /** Presentation slides only (a wider, shorter frame whose text reads from the back of a room). */
  slide: { width: 640, height: 250 },
} as const;

/** The palette: colour-blind-safe (Okabe–Ito), readable on white and in print. */
export const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9'];

export function lineChart(rows: ChartRow[], options: LineChartOptions, document: Document): SVGSVGElement {
  const { x, y, stroke, unit = 'count', width = 640, height = 360 } = options;
  const series = options.series ?? (stroke ? distinct(rows, stroke) : []);
  const element = Plot.plot({
    document,
    width,
    height,
    marginLeft: 56,
    marginRight: stroke ? 92 : 24,
    x: { type: 'utc', label: null, ticks: monthTicks(rows, x, width), tickFormat: (d: Date) => formatMonth(d) },
    y: { grid: true, label: null, zero: true, ticks: 6, tickFormat: (d: number) => formatCompact(d, unit) },
    color: { domain: series, range: PALETTE },
    marks: [
      Plot.ruleY([0]),
      Plot.lineY(rows, { x, y, stroke: stroke ?? PALETTE[0], strokeWidth: 2.5 }),
      ...(stroke
        ? [
            // Label each line at its end instead of a separate legend.
            Plot.text(rows, Plot.selectLast({ x, y, z: stroke, text: stroke, fill: stroke, dx: 6, textAnchor: 'start', fontWeight: 600 })),
          ]
        : []),
      Plot.tip(rows, Plot.pointerX({ x, y, stroke, title: (d: ChartRow) => tipText(d, options) })),
    ],
    ariaLabel: describe(rows, options),
    ...options.plot,
  }) as SVGSVGElement;
  // Plot adds a <style> block and an inline style; a strict Content-Security-Policy
  // blocks both, so the site's stylesheet carries those rules instead (.plotline-chart svg).
  for (const style of element.querySelectorAll('style')) style.remove();
  element.removeAttribute('style');
  element.setAttribute('role', 'img');
  return element;
}

/** Ticks on month starts, as close as labels allow (~80 px each): 1, 3, 6 or 12 months apart. */
function monthTicks(rows: ChartRow[], x: string, width: number): string {
  const times = rows.map((row) => row[x]).filter((d): d is Date => d instanceof Date).map(Number);
  const months = times.length > 0 ? (Math.max(...times) - Math.min(...times)) / (30.44 * 86_400_000) : 0;
  const room = Math.max(2, Math.floor((width - 120) / 80));
  const step = [1, 3, 6, 12].find((n) => months / n <= room) ?? 24;
  return step === 1 ? '1 month' : `${step} months`;
}

function tipText(row: ChartRow, options: LineChartOptions): string {
  const date = row[options.x];
  const when = date instanceof Date ? formatMonth(date) : String(date);
  const who = options.stroke ? `${String(row[options.stroke])}, ` : '';
  return `${who}${when}: ${formatValue(Number(row[options.y]), options.unit ?? 'count')}`;
}

/** A one-sentence text alternative from the data: what, when, latest values. */
export function describe(rows: ChartRow[], options: LineChartOptions): string {
  if (rows.length === 0) return 'Line chart with no data for this selection.';
  const dates = rows.map((row) => row[options.x]).filter((d): d is Date => d instanceof Date);
  const first = new Date(Math.min(...dates.map(Number)));
  const last = new Date(Math.max(...dates.map(Number)));
  const unit = options.unit ?? 'count';
  const latest = rows.filter((row) => (row[options.x] as Date).getTime() === last.getTime());
  const latestText = latest
    .map((row) => `${options.stroke ? `${String(row[options.stroke])} ` : ''}${formatValue(Number(row[options.y]), unit)}`)
    .join(', ');
  const lines = options.stroke ? ` for ${distinct(rows, options.stroke).join(' and ')}` : '';
  return `Line chart of ${options.y.replaceAll('_', ' ')} by month${lines}, ${formatMonth(first)} to ${formatMonth(last)}. Latest (${formatMonth(last)}): ${latestText}.`;
}

function distinct(rows: ChartRow[], column: string): string[] {
  return [...new Set(rows.map((row) => String(row[column])))].sort();
}

/** Columns of the chart's "show the data" table, in reading order. */
export function dataColumns(options: LineChartOptions): string[] {
  return [options.x, options.stroke, options.y].filter((c): c is string => c !== undefined);
}

/** One cell of that table, formatted as the chart formats it. */
export function formatCell(value: unknown, column: string, options: LineChartOptions): string {
  if (value instanceof Date) return formatMonth(value);
  if (column === options.y) return formatValue(Number(value), options.unit ?? 'count');
  return String(value);
}
