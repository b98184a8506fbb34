import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { chart, formatCell, PALETTE } from '../../src/lib/charts/chart.ts';

const { document } = parseHTML('<!doctype html><html><body></body></html>');
const doc = document as unknown as Document;
const d = (iso: string) => new Date(`${iso}T00:00:00Z`);

const rows = [
  { month: d('2026-08-01'), business_line: 'Casting', revenue: 1000 },
  { month: d('2026-09-01'), business_line: 'Casting', revenue: 1500 },
  { month: d('2026-08-01'), business_line: 'Production', revenue: 3000 },
  { month: d('2026-09-01'), business_line: 'Production', revenue: 2400 },
];
const options = { type: 'line' as const, x: 'month', y: 'revenue', series: 'business_line', unit: 'currency' as const };

describe('a line chart', () => {
  it('draws one line per business line, in the palette order of the series', () => {
    const svg = chart(rows, options, doc);
    const paths = [...svg.querySelectorAll('g[data-mark="line"] path')];
    expect(paths.map((p) => p.getAttribute('stroke'))).toEqual([PALETTE[0], PALETTE[1]]);
    expect([...svg.querySelectorAll('g[data-mark="text"] text')].map((t) => t.textContent)).toEqual(['Casting', 'Production']);
  });

  it('places points where the data says: the largest value on the top of the frame, zero on the baseline', () => {
    const svg = chart(rows, { ...options, width: 640, height: 360 }, doc);
    const production = svg.querySelectorAll('g[data-mark="line"] path')[1]!.getAttribute('d')!;
    // y runs from 0 (bottom, 360 − 30 margin = 330) to 3,000 (top margin, 20): £3,000 in August sits at y = 20,
    // £2,400 in September at 330 − 2400 / 3000 × 310 = 82.
    const [start, end] = production.replace('M', '').split('L').map((p) => p.split(',').map(Number));
    expect(start![1]).toBeCloseTo(20, 0);
    expect(end![1]).toBeCloseTo(82, 0);
    const labels = [...svg.querySelectorAll('g[data-mark="y-axis tick label"] text')].map((t) => t.textContent);
    expect(labels[0]).toBe('£0');
    expect(labels.at(-1)).toBe('£3k');
  });

  it('keeps a line its colour when the other lines are filtered out', () => {
    const productionOnly = rows.filter((r) => r.business_line === 'Production');
    const svg = chart(productionOnly, { ...options, seriesDomain: ['Casting', 'Production'] }, doc);
    const paths = [...svg.querySelectorAll('g[data-mark="line"] path')];
    expect(paths).toHaveLength(1);
    expect(paths[0]!.getAttribute('stroke')).toBe(PALETTE[1]);
  });

  it('describes itself from its data for screen readers', () => {
    const svg = chart(rows, options, doc);
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-label')).toBe(
      'Line chart of revenue by month for Casting and Production, Aug 2026 to Sept 2026. Latest (Sept 2026): Casting £1,500, Production £2,400.' +
        // Casting rose £500 (1,000 → 1,500), Production fell £600 (3,000 → 2,400): the larger move.
        ' Largest change: Production, −£600 from Aug 2026 to Sept 2026.',
    );
  });

  it('leaves out the inline <style> and style attribute that a strict CSP would block', () => {
    const svg = chart(rows, options, doc);
    expect(svg.querySelector('style')).toBeNull();
    expect(svg.hasAttribute('style')).toBe(false);
    expect(svg.getAttribute('viewBox')).toBe('0 0 640 360');
  });

  it('formats the data table as the chart does: en-GB months and pounds', () => {
    expect(formatCell(d('2026-10-01'), 'month', options)).toBe('Oct 2026');
    expect(formatCell(23009.4, 'revenue', options)).toBe('£23,009');
    expect(formatCell('Casting', 'business_line', options)).toBe('Casting');
  });
});
