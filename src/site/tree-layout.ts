/**
 * Geometry for the metrics tree diagram, drawn at build time as SVG.
 *
 * Two layouts of the same tree:
 * - `topDown` (wide screens): the north star on top, each level below; leaves
 *   sit side by side in reading order and a parent is centred over its first
 *   and last driver. Drivers of one parent share a horizontal "bus" line, and
 *   the relation symbol (× + ÷ ~) sits on it between neighbouring drivers.
 * - `indented` (phones): one node a row, indented by depth like a file tree,
 *   each joined to its parent by an elbow whose corner carries the relation.
 *
 * Pure functions of the tree and sizes, so a unit test can check the numbers.
 */
import type { Relation, TreeNode } from './metric-tree.ts';

export interface LaidNode {
  node: TreeNode;
  /** Top-left corner and size, in the diagram's design pixels. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LaidEdge {
  from: string;
  to: string;
  relation: Relation;
  /** SVG path data. */
  d: string;
}

export interface RelationMark {
  x: number;
  y: number;
  relation: Relation;
}

export interface TreeLayout {
  width: number;
  height: number;
  nodes: LaidNode[];
  edges: LaidEdge[];
  marks: RelationMark[];
}

export interface TopDownSizes {
  nodeWidth: number;
  nodeHeight: number;
  gapX: number;
  gapY: number;
  margin: number;
}

export const TOP_DOWN: TopDownSizes = { nodeWidth: 188, nodeHeight: 92, gapX: 20, gapY: 56, margin: 8 };

export function topDown(root: TreeNode, sizes: TopDownSizes = TOP_DOWN): TreeLayout {
  const { nodeWidth: w, nodeHeight: h, gapX, gapY, margin } = sizes;
  const centres = new Map<TreeNode, number>();
  let leaves = 0;
  let depth = 0;
  const place = (node: TreeNode): number => {
    depth = Math.max(depth, node.depth);
    let centre: number;
    if (node.children.length === 0) {
      centre = margin + leaves * (w + gapX) + w / 2;
      leaves += 1;
    } else {
      const children = node.children.map(place);
      centre = (children[0]! + children.at(-1)!) / 2;
    }
    centres.set(node, centre);
    return centre;
  };
  place(root);
  const top = (node: TreeNode) => margin + node.depth * (h + gapY);
  const nodes: LaidNode[] = [...centres].map(([node, centre]) => ({ node, x: centre - w / 2, y: top(node), width: w, height: h }));
  const edges: LaidEdge[] = [];
  const marks: RelationMark[] = [];
  for (const [parent, px] of centres) {
    if (parent.children.length === 0) continue;
    const bus = top(parent) + h + gapY / 2;
    const childCentres = parent.children.map((child) => centres.get(child)!);
    for (const [i, child] of parent.children.entries()) {
      const cx = childCentres[i]!;
      edges.push({
        from: parent.metric.id,
        to: child.metric.id,
        relation: child.relation!,
        d: `M${px},${top(parent) + h}V${bus}H${cx}V${top(child)}`,
      });
    }
    const relation = parent.children[0]!.relation!;
    if (childCentres.length === 1) {
      // A single driver: the mark sits on its edge, halfway down the lower leg.
      marks.push({ x: childCentres[0]!, y: bus + gapY / 4, relation });
    } else {
      for (let i = 0; i + 1 < childCentres.length; i += 1) {
        marks.push({ x: (childCentres[i]! + childCentres[i + 1]!) / 2, y: bus, relation });
      }
    }
  }
  return {
    width: margin * 2 + leaves * (w + gapX) - gapX,
    height: margin * 2 + (depth + 1) * (h + gapY) - gapY,
    nodes,
    edges,
    marks,
  };
}

export interface IndentedSizes {
  width: number;
  indent: number;
  nodeHeight: number;
  gap: number;
  margin: number;
}

export const INDENTED: IndentedSizes = { width: 360, indent: 28, nodeHeight: 66, gap: 10, margin: 4 };

export function indented(root: TreeNode, sizes: IndentedSizes = INDENTED): TreeLayout {
  const { width, indent, nodeHeight: h, gap, margin } = sizes;
  const nodes: LaidNode[] = [];
  const edges: LaidEdge[] = [];
  const marks: RelationMark[] = [];
  const visit = (node: TreeNode, parent?: LaidNode) => {
    const x = margin + node.depth * indent;
    const laid: LaidNode = { node, x, y: margin + nodes.length * (h + gap), width: width - margin - x, height: h };
    nodes.push(laid);
    if (parent) {
      const spine = parent.x + indent / 2;
      const middle = laid.y + h / 2;
      edges.push({ from: parent.node.metric.id, to: node.metric.id, relation: node.relation!, d: `M${spine},${parent.y + h}V${middle}H${laid.x}` });
      marks.push({ x: spine, y: middle, relation: node.relation! });
    }
    for (const child of node.children) visit(child, laid);
  };
  visit(root);
  return { width, height: margin * 2 + nodes.length * (h + gap) - gap, nodes, edges, marks };
}

/** Splits a label into lines of at most `max` characters, at spaces; at most two lines (the second ends in "…" if cut). */
export function wrapLabel(label: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of label.split(' ')) {
    if (line && `${line} ${word}`.length > max) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  if (lines.length <= 2) return lines;
  return [lines[0]!, `${lines.slice(1).join(' ').slice(0, max - 1)}…`];
}
