/**
 * The waterfall for WhyChanged: the metric before, one bar per driver's
 * contribution (up or down from where the last one ended), the metric after.
 * The axis starts at zero, so the two totals compare honestly; each step is
 * labelled with its amount, and coloured by whether it helped (given the
 * metric's direction).
 */
import * as Plot from '@observablehq/plot';
import { formatChange, formatCompact, formatValue, type Unit } from '../format.ts';
import type { Decomposition } from '../why-changed.ts';
import { asImage } from './chart.ts';

export interface WaterfallStep {
  label: string;
  from: number;
  to: number;
  kind: 'total' | 'good' | 'bad';
  text: string;
}

export function waterfallSteps(d: Decomposition, labels: { before: string; after: string }, unit: Unit, direction: 'up' | 'down' = 'up'): WaterfallStep[] {
  const steps: WaterfallStep[] = [{ label: labels.before, from: 0, to: d.before, kind: 'total', text: formatValue(d.before, unit) }];
  let level = d.before;
  const parts = [...d.contributions.map((c) => ({ label: c.label, value: c.contribution })), ...(d.residual !== 0 ? [{ label: 'Not explained by the drivers', value: d.residual }] : [])];
  for (const part of parts) {
    steps.push({ label: part.label, from: level, to: level + part.value, kind: (part.value >= 0) === (direction === 'up') ? 'good' : 'bad', text: formatChange(part.value, unit) });
    level += part.value;
  }
  steps.push({ label: labels.after, from: 0, to: d.after, kind: 'total', text: formatValue(d.after, unit) });
  return steps;
}

export function waterfall(steps: WaterfallStep[], options: { unit: Unit; ariaLabel: string; width?: number; height?: number }, document: Document): SVGSVGElement {
  const { unit, width = 640, height = 320 } = options;
  const values = steps.flatMap((s) => [s.from, s.to]);
  const floor = Math.min(0, ...values);
  const high = Math.max(...values);
  const element = Plot.plot({
    document,
    width,
    height,
    marginLeft: 56,
    marginBottom: 48,
    // Labels shortened to fit their band: about 7 px a character at 13 px type.
    x: { domain: steps.map((s) => s.label), label: null, tickFormat: (d: string) => shorten(d, Math.max(6, Math.floor((width - 80) / steps.length / 7))) },
    y: { grid: true, label: null, domain: [floor, high + (high - floor) * 0.08], tickFormat: (d: number) => formatCompact(d, unit) },
    color: { domain: ['total', 'good', 'bad'], range: ['#57606a', '#009e73', '#d55e00'] },
    marks: [
      Plot.barY(steps, { x: 'label', y1: 'from', y2: 'to', fill: 'kind' }),
      Plot.text(steps, { x: 'label', y: (s: WaterfallStep) => Math.max(s.from, s.to), text: 'text', dy: -8, fontWeight: 600, fill: 'currentColor' }),
    ],
    ariaLabel: options.ariaLabel,
  }) as SVGSVGElement;
  asImage(element);
  return element;
}

/** "Bookings per active user" → "Bookings per…" within `room` characters, cut at a word where possible. */
export function shorten(text: string, room: number): string {
  if (text.length <= room) return text;
  const cut = text.slice(0, room - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > room / 2 ? cut.slice(0, space) : cut}…`;
}
