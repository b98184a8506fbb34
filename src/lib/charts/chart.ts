/**
 * The chart builder: a plain function of rows and options that returns an SVG
 * element, for every chart type the kit offers (line, bar stacked or grouped,
 * area, dot). The build calls it with a server-side document (linkedom) and
 * inlines the SVG; the browser calls it with `window.document` to redraw.
 * Same function, same options, same size: a live chart replaces the
 * server-rendered one without a layout jump.
 */
import * as Plot from '@observablehq/plot';
import { formatChange, formatCompact, formatMonth, formatValue } from '../format.ts';
import type { ChartOptions, ChartType } from './chart-options.ts';

export type ChartRow = Record<string, unknown>;
/**
 * The design sizes the build draws every chart at. CSS shows the compact one
 * in narrow containers (phones), so axis text stays readable; each keeps its
 * aspect ratio at any width.
 */
export const CHART_SIZES = {
  regular: { width: 640, height: 360 },
  compact: { width: 360, height: 280 },
  /** Presentation slides only (a wider, shorter frame whose text reads from the back of a room). */
  slide: { width: 640, height: 250 },
} as const;

/** The sizes a page draws: a slide its own; an article the regular and compact ones. */
export function chartSizes(onSlide: boolean): Partial<typeof CHART_SIZES> {
  return onSlide ? { slide: CHART_SIZES.slide } : { regular: CHART_SIZES.regular, compact: CHART_SIZES.compact };
}

/** The palette: colour-blind-safe (Okabe–Ito), readable on white and in print. */
export const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9'];

const DAY = 86_400_000;

export function chart(rows: ChartRow[], options: ChartOptions, document: Document): SVGSVGElement {
  const { x, y, series, type = 'line', unit = 'count', width = 640, height = 360 } = options;
  const domain = options.seriesDomain ?? (series ? distinct(rows, series) : []);
  const temporal = rows.length > 0 && rows.every((row) => row[x] instanceof Date);
  const grouped = type === 'bar' && options.layout === 'grouped' && series !== undefined;
  const colour = series ?? (() => PALETTE[0]);
  const fade = (row: ChartRow) => (options.highlight && series && String(row[series]) !== options.highlight ? 0.25 : 1);
  // Each mark element carries its series value, so a click can set an input (cross-filtering).
  const tag = series ? keyed(series) : undefined;
  const interval = temporal ? timeInterval(rows, x) : undefined;

  const marks: Plot.Markish[] = [Plot.ruleY([0])];
  switch (type) {
    case 'bar':
      if (grouped) marks.push(Plot.barY(rows, { fx: x, x: series, y, fill: colour, fillOpacity: fade, render: tag }));
      else if (temporal) marks.push(Plot.rectY(rows, { x, y, interval, fill: colour, fillOpacity: fade, insetLeft: 0.5, insetRight: 0.5, render: tag }));
      else marks.push(Plot.barY(rows, { x, y, fill: colour, fillOpacity: fade, render: tag }));
      break;
    case 'area':
      marks.push(Plot.areaY(rows, { x, y, fill: colour, fillOpacity: series ? 0.85 : 0.3, z: series }));
      if (!series) marks.push(Plot.lineY(rows, { x, y, stroke: PALETTE[0], strokeWidth: 2 }));
      break;
    case 'dot':
      marks.push(Plot.dot(rows, { x, y, fill: colour, fillOpacity: fade, r: 4, render: tag }));
      break;
    default:
      marks.push(Plot.lineY(rows, { x, y, stroke: colour, strokeWidth: 2.5, strokeOpacity: series && options.highlight ? (row: ChartRow) => fade(row) : 1, z: series }));
      if (series) {
        // Label each line at its end instead of a separate legend.
        marks.push(Plot.text(rows, Plot.selectLast({ x, y, z: series, text: series, fill: series, dx: 6, textAnchor: 'start', fontWeight: 600 })));
      }
  }
  for (const rule of options.rules ?? []) {
    marks.push(
      Plot.ruleY([rule.y], { stroke: 'currentColor', strokeDasharray: '4,3', strokeOpacity: 0.7 }),
      Plot.text([rule], { y: 'y', text: 'label', frameAnchor: 'right', dy: -7, fontWeight: 600, fill: 'currentColor' }),
    );
  }
  if (temporal) {
    for (const note of options.annotations ?? []) {
      const date = new Date(`${note.date}T00:00:00Z`);
      marks.push(
        Plot.ruleX([date], { stroke: 'currentColor', strokeDasharray: '2,3', strokeOpacity: 0.8 }),
        Plot.text([{ date, label: note.label }], { x: 'date', text: 'label', frameAnchor: 'top', textAnchor: 'start', dx: 4, dy: 4, fontStyle: 'italic', fill: 'currentColor' }),
      );
    }
  }
  if (!grouped) marks.push(Plot.tip(rows, (temporal ? Plot.pointerX : Plot.pointer)({ x, y, title: (d: ChartRow) => tipText(d, options) })));

  const element = Plot.plot({
    document,
    width,
    height,
    marginLeft: 56,
    marginRight: type === 'line' && series ? 92 : 24,
    x: grouped
      ? { axis: null, domain }
      : temporal
        ? { type: 'utc', label: null, ticks: timeTicks(rows, x, width), tickFormat: (d: Date) => formatMonth(d) }
        : { label: null },
    ...(grouped ? { fx: { label: null, tickFormat: (d: unknown) => (d instanceof Date ? formatMonth(d) : String(d)), padding: 0.15 } } : {}),
    y: { grid: true, label: null, zero: true, ticks: 6, tickFormat: (d: number) => formatCompact(d, unit) },
    color: { domain, range: PALETTE },
    marks,
    ariaLabel: describe(rows, options),
    ...options.plot,
  }) as SVGSVGElement;
  return asImage(element);
}

