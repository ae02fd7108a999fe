// Marks what the nodes of a graph learn: the lr_mult of every learnable parameter blob of the node's
// layers (folded in-place layers included; BatchNorm's statistics are not learnable) and whether all
// are 0 (frozen). With a solver's base_lr, the node's rate is base_lr × its largest lr_mult.

import { shortestFloat32 } from '../../../../common/training/lr-schedule';
import type { NetModel } from '../../analysis/model/net';
import type { Schema } from '../../schema/schema';
import { layerRates } from '../../training/param-rates';
import type { NetGraph } from '../../../../common/graph/types';

export function markLearning(graph: NetGraph, net: NetModel, schema?: Schema, baseLr?: number): void {
  for (const node of graph.nodes) {
    if (node.kind !== 'layer') continue;
    const indices = [node.layerIndex, ...node.folded.map((f) => f.layerIndex)];
    const lrMults: number[] = [];
    for (const index of indices) {
      const layer = net.layers[index];
      if (!layer || layer.type === 'BatchNorm') continue;
      for (const blob of layerRates(layer, { baseLr: 1, weightDecay: 1 }, schema).blobs)
        lrMults.push(blob.lrMult);
    }
    if (lrMults.length === 0) continue;
    const largest = Math.max(...lrMults);
    node.learning = {
      lrMults,
      frozen: lrMults.every((m) => m === 0),
      ...(baseLr !== undefined ? { rate: shortestFloat32(Math.fround(baseLr) * Math.fround(largest)) } : {}),
    };
  }
}
