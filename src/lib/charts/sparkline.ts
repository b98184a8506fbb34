/**
 * A sparkline: a metric's recent trend as a small line with its last point
 * marked, no axes. Drawn with Observable Plot at build time (linkedom
 * document) for KPI tiles, the dashboard and the tree.
 */
import * as Plot from '@observablehq/plot';
import { formatMonth, formatValue, type Unit } from '../format.ts';
import { asImage, PALETTE } from './chart.ts';

export interface SparklinePoint {
  date: Date;
  value: number;
}

export interface SparklineOptions {
  unit: Unit;
  /** Design size in pixels; the SVG scales to its container. Default 120 × 32. */
  width?: number;
  height?: number;
  /** What the line shows, for the text alternative. Example: "Bookings". */
  label: string;
}

export function sparkline(points: SparklinePoint[], options: SparklineOptions, document: Document): SVGSVGElement {
  const { width = 120, height = 32, unit, label } = options;
  const last = points.at(-1);
  const element = Plot.plot({
    document,
    width,
    height,
    margin: 3,
    axis: null,
    x: { type: 'utc' },
    y: { nice: false, zero: false, inset: 2 },
    marks: [
      Plot.lineY(points, { x: 'date', y: 'value', stroke: PALETTE[0], strokeWidth: 1.5 }),
      ...(last ? [Plot.dot([last], { x: 'date', y: 'value', fill: PALETTE[0], r: 2.5 })] : []),
    ],
    ariaLabel: describeSparkline(points, unit, label),
  }) as SVGSVGElement;
  asImage(element);
  element.classList.add('plotline-sparkline');
  return element;
}

/** "Bookings, Nov 2025 to Oct 2026: from 3,900 to 4,812 (low 3,650, high 4,812)." */
export function describeSparkline(points: SparklinePoint[], unit: Unit, label: string): string {
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last) return `${label}: no data.`;
  const values = points.map((p) => p.value);
  const low = Math.min(...values);
  const high = Math.max(...values);
  return `${label}, ${formatMonth(first.date)} to ${formatMonth(last.date)}: from ${formatValue(first.value, unit)} to ${formatValue(last.value, unit)} (low ${formatValue(low, unit)}, high ${formatValue(high, unit)}).`;
}
