// Tops Caffe adds by itself: a loss layer written without `top:` still gets its one scalar top when
// the net is built (Net::Init appends it, named "(automatic)", readable by no other layer).

import type { NetLayer } from '../model/net';
import type { Shape } from './types';

/** The name Caffe gives a top it adds. */
export const AUTOMATIC_TOP = '(automatic)';

/** BVLC's loss layers: each has exactly one top, and Caffe adds it when none is written. */
export const BVLC_LOSS_TYPES: ReadonlySet<string> = new Set([
  'ContrastiveLoss',
  'EuclideanLoss',
  'HingeLoss',
  'InfogainLoss',
  'MultinomialLogisticLoss',
  'SigmoidCrossEntropyLoss',
  'SoftmaxWithLoss',
]);

const SCALAR: Shape = Object.freeze([]) as Shape;

/** The two answers, shared by every layer (a list per layer is megabytes kept on a large net). */
const ONE_SCALAR: readonly Shape[] = Object.freeze([SCALAR]);
const NONE: readonly Shape[] = Object.freeze([]);

/** The shapes of the tops Caffe adds to `layer` (none for most layers); never to be changed. */
export function automaticTops(layer: NetLayer): readonly Shape[] {
  return layer.tops.length === 0 && BVLC_LOSS_TYPES.has(layer.type) ? ONE_SCALAR : NONE;
}
