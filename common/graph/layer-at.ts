// Which layer of a graph the cursor is in: the graph view outlines its node as the cursor moves.

import type { NetGraph } from './types';

/** The layer whose text holds `offset` (its own node, or a layer folded into one); undefined elsewhere. */
export function layerAt(
  graph: Pick<NetGraph, 'nodes'>,
  offset: number,
): { layerName: string; nodeId: string } | undefined {
  for (const node of graph.nodes) {
    if (node.kind !== 'layer') continue;
    for (const f of node.folded) {
      if (offset >= f.span.start && offset <= f.span.end) return { layerName: f.name, nodeId: node.id };
    }
    if (offset >= node.span.start && offset <= node.span.end)
      return { layerName: node.name, nodeId: node.id };
  }
  return undefined;
}
