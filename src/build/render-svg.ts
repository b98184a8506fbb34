/**
 * Build-time SVG for site pages: sparklines drawn with the shared builder on
 * a server-side document (linkedom), returned as markup to inline.
 */
import { parseHTML } from 'linkedom';
import { sparkline, type SparklineOptions, type SparklinePoint } from '../lib/charts/sparkline.ts';

const { document } = parseHTML('<!doctype html><html><body></body></html>');

export function sparklineMarkup(points: SparklinePoint[], options: SparklineOptions): string {
  if (points.length === 0) return '';
  const svg = sparkline(points, options, document as unknown as Document);
  return svg.outerHTML;
}
