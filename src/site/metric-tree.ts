/**
 * The metrics tree from the model: the north star's decomposition in
 * reading order, every metric grouped for the dashboard, and the words and
 * symbols for how drivers make up their parent.
 */
import type { Metric, Model, RELATIONS } from '../lib/model-schema.ts';

export type Relation = (typeof RELATIONS)[number];

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
