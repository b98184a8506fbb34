/**
 * The reader's site's build logic, checked against numbers worked out by
 * hand: tree order and grouping, both tree layouts, movement since a month,
 * changes in words, reading time, and which data breaks its SLO.
 */
import { describe, expect, it } from 'vitest';
import { freshnessProblems } from '../../src/site/freshness.ts';
import { changeText, movementSince } from '../../src/site/metric-change.ts';
import { flattenTree, metricGroups, metricTree } from '../../src/site/metric-tree.ts';
import { readingMinutes } from '../../src/site/reading-time.ts';
import { indented, topDown, wrapLabel } from '../../src/site/tree-layout.ts';
import type { Manifest } from '../../src/lib/manifest.ts';
import type { Metric, Model } from '../../src/lib/model-schema.ts';

function metric(id: string, extra: Partial<Metric> = {}): Metric {
  return {
    id,
    label: id.toUpperCase(),
    description: `${id} described`,
    owner: 'Someone',
    unit: 'count',
    direction: 'up',
    northStar: false,
    source: 'f1',
    expression: 'count(*)',
    grains: ['month'],
    dimensions: [],
    targets: [],
    slo: { freshnessDays: 3, completeness: 1 },
    ...extra,
  };
}

// a = b × c; b = d + e; e ~ f (influences); c = g × h; x and y are outside the tree.
const model = {
  metrics: [
    metric('a', { northStar: true, tree: { relation: 'product', drivers: ['b', 'c'] } }),
    metric('b', { tree: { relation: 'sum', drivers: ['d', 'e'] } }),
    metric('c', { tree: { relation: 'product', drivers: ['g', 'h'] } }),
    metric('d'),
    metric('e', { tree: { relation: 'influences', drivers: ['f'] } }),
    metric('f'),
    metric('g'),
    metric('h'),
    metric('x', { source: 'f2' }),
    metric('y', { source: 'f2', unit: 'percent' }),
  ],
  facts: [
    { id: 'f1', label: 'Fact one', description: 'First', sources: ['s1'] },
    { id: 'f2', label: 'Fact two', description: 'Second', sources: ['s2'] },
  ],
} as unknown as Model;

describe('the metrics tree', () => {
  it('reads depth first, each metric under the one it drives, with its relation', () => {
    const order = flattenTree(metricTree(model)).map((n) => `${n.metric.id}${n.depth}${n.relation ?? ''}`);
    expect(order).toEqual(['a0', 'b1product', 'd2sum', 'e2sum', 'f3influences', 'c1product', 'g2product', 'h2product']);
  });

  it('groups the dashboard: the tree first, then the other metrics by fact', () => {
    const groups = metricGroups(model);
    expect(groups.map((g) => [g.title, g.entries.map((e) => e.metric.id)])).toEqual([
      ['A and its drivers', ['a', 'b', 'd', 'e', 'f', 'c', 'g', 'h']],
      ['Fact two', ['x', 'y']],
    ]);
  });

  it('lays out top-down: leaves side by side, parents centred over their drivers', () => {
    const layout = topDown(metricTree(model), { nodeWidth: 100, nodeHeight: 50, gapX: 10, gapY: 20, margin: 5 });
    // Leaf centres: 5 + slot × 110 + 50 → d 55, f 165, g 275, h 385; e over f; b over d..e; c over g..h; a over b..c.
    const centre = (id: string) => {
      const n = layout.nodes.find((node) => node.node.metric.id === id)!;
      return [n.x + n.width / 2, n.y];
    };
    expect(centre('d')).toEqual([55, 145]);
    expect(centre('f')).toEqual([165, 215]);
    expect(centre('e')).toEqual([165, 145]);
    expect(centre('b')).toEqual([110, 75]);
    expect(centre('c')).toEqual([330, 75]);
    expect(centre('a')).toEqual([220, 5]);
    expect([layout.width, layout.height]).toEqual([440, 270]);
    // a's bottom is 55; the bus runs at 55 + 20 / 2 = 65; b's top is 75.
    expect(layout.edges.find((e) => e.to === 'b')).toEqual({ from: 'a', to: 'b', relation: 'product', d: 'M220,55V65H110V75' });
    expect(layout.marks).toContainEqual({ x: 220, y: 65, relation: 'product' });
    // e has one driver: its mark sits on the lower leg, 20 / 4 below its bus (195 + 10).
    expect(layout.marks).toContainEqual({ x: 165, y: 210, relation: 'influences' });
    expect(layout.marks).toHaveLength(4);
  });

  it('lays out indented for phones: a row each, indented by depth, joined by elbows', () => {
    const layout = indented(metricTree(model), { width: 200, indent: 20, nodeHeight: 30, gap: 5, margin: 2 });
    const box = (id: string) => {
      const n = layout.nodes.find((node) => node.node.metric.id === id)!;
      return [n.x, n.y, n.width];
    };
    expect(layout.nodes.map((n) => n.node.metric.id)).toEqual(['a', 'b', 'd', 'e', 'f', 'c', 'g', 'h']);
    expect(box('a')).toEqual([2, 2, 196]);
    expect(box('e')).toEqual([42, 107, 156]);
    expect(box('f')).toEqual([62, 142, 136]);
    // b's spine at 22 + 10 = 32 runs from its bottom (67) to e's middle (122).
    expect(layout.edges.find((e) => e.to === 'e')!.d).toBe('M32,67V122H42');
    expect(layout.marks).toContainEqual({ x: 32, y: 122, relation: 'sum' });
    expect(layout.height).toBe(279);
  });

  it('wraps labels at spaces into at most two lines', () => {
    expect(wrapLabel('Bookings per active user', 16)).toEqual(['Bookings per', 'active user']);
    expect(wrapLabel('Bookings', 16)).toEqual(['Bookings']);
    expect(wrapLabel('one two three four five six', 8)).toEqual(['one two', 'three f…']);
  });
});

