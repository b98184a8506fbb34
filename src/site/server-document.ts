/**
 * Build-time SVG: the one server-side document (linkedom) that every chart,
 * waterfall and sparkline is drawn on at build time, and sparklines as
 * markup to inline.
 */
import { parseHTML } from 'linkedom';
import { sparkline, type SparklineOptions, type SparklinePoint } from '../lib/charts/sparkline.ts';

/** A DOM document for Observable Plot to draw into at build time. */
export const serverDocument = parseHTML('<!doctype html><html><body></body></html>').document as unknown as Document;

export function sparklineMarkup(points: SparklinePoint[], options: SparklineOptions): string {
  if (points.length === 0) return '';
  const svg = sparkline(points, options, serverDocument);
  return svg.outerHTML;
}