/**
 * Makes a Plot SVG one accessible image that a strict CSP accepts:
 * - Plot's <style> block and inline style go (a strict Content-Security-Policy
 *   blocks both; the site's stylesheet carries those rules, .plotline-chart svg);
 * - role="img" with the text alternative on the root only: Plot's labels on
 *   the mark groups inside are not allowed by ARIA there, so they become
 *   data-mark (still there for styling and tests).
 */
export function asImage<T extends SVGSVGElement>(element: T): T {
  for (const style of element.querySelectorAll('style')) style.remove();
  element.removeAttribute('style');
  for (const inner of element.querySelectorAll('[aria-label]')) {
    inner.setAttribute('data-mark', inner.getAttribute('aria-label')!);
    inner.removeAttribute('aria-label');
  }
  element.setAttribute('role', 'img');
  return element;
}

/** A Plot render hook that writes each element's series value into data-key. */
function keyed(series: string): Plot.RenderFunction {
  return (index, scales, values, dimensions, context, next) => {
    const g = next!(index, scales, values, dimensions, context) as SVGGElement;
    const data = (context as unknown as { data?: ChartRow[] }).data;
    const elements = [...g.querySelectorAll('rect, circle, path')];
    const z = (values as { channels?: { fill?: { value?: unknown[] } } }).channels?.fill?.value;
    elements.forEach((element, i) => {
      const key = z?.[index[i]!] ?? data?.[index[i]!]?.[series];
      if (key !== undefined) element.setAttribute('data-key', String(key));
    });
    return g;
  };
}

/** Bars on a time axis span their period: a week (ISO, from Monday) or a month. */
function timeInterval(rows: ChartRow[], x: string): 'monday' | 'month' {
  const times = [...new Set(rows.map((row) => (row[x] as Date).getTime()))].sort((a, b) => a - b);
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  return gaps.length > 0 && Math.min(...gaps) <= 7 * DAY ? 'monday' : 'month';
}

/** Ticks on month starts, as close as labels allow (~80 px each): 1, 3, 6 or 12 months apart. */
function timeTicks(rows: ChartRow[], x: string, width: number): string {
  const times = rows.map((row) => row[x]).filter((d): d is Date => d instanceof Date).map(Number);
  const months = times.length > 0 ? (Math.max(...times) - Math.min(...times)) / (30.44 * DAY) : 0;
  const room = Math.max(2, Math.floor((width - 120) / 80));
  const step = [1, 3, 6, 12].find((n) => months / n <= room) ?? 24;
  return step === 1 ? '1 month' : `${step} months`;
}

function label(value: unknown): string {
  return value instanceof Date ? formatMonth(value) : String(value);
}

