/**
 * Golden tests for the chart builders: each chart type in its main variants,
 * drawn on the build's document (linkedom) from rows written out here, as
 * normalised SVG in tests/unit/golden/. A change that moves a pixel shows in
 * the diff. Normalised the way Plot's own tests do it: numbers rounded to two
 * places, generated class names renumbered, attributes in a fixed order.
 *
 * A missing golden file is written (and the test passes) only outside CI,
 * for review by eye; CI never writes one. A mismatch writes
 * `<name>-changed.svg` beside it: compare, and if the change is meant,
 * replace the golden file with it.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chart, type ChartRow } from '../../src/lib/charts/chart.ts';
import type { ChartOptions } from '../../src/lib/charts/chart-options.ts';
import { sparkline } from '../../src/lib/charts/sparkline.ts';
import { waterfall, waterfallSteps } from '../../src/lib/charts/waterfall.ts';
import { decompose } from '../../src/lib/why-changed.ts';
import { serverDocument } from '../../src/site/server-document.ts';

const GOLDEN = join(import.meta.dirname, 'golden');
const d = (iso: string) => new Date(`${iso}T00:00:00Z`);
const months = ['2026-05-01', '2026-06-01', '2026-07-01', '2026-08-01', '2026-09-01', '2026-10-01'].map(d);

/** Two business lines over six months: Casting rises, Production dips in summer. */
const byLine: ChartRow[] = months.flatMap((month, i) => [
  { month, business_line: 'Casting', bookings: [410, 430, 455, 470, 502, 530][i] },
  { month, business_line: 'Production', bookings: [820, 790, 700, 730, 810, 860][i] },
]);
const company: ChartRow[] = months.map((month, i) => ({ month, revenue: [118_000, 121_500, 109_880, 131_100, 126_400, 140_250][i] }));
const regions: ChartRow[] = ['London', 'North West', 'Scotland', 'Wales'].map((region, i) => ({ region, tickets: [42, 17, 9, 5][i] }));

/** SVG as text that only changes when the drawing does. */
function normalise(svg: SVGSVGElement): string {
  const classes = new Map<string, string>();
  return (
    svg.outerHTML
      // Plot's generated class names (plot-d6a7b5) are renumbered in order of appearance.
      .replace(/plot-[0-9a-f]{6}(?:-\w+)?/g, (name) => {
        if (!classes.has(name)) classes.set(name, `plot-${classes.size}`);
        return classes.get(name)!;
      })
      .replace(/-?\d+\.\d+/g, (n) => String(Math.round(Number(n) * 100) / 100))
      .replace(/></g, '>\n<')
      .trim() + '\n'
  );
}

const cases: [name: string, draw: () => SVGSVGElement][] = [
  ['line-single', () => chart(company, { type: 'line', x: 'month', y: 'revenue', unit: 'currency', yLabel: 'revenue' }, serverDocument)],
  [
    'line-series-target-annotation',
    () =>
      chart(
        byLine,
        { type: 'line', x: 'month', y: 'bookings', series: 'business_line', rules: [{ y: 800, label: 'Target 800 by March 2027' }], annotations: [{ date: '2026-07-01', label: 'Summer campaign' }] },
        serverDocument,
      ),
  ],
  ['line-highlight', () => chart(byLine, { type: 'line', x: 'month', y: 'bookings', series: 'business_line', highlight: 'Casting' }, serverDocument)],
  ['bar-stacked', () => chart(byLine, { type: 'bar', x: 'month', y: 'bookings', series: 'business_line' }, serverDocument)],
  ['bar-grouped', () => chart(byLine, { type: 'bar', x: 'month', y: 'bookings', series: 'business_line', layout: 'grouped' }, serverDocument)],
  ['bar-categories', () => chart(regions, { type: 'bar', x: 'region', y: 'tickets' }, serverDocument)],
  ['area-stacked', () => chart(byLine, { type: 'area', x: 'month', y: 'bookings', series: 'business_line' }, serverDocument)],
  ['dot', () => chart(company, { type: 'dot', x: 'month', y: 'revenue', unit: 'currency' } satisfies ChartOptions, serverDocument)],
  ['line-compact', () => chart(byLine, { type: 'line', x: 'month', y: 'bookings', series: 'business_line', width: 360, height: 280 }, serverDocument)],
  ['sparkline', () => sparkline(company.map((r) => ({ date: r.month as Date, value: r.revenue as number })), { unit: 'currency', label: 'Revenue' }, serverDocument)],
  [
    'waterfall',
    () => {
      // Bookings = active users × bookings per active user: 3,000 × 0.40 = 1,200 → 3,150 × 0.36 = 1,134.
      const parts = decompose('product', 1200, 1134, [
        { id: 'active_users', label: 'Active users', before: 3000, after: 3150 },
        { id: 'bookings_per_active_user', label: 'Bookings per active user', before: 0.4, after: 0.36 },
      ]);
      return waterfall(waterfallSteps(parts, { before: 'Sep 2026', after: 'Oct 2026' }, 'count'), { unit: 'count', ariaLabel: 'Waterfall chart of bookings' }, serverDocument);
    },
  ],
];

describe('the chart builders, drawn as the build draws them', () => {
  it.each(cases)('%s matches its golden SVG', (name, draw) => {
    const file = join(GOLDEN, `${name}.svg`);
    const changed = join(GOLDEN, `${name}-changed.svg`);
    const svg = normalise(draw());
    if (!existsSync(file)) {
      expect(process.env.CI, `${file} is missing: run the unit tests locally to write it, look at it, and commit it.`).toBeFalsy();
      writeFileSync(file, svg);
      return;
    }
    if (svg === readFileSync(file, 'utf8')) {
      rmSync(changed, { force: true });
      return;
    }
    writeFileSync(changed, svg);
    expect.fail(`${name}.svg changed: compare ${changed} with it; if the change is meant, replace the golden file.`);
  });

  it('draws the same SVG twice (the normalisation leaves nothing that varies between runs)', () => {
    for (const [, draw] of cases) expect(normalise(draw())).toBe(normalise(draw()));
  });
});
