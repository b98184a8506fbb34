/**
 * What the chart builder (chart.ts) takes, defined once as a schema: the
 * build checks the options it hands to the browser against it (see
 * live-payload.ts), and the type is derived from it. Only the build imports
 * this module at run time; the browser imports the type alone, so the
 * schema library never ships to readers.
 */
import { z } from 'zod';
import { UNITS } from '../model-schema.ts';

export const CHART_TYPES = ['line', 'bar', 'area', 'dot'] as const;
export type ChartType = (typeof CHART_TYPES)[number];

export const chartOptionsSchema = z.strictObject({
  /** Default "line". */
  type: z.enum(CHART_TYPES).optional(),
  /** Column for the horizontal axis: dates (a time axis) or categories. */
  x: z.string(),
  /** Column for the vertical axis: numbers. */
  y: z.string(),
  /** Column whose values split the rows into series (one colour each). */
  series: z.string().optional(),
  /** How to format y. Default "count". */
  unit: z.enum(UNITS).optional(),
  /** Every series the chart can show, in colour order, so a series keeps its colour when others are filtered out. */
  seriesDomain: z.array(z.string()).optional(),
  /** Bars and areas: stacked (default) or, for bars, grouped side by side. */
  layout: z.enum(['stacked', 'grouped']).optional(),
  /** Horizontal reference lines, e.g. a target. */
  rules: z.array(z.strictObject({ y: z.number(), label: z.string() })).optional(),
  /** Dated events, drawn as labelled vertical lines. `date` is YYYY-MM-DD. */
  annotations: z.array(z.strictObject({ date: z.string(), label: z.string() })).optional(),
  /** What y measures, in words, for the text alternative. Default: the y column's name. */
  yLabel: z.string().optional(),
  /** The series a reader picked (cross-filtering): the others are drawn faded. */
  highlight: z.string().optional(),
  /** Design width and height in pixels; the SVG scales to its container. */
  width: z.number().optional(),
  height: z.number().optional(),
  /** Extra Observable Plot options for power users, merged last. */
  plot: z.record(z.string(), z.unknown()).optional(),
});

export type ChartOptions = z.infer<typeof chartOptionsSchema>;