function tipText(row: ChartRow, options: ChartOptions): string {
  const who = options.series ? `${String(row[options.series])}, ` : '';
  return `${who}${label(row[options.x])}: ${formatValue(Number(row[options.y]), options.unit ?? 'count')}`;
}

const TYPE_NAMES: Record<ChartType, string> = { line: 'Line', bar: 'Bar', area: 'Area', dot: 'Dot' };

/**
 * The chart's text alternative, written from its data: what is plotted, the
 * range, the latest values and the largest change between two periods.
 * "Line chart of revenue by month for Casting and Production, Dec 2026 to
 * Jan 2027. Latest (Jan 2027): Casting £650, Production £1,900. Largest
 * change: Production, +£400 from Dec 2026 to Jan 2027."
 */
export function describe(rows: ChartRow[], options: ChartOptions): string {
  const type = TYPE_NAMES[options.type ?? 'line'];
  const what = options.yLabel ?? options.y.replaceAll('_', ' ');
  if (rows.length === 0) return `${type} chart of ${what} with no data for this selection.`;
  const unit = options.unit ?? 'count';
  const { x, y, series } = options;
  const value = (row: ChartRow) => formatValue(Number(row[y]), unit);
  const name = (row: ChartRow) => (series ? `${String(row[series])} ` : '');
  const groups = series ? distinct(rows, series) : [];
  const lines = groups.length > 0 ? ` for ${groups.join(' and ')}` : '';
  if (!rows.every((row) => row[x] instanceof Date)) {
    return `${type} chart of ${what} by ${x.replaceAll('_', ' ')}${lines}: ${rows.map((row) => `${label(row[x])} ${name(row)}${value(row)}`.replace('  ', ' ')).join(', ')}.`;
  }
  const times = rows.map((row) => (row[x] as Date).getTime());
  const first = new Date(Math.min(...times));
  const last = new Date(Math.max(...times));
  const latest = rows.filter((row) => (row[x] as Date).getTime() === last.getTime());
  let sentence = `${type} chart of ${what} by ${timeInterval(rows, x) === 'monday' ? 'week' : 'month'}${lines}, ${formatMonth(first)} to ${formatMonth(last)}. Latest (${formatMonth(last)}): ${latest.map((row) => `${name(row)}${value(row)}`).join(', ')}.`;
  const change = largestChange(rows, options);
  if (change) sentence += ` Largest change: ${change.series ? `${change.series}, ` : ''}${formatChange(change.delta, unit)} from ${formatMonth(change.from)} to ${formatMonth(change.to)}.`;
  return sentence;
}

/** The biggest move between two consecutive periods of one series. */
export function largestChange(rows: ChartRow[], options: ChartOptions): { series?: string; delta: number; from: Date; to: Date } | undefined {
  const { x, y, series } = options;
  const groups = series ? distinct(rows, series) : [undefined];
  let best: { series?: string; delta: number; from: Date; to: Date } | undefined;
  for (const group of groups) {
    const points = rows
      .filter((row) => (group === undefined || String(row[series!]) === group) && row[y] !== null && row[y] !== undefined)
      .sort((a, b) => (a[x] as Date).getTime() - (b[x] as Date).getTime());
    for (let i = 1; i < points.length; i += 1) {
      const delta = Number(points[i]![y]) - Number(points[i - 1]![y]);
      if (!best || Math.abs(delta) > Math.abs(best.delta)) best = { series: group, delta, from: points[i - 1]![x] as Date, to: points[i]![x] as Date };
    }
  }
  return best;
}

function distinct(rows: ChartRow[], column: string): string[] {
  return [...new Set(rows.map((row) => String(row[column])))].sort();
}

/** Columns of the chart's "show the data" table, in reading order. */
export function dataColumns(options: Pick<ChartOptions, 'x' | 'y' | 'series'>): string[] {
  return [options.x, options.series, options.y].filter((c): c is string => c !== undefined);
}

/** One cell of that table, formatted as the chart formats it. */
export function formatCell(value: unknown, column: string, options: Pick<ChartOptions, 'y' | 'unit'>): string {
  if (value === null || value === undefined) return '–';
  if (value instanceof Date) return formatMonth(value);
  if (column === options.y) return formatValue(Number(value), options.unit ?? 'count');
  return String(value);
}
