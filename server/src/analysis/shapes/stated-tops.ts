// Shapes stated for a net's inputs (`# input-shape:` lines, the settings, a deploy net beside it) put
// on the tops of the layers without bottoms that make them, whole or filling the dims the rule left
// unknown.

import type { NetLayer } from '../model/net';
import { isKnownDim, UNKNOWN_DIM } from './arith';
import type { StatedShapes } from './input-shapes';
import type { LayerParams } from './params';
import type { Shape } from './types';

/** Stated shapes replace the tops of a layer without bottoms; returns where each top's shape came from. */
export function applyStated(
  stated: StatedShapes,
  layer: NetLayer,
  tops: (Shape | null)[],
  params: LayerParams,
): (string | undefined)[] | undefined {
  const batch = hdf5Batch(layer, params);
  let sources: (string | undefined)[] | undefined;
  layer.tops.forEach((t, i) => {
    const given = stated.get(t.name);
    if (!given) return;
    const shape = given.fill ? filled(tops[i], given.shape, batch) : given.shape;
    if (!shape) return;
    tops[i] = shape;
    (sources ??= new Array<string | undefined>(layer.tops.length))[i] = given.source;
  });
  return sources;
}

/**
 * `shape` with its unknown dims taken from `fill`; undefined when it has none or the ranks differ. A
 * top the rule says nothing of takes `fill` whole, with `batch` first when it is known.
 */
function filled(shape: Shape | null, fill: Shape, batch: number): Shape | undefined {
  if (shape === null) return isKnownDim(batch) ? [batch, ...fill.slice(1)] : fill;
  if (shape.length !== fill.length || shape.every(isKnownDim)) return undefined;
  return shape.map((d, i) => (isKnownDim(d) ? d : fill[i]));
}

/** The batch size of an HDF5Data layer, whose rule cannot tell the rank of its tops; else unknown. */
function hdf5Batch(layer: NetLayer, params: LayerParams): number {
  if (layer.type !== 'HDF5Data') return UNKNOWN_DIM;
  const n = params.block('hdf5_data_param').number('batch_size', 0);
  return n > 0 ? n : UNKNOWN_DIM;
}