describe('movement since a month', () => {
  const series = [100, 110, 90, 120].map((value, i) => ({ date: new Date(Date.UTC(2026, i, 1)), value }));

  it('compares the value in that month with the latest', () => {
    const moved = movementSince(series, '2026-02', 'up')!;
    expect([moved.from.value, moved.to.value, moved.delta, moved.improving, moved.noNewData]).toEqual([110, 120, 10, true, false]);
    expect(movementSince(series, '2026-02-15', 'down')!.improving).toBe(false);
    expect(movementSince(series, '2026-03-04', 'down')).toMatchObject({ delta: 30, improving: false });
  });

  it('starts from the first value for a month before the series, and says so when nothing is newer', () => {
    expect(movementSince(series, '2025-01', 'up')!.from.value).toBe(100);
    const later = movementSince(series, '2026-06-10', 'up')!;
    expect([later.from.value, later.delta, later.improving, later.noNewData]).toEqual([120, 0, undefined, true]);
    expect(movementSince([], '2026-01', 'up')).toBeUndefined();
  });
});

describe('changes in words', () => {
  it('uses a relative change for counts and points for shares', () => {
    // (3,067 − 3,140) / 3,140 = −2.32%
    expect(changeText(metric('b'), 3067, 3140)).toBe('−2.3%');
    // 26.88% − 26.00% = +0.88 points
    expect(changeText(metric('y', { unit: 'percent' }), 0.2688, 0.26)).toBe('+0.9 pts');
    // A base of zero has no relative change: the amount instead.
    expect(changeText(metric('b'), 12, 0)).toBe('+12');
  });
});

describe('reading time', () => {
  const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

  it('counts prose at 200 words a minute, rounding up', () => {
    expect(readingMinutes(words(450))).toBe(3);
    expect(readingMinutes(words(100))).toBe(1);
  });

  it('leaves out frontmatter, code, component props and SQL; a chart adds 12 seconds', () => {
    const body = [
      '---\ntitle: Not counted at all here\n---',
      words(380),
      '<LineChart title="A chart title" sql={`SELECT a, b, c FROM metrics WHERE value > 0 AND x = 1`} x="month" y="value" />',
      '```sql\nSELECT lots of words that are code\n```',
      '<BarChart title="x" sql="SELECT 1" />',
    ].join('\n\n');
    // 380 words = 1.9 minutes + 2 charts × 0.2 = 2.3 → 3.
    expect(readingMinutes(body)).toBe(3);
    expect(readingMinutes(words(380))).toBe(2);
  });
});

describe('freshness problems', () => {
  const source = (id: string, freshnessOk: boolean) => ({
    id,
    label: `Source ${id}`,
    files: [],
    rows: 10,
    latestEventDate: '2026-10-20',
    lagDays: 11,
    freshnessSloDays: 3,
    freshnessOk,
  });
  const status = (id: string, ok = true) => ({ id, latestDataDate: '2026-10-20', freshnessOk: ok, completenessOk: ok });
  const manifest = {
    sources: [source('s1', true), source('s2', false)],
    metrics: [status('a'), status('x'), status('y')],
  } as unknown as Manifest;

  it('names the late source behind the metrics a page shows, and nothing when they are fresh', () => {
    expect(freshnessProblems(manifest, model, ['a'])).toEqual([]);
    expect(freshnessProblems(manifest, model, ['x', 'y'])).toEqual([
      { source: 's2', label: 'Source s2', latestEventDate: '2026-10-20', lagDays: 11, sloDays: 3, reason: 'late', metrics: ['x', 'y'] },
    ]);
    expect(freshnessProblems(manifest, model).map((p) => p.source)).toEqual(['s2']);
  });

  it('flags a fresh source as incomplete when a metric it feeds failed its completeness check', () => {
    const failing = { ...manifest, metrics: [status('a', false)] } as Manifest;
    expect(freshnessProblems(failing, model, ['a'])).toMatchObject([{ source: 's1', reason: 'incomplete', metrics: ['a'] }]);
  });
});
