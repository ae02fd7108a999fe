// A layer's entry in a phase's shape result, found by the layer's index: the entries follow the
// net's order, so a binary search finds one without a walk over every layer of a large net.

import { lastAtOrBefore } from '../../../../common/arrays';
import type { LayerShapes, ShapeResult } from './types';

/** The shapes of the net's layer at `index` in this phase; undefined when the phase leaves it out. */
export function layerShapesAt(result: ShapeResult, index: number): LayerShapes | undefined {
  const layers = result.layers;
  const at = lastAtOrBefore(layers.length, (i) => layers[i].layer.index, index);
  return at >= 0 && layers[at].layer.index === index ? layers[at] : undefined;
}
