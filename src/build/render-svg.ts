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
  // The SVG is one image (role="img" with its own label); labels on Plot's mark groups inside it are
  // not allowed by ARIA and add nothing for a screen reader.
  for (const g of svg.querySelectorAll('[aria-label]')) if (g !== svg) g.removeAttribute('aria-label');
  return svg.outerHTML;
}
