// The layout of a graph too wide for ELK, or when ELK ran out of time: each node on the row of its
// depth (the rank layout-bounds.ts gives), in net order from left to right, a rank wider than
// GRID_COLUMNS wrapped onto more rows; edges are straight lines. Linear in the size of the graph.

import { nodeSize } from '../../../../common/graph/measure';
import type { LaidOutEdge, LaidOutGraph, LaidOutNode, NetGraph, Point } from '../../../../common/graph/types';

export const GRID_COLUMNS = 12;
const MARGIN = 16;
const GAP_X = 24;
const GAP_Y = 40;

export function gridLayout(
  graph: NetGraph,
  rank: ReadonlyMap<string, number>,
  notes: string[],
): LaidOutGraph {
  const rows: (typeof graph.nodes)[] = [];
  const byRank = new Map<number, typeof graph.nodes>();
  for (const node of graph.nodes) {
    const r = rank.get(node.id) ?? 0;
    const list = byRank.get(r);
    if (list) list.push(node);
    else byRank.set(r, [node]);
  }
  for (const r of [...byRank.keys()].sort((a, b) => a - b)) {
    const list = byRank.get(r) ?? [];
    for (let i = 0; i < list.length; i += GRID_COLUMNS) rows.push(list.slice(i, i + GRID_COLUMNS));
  }
  const placed = new Map<string, LaidOutNode>();
  const nodes: LaidOutNode[] = [];
  let y = MARGIN;
  let width = 0;
  for (const row of rows) {
    let x = MARGIN;
    let height = 0;
    for (const node of row) {
      const size = nodeSize(node);
      const laid = { ...node, x, y, ...size };
      placed.set(node.id, laid);
      x += size.width + GAP_X;
      height = Math.max(height, size.height);
    }
    width = Math.max(width, x - GAP_X);
    y += height + GAP_Y;
  }
  for (const node of graph.nodes) {
    const laid = placed.get(node.id);
    if (laid) nodes.push(laid);
  }
  const edges: LaidOutEdge[] = [];
  for (const e of graph.edges) {
    const from = placed.get(e.from);
    const to = placed.get(e.to);
    if (from && to) edges.push({ ...e, points: between(from, to) });
  }
  return {
    phase: graph.phase,
    nodes,
    edges,
    totals: graph.totals,
    width: Math.ceil(width + MARGIN),
    height: Math.ceil(Math.max(y - GAP_Y, MARGIN) + MARGIN),
    notes,
  };
}

/** From the bottom of the upper box to the top of the lower one (side by side: centre to centre). */
function between(from: LaidOutNode, to: LaidOutNode): Point[] {
  const fx = from.x + from.width / 2;
  const tx = to.x + to.width / 2;
  if (from.y + from.height <= to.y)
    return [
      { x: fx, y: from.y + from.height },
      { x: tx, y: to.y },
    ];
  if (to.y + to.height <= from.y)
    return [
      { x: fx, y: from.y },
      { x: tx, y: to.y + to.height },
    ];
  return [
    { x: fx, y: from.y + from.height / 2 },
    { x: tx, y: to.y + to.height / 2 },
  ];
}
