// A layer's entry in a phase's shape result, found by the layer's index: the entries follow the
// net's order, so a binary search finds one without a walk over every layer of a large net.

import type { LayerShapes, ShapeResult } from './types';

/** The shapes of the net's layer at `index` in this phase; undefined when the phase leaves it out. */
export function layerShapesAt(result: ShapeResult, index: number): LayerShapes | undefined {
  const layers = result.layers;
  let lo = 0;
  let hi = layers.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = layers[mid].layer.index;
    if (at === index) return layers[mid];
    if (at < index) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}
