// What the layout engine is given, so that its work stays bounded. ELK's layered layout takes time
// that grows with the square of the widest rank (a Concat of 400 inputs side by side: 20 s; 1,000:
// past two minutes), counting the edges that pass through a rank, and with the size of the whole
// graph. So: at most MAX_LAID_OUT_NODES nodes (the first in net order); edges between the same two
// nodes routed once (the others follow the same path); and a graph wider than MAX_RANK_WIDTH
// anywhere is not given to ELK at all but placed by depth (layout-grid.ts). Each cut says so in a note.

import type { GraphEdge, NetGraph } from '../../../../common/graph/types';
import { grouped } from '../../../../common/numbers';

export const MAX_LAID_OUT_NODES = 1500;
export const MAX_RANK_WIDTH = 96;

export interface BoundedGraph {
  /** The graph to draw: every node and edge, or the first MAX_LAID_OUT_NODES nodes and their edges. */
  graph: NetGraph;
  /** The edges the layout engine routes: one per pair of nodes. */
  routed: GraphEdge[];
  /** For an edge not routed: the routed edge between the same two nodes whose path it takes. */
  followsPath: Map<string, string>;
  /** The depth of each node: the longest chain of edges (in net order) that leads to it. */
  rank: Map<string, number>;
  /** Nodes and passing edges side by side at the widest rank. */
  width: number;
  notes: string[];
}

const count = (n: number) => grouped(n);

export function boundForLayout(full: NetGraph): BoundedGraph {
  const notes: string[] = [];
  let graph = full;
  if (full.nodes.length > MAX_LAID_OUT_NODES) {
    const nodes = full.nodes.slice(0, MAX_LAID_OUT_NODES);
    const kept = new Set(nodes.map((n) => n.id));
    graph = { ...full, nodes, edges: full.edges.filter((e) => kept.has(e.from) && kept.has(e.to)) };
    notes.push(
      `This graph has ${count(full.nodes.length)} nodes in ${full.phase}: too large to lay out, so it shows the first ${count(MAX_LAID_OUT_NODES)} layers (the totals are of the whole net).`,
    );
  }
  const order = new Map(graph.nodes.map((n, i) => [n.id, i]));
  const routed: GraphEdge[] = [];
  const followsPath = new Map<string, string>();
  const byPair = new Map<string, string>();
  for (const edge of graph.edges) {
    if (!order.has(edge.from) || !order.has(edge.to)) continue;
    const pair = `${edge.from}\u0000${edge.to}`;
    const same = byPair.get(pair);
    if (same !== undefined) followsPath.set(edge.id, same);
    else {
      routed.push(edge);
      byPair.set(pair, edge.id);
    }
  }
  const rank = ranks(graph, routed, order);
  return { graph, routed, followsPath, rank, width: widest(graph, routed, rank), notes };
}

/** Longest-path depth in net order; an edge that runs backwards (a broken net) is not followed. */
function ranks(
  graph: NetGraph,
  edges: readonly GraphEdge[],
  order: Map<string, number>,
): Map<string, number> {
  const incoming = new Map<string, GraphEdge[]>();
  for (const e of edges) {
    const list = incoming.get(e.to);
    if (list) list.push(e);
    else incoming.set(e.to, [e]);
  }
  const rank = new Map<string, number>();
  for (const node of graph.nodes) {
    let r = 0;
    for (const e of incoming.get(node.id) ?? []) {
      if ((order.get(e.from) ?? Infinity) >= (order.get(node.id) ?? 0)) continue;
      r = Math.max(r, (rank.get(e.from) ?? 0) + 1);
    }
    rank.set(node.id, r);
  }
  return rank;
}

/** The most nodes plus edges passing through (that ELK turns into dummy nodes) at any one rank. */
function widest(graph: NetGraph, edges: readonly GraphEdge[], rank: Map<string, number>): number {
  let deepest = 0;
  for (const r of rank.values()) deepest = Math.max(deepest, r);
  const atRank = new Array<number>(deepest + 2).fill(0);
  for (const node of graph.nodes) atRank[rank.get(node.id) ?? 0]++;
  // Edges spanning ranks a..b add one to every rank strictly between: a difference array.
  const passing = new Array<number>(deepest + 2).fill(0);
  for (const e of edges) {
    const a = rank.get(e.from) ?? 0;
    const b = rank.get(e.to) ?? 0;
    const [lo, hi] = a < b ? [a, b] : [b, a];
    if (hi - lo < 2) continue;
    passing[lo + 1]++;
    passing[hi]--;
  }
  let width = 0;
  let through = 0;
  for (let r = 0; r <= deepest; r++) {
    through += passing[r];
    width = Math.max(width, atRank[r] + through);
  }
  return width;
}
