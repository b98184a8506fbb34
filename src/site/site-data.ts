/**
 * What the reader's site pages need from the model and the snapshots, as
 * plain functions: the latest snapshot, the metrics tree in reading order,
 * metrics grouped for the dashboard, how a metric moved since a month, a
 * change in words, reading time, and which data breaks its freshness SLO.
 * Pages fetch with these and hand the results to components.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatChange, formatMonth, formatRelativeChange, formatValue } from '../lib/format.ts';
import type { Manifest } from '../lib/manifest.ts';
import { latestSchema } from '../lib/manifest.ts';
import type { Metric, Model, RELATIONS } from '../lib/model-schema.ts';
import type { MetricPoint, MetricSummary } from './metric-data.ts';
import { SNAPSHOTS_DIR } from './snapshots.ts';

export type Relation = (typeof RELATIONS)[number];

/** The newest snapshot's id (public/data/snapshots/latest.json). */
export function latestSnapshot(dir = SNAPSHOTS_DIR): string {
  return latestSchema.parse(JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8'))).period;
}

export interface TreeNode {
  metric: Metric;
  depth: number;
  /** How this metric makes up its parent (the parent's relation); undefined for the root. */
  relation?: Relation;
  children: TreeNode[];
}

/** The decomposition under `rootId` (default: the north star), drivers in model order. */
export function metricTree(model: Model, rootId?: string): TreeNode {
  const byId = new Map(model.metrics.map((m) => [m.id, m]));
  const root = rootId ? byId.get(rootId) : model.metrics.find((m) => m.northStar);
  if (!root) throw new Error(`metric tree: no metric "${rootId ?? 'north star'}" in the model.`);
  const build = (metric: Metric, depth: number, relation?: Relation): TreeNode => ({
    metric,
    depth,
    relation,
    children: (metric.tree?.drivers ?? []).map((id) => build(byId.get(id)!, depth + 1, metric.tree!.relation)),
  });
  return build(root, 0);
}

/** The tree's nodes depth first, parents before their drivers. */
export function flattenTree(node: TreeNode): TreeNode[] {
  return [node, ...node.children.flatMap(flattenTree)];
}

export interface MetricGroup {
  id: string;
  title: string;
  description: string;
  /** Metrics in reading order; depth is the place in the tree (0 outside it). */
  entries: { metric: Metric; depth: number; relation?: Relation }[];
}

/**
 * Every metric once: the north-star tree first (depth first, so a metric sits
 * under what it drives), then the rest grouped by the fact they are computed
 * from, in model order.
 */
export function metricGroups(model: Model): MetricGroup[] {
  const tree = flattenTree(metricTree(model));
  const inTree = new Set(tree.map((n) => n.metric.id));
  const groups: MetricGroup[] = [
    {
      id: 'tree',
      title: `${tree[0]!.metric.label} and its drivers`,
      description: 'The north star and the metrics that make it up, each under the one it drives.',
      entries: tree.map(({ metric, depth, relation }) => ({ metric, depth, relation })),
    },
  ];
  for (const fact of model.facts) {
    const metrics = model.metrics.filter((m) => m.source === fact.id && !inTree.has(m.id));
    if (metrics.length === 0) continue;
    groups.push({ id: fact.id, title: fact.label, description: fact.description, entries: metrics.map((metric) => ({ metric, depth: 0 })) });
  }
  return groups;
}

/** Edge labels for the tree: how drivers combine into their parent. */
export const RELATION_SYMBOLS: Record<Relation, string> = { sum: '+', product: '×', ratio: '÷', influences: '~' };
export const RELATION_WORDS: Record<Relation, string> = {
  sum: 'adds up to',
  product: 'multiplies into',
  ratio: 'divides into',
  influences: 'influences',
};

export interface Movement {
  from: MetricPoint;
  to: MetricPoint;
  /** to − from. */
  delta: number;
  /** Good news given the metric's direction; undefined when flat. */
  improving?: boolean;
  /** True when there is no data after the starting month yet. */
  noNewData: boolean;
  /** The month moved since, YYYY-MM. */
  since: string;
}

/**
 * How a metric moved since a month (YYYY-MM or YYYY-MM-DD: the month it falls
 * in): its value in that month against the latest value in the series. A
 * month after the series ends starts from the latest value, with `noNewData`;
 * a month before it starts from the first value.
 */
export function movementSince(series: MetricPoint[], since: string, direction: Metric['direction']): Movement | undefined {
  const to = series.at(-1);
  if (!to) return undefined;
  const start = Date.UTC(Number(since.slice(0, 4)), Number(since.slice(5, 7)) - 1, 1);
  const from = series.find((p) => p.date.getTime() >= start) ?? to;
  const delta = to.value - from.value;
  return {
    from,
    to,
    delta,
    improving: delta === 0 ? undefined : (delta > 0) === (direction === 'up'),
    noNewData: from === to,
    since: since.slice(0, 7),
  };
}

const shortDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** "30 Oct 2026". */
export function formatShortDate(date: Date): string {
  return shortDate.format(date);
}

/** "+4.5%" for counts, money, ratios and hours; "+1.2 pts" for shares. */
export function changeText(metric: Metric, current: number, previous: number): string {
  if (metric.unit === 'percent') return formatChange(current - previous, 'percent');
  return formatRelativeChange(current, previous) || formatChange(current - previous, metric.unit);
}

export type Tone = 'good' | 'bad' | 'flat';

export function tone(improving: boolean | undefined): Tone {
  return improving === undefined ? 'flat' : improving ? 'good' : 'bad';
}

/** A summary's change on the previous period, for tiles and the tree: text, tone and a sentence for screen readers. */
export function summaryChange(summary: MetricSummary): { text: string; tone: Tone; sentence: string } | undefined {
  const { metric, value, previous } = summary;
  if (value === undefined || !previous) return undefined;
  const text = changeText(metric, value, previous.value);
  const t = tone(summary.improving);
  const verdict = t === 'flat' ? 'no change' : t === 'good' ? 'better' : 'worse';
  return { text, tone: t, sentence: `${text} on ${formatMonth(previous.date)} (${verdict}), from ${formatValue(previous.value, metric.unit)}` };
}

/**
 * Reading time in whole minutes at 200 words a minute, counting the prose of
 * an MDX body: code, SQL in template strings, component tags and their props,
 * imports and Markdown syntax are left out; each chart adds 12 seconds.
 */
export function readingMinutes(body: string): number {
  const charts = (body.match(/<[A-Z][A-Za-z]*Chart\b/g) ?? []).length;
  const prose = body
    .replace(/^---\n[\s\S]*?\n---\n/, '')
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/`[^`]*`/g, ' ')
    .replace(/^(import|export) .*$/gm, ' ')
    .replace(/<[A-Z][^>]*?\/>/gs, ' ')
    .replace(/<\/?[A-Za-z][^>]*>/g, ' ')
    .replace(/\[\^[^\]]*\]:?/g, ' ')
    .replace(/[|#>*_\-=:[\]()]/g, ' ');
  const words = prose.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
  return Math.max(1, Math.ceil(words / 200 + charts * 0.2));
}

export interface FreshnessProblem {
  /** The source (extract) that is late or incomplete. */
  source: string;
  label: string;
  latestEventDate: string | null;
  lagDays: number | null;
  sloDays: number;
  /** Late: its latest row is older than the SLO allows; incomplete: a metric it feeds failed its completeness check. */
  reason: 'late' | 'incomplete';
  /** The metrics it feeds that the page shows. */
  metrics: string[];
}

/**
 * Which of a page's data breaks its SLO in a snapshot: the sources behind
 * `metricIds` (every metric when omitted) that are late, plus any of those
 * metrics whose own freshness or completeness check failed.
 */
export function freshnessProblems(manifest: Manifest, model: Model, metricIds?: string[]): FreshnessProblem[] {
  const shown = metricIds ?? model.metrics.map((m) => m.id);
  const problems = new Map<string, FreshnessProblem>();
  for (const id of shown) {
    const metric = model.metrics.find((m) => m.id === id);
    if (!metric) continue;
    const fact = model.facts.find((f) => f.id === metric.source);
    const metricStatus = manifest.metrics.find((m) => m.id === id);
    const metricBad = metricStatus ? !metricStatus.freshnessOk || !metricStatus.completenessOk : false;
    for (const sourceId of fact?.sources ?? []) {
      const source = manifest.sources.find((s) => s.id === sourceId);
      if (!source || (source.freshnessOk && !metricBad)) continue;
      const problem = problems.get(source.id) ?? {
        source: source.id,
        label: source.label,
        latestEventDate: source.latestEventDate,
        lagDays: source.lagDays,
        sloDays: source.freshnessSloDays,
        reason: source.freshnessOk ? 'incomplete' : 'late',
        metrics: [],
      };
      if (!problem.metrics.includes(id)) problem.metrics.push(id);
      problems.set(source.id, problem);
    }
  }
  return [...problems.values()];
}
