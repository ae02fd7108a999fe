// Caffe's blobs hold at most INT_MAX values: Blob::Reshape CHECKs the count as it multiplies the dims
// ("blob size exceeds INT_MAX") and the net stops there. A top or a parameter blob past that is an
// error of the layer that makes it.

import type { NetLayer } from '../model/net';
import { count, formatShape, isComplete } from './arith';
import type { Shape } from './types';
import type { LayerParams } from './params';
import { readShapes } from './shared-params';

export const MAX_BLOB_COUNT = 2147483647;

const said = '("blob size exceeds INT_MAX")';

/** The problem of a top of this shape, when it holds more values than a blob can. */
export function oversizedTop(name: string, shape: Shape): string | undefined {
  if (!isComplete(shape)) return undefined;
  const n = count(shape);
  if (n <= MAX_BLOB_COUNT) return undefined;
  return `top '${name}' would be ${formatShape(shape)}, ${n.toLocaleString('en-US')} values: more than a Caffe blob holds (${MAX_BLOB_COUNT.toLocaleString('en-US')}), so Caffe stops ${said}`;
}

/**
 * The problem of the layer's largest parameter blob, when one holds more values than a blob can
 * (looked for only when all of them together do, `total` being their count).
 */
export function oversizedParams(
  layer: NetLayer,
  bottoms: readonly (Shape | null)[],
  params: LayerParams,
  total: number | null,
): string | undefined {
  if (total === null || total <= MAX_BLOB_COUNT) return undefined;
  const shapes = readShapes(layer, bottoms, params) ?? [];
  for (let i = 0; i < shapes.length; i++) {
    const shape = shapes[i];
    if (shape === undefined || !isComplete(shape) || count(shape) <= MAX_BLOB_COUNT) continue;
    return `layer '${layer.name}' would make parameter blob ${i} as ${formatShape(shape)}, ${count(shape).toLocaleString('en-US')} values: more than a Caffe blob holds (${MAX_BLOB_COUNT.toLocaleString('en-US')}), so Caffe stops ${said}`;
  }
  return undefined;
}
