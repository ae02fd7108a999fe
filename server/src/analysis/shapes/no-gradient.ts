// Layers that learn but that no loss depends on. Net::Init runs a layer's backward only when one of
// its tops leads to a loss (a top with a loss weight, or one a later such layer reads); a layer with a
// learning rate that leads to none gets no gradient ("conv_x does not need backward computation."),
// so training changes its parameters only by weight decay (with force_backward its backward runs, with a
// zero gradient). Told as information, in the training phase of a net that has a loss at all (a deploy
// net has none), as Caffe logs it and goes on.

import type { BlobIds } from '../model/blob-ids';
import type { AnalysisDiagnostic } from '../diagnostic';
import type { NetLayer } from '../model/net';
import type { Schema } from '../../schema/schema';
import { BVLC_TYPE_NAMES } from '../../schema/layer-types';
import { BVLC_LOSS_TYPES } from './automatic-tops';
import { learns, lossWeights } from './backward';

/** One information per layer of `kept` (one phase's layers, in order) that learns and leads to no loss. */
export function noGradientProblems(
  kept: readonly NetLayer[],
  schema: Schema | undefined,
  problems: AnalysisDiagnostic[],
  ids: BlobIds,
  /** The net's `force_backward: true`: every layer runs its backward, with a zero gradient here. */
  forceBackward = false,
): void {
  // A net without a loss (a deploy net) trains nothing: told from the end, where losses are.
  let anyLoss = false;
  for (let l = kept.length - 1; l >= 0 && !anyLoss; l--) anyLoss = weighsATop(kept[l]);
  if (!anyLoss) return;
  // By blob number, going backward: whether the blob as last written leads to a loss.
  const underLoss = new Uint8Array(ids.count);
  const none: number[] = [];
  for (let l = kept.length - 1; l >= 0; l--) {
    const layer = kept[l];
    if (layer.format !== 'v2') return;
    let contributes = weighsATop(layer);
    // A type neither BVLC's nor Python (a fork's loss may weigh its top by itself) is taken to lead to one.
    if (layer.type !== 'Python' && !BVLC_TYPE_NAMES.has(layer.type)) contributes = true;
    for (let i = 0; i < layer.tops.length && !contributes; i++)
      if (underLoss[ids.top(layer, i)] === 1) contributes = true;
    // Before this layer, its tops are other versions of their names (or none).
    for (let i = 0; i < layer.tops.length; i++) underLoss[ids.top(layer, i)] = 0;
    if (contributes) {
      for (let i = 0; i < layer.bottoms.length; i++) underLoss[ids.bottom(layer, i)] = 1;
    } else if (layer.paramSpecs.every((s) => s.name === undefined)) {
      // A layer sharing a named parameter may give it a gradient through another layer: left out.
      none.push(l);
    }
  }
  for (let k = none.length - 1; k >= 0; k--) {
    const layer = kept[none[k]];
    if (!learns(layer, schema)) continue;
    const span = layer.nameSpan ?? layer.typeSpan ?? layer.node.nameSpan;
    const name = layer.name || layer.type;
    problems.push({
      severity: 'information',
      code: 'no-gradient',
      message:
        `${name} learns, but no loss depends on it in this phase: ` +
        (forceBackward
          ? 'force_backward makes Caffe run its backward, but with no loss behind it the gradient is zero'
          : `Caffe computes no gradient for it ("${name} does not need backward computation.")`) +
        ', so training changes its parameters only by weight decay. Connect it to a loss, or give it ' +
        'lr_mult: 0 if it is meant to stay fixed.',
      start: span.start,
      end: span.end,
    });
  }
}

/** Whether the layer weighs one of its tops into the loss (a loss layer's first top weighs 1). */
function weighsATop(layer: NetLayer): boolean {
  if (layer.perBlobFields.length === 0) return BVLC_LOSS_TYPES.has(layer.type);
  const weights = lossWeights(layer);
  return weights.automatic || weights.of.some((w) => w !== 0);
}
