// The layer settings written once per blob, whatever the layer's type (Python layers and forks' too):
// `propagate_down` once per bottom (Net::Init, before the layer is made) and `loss_weight` once per top
// (Layer::SetUp, after the layer's own set-up; a loss layer's top Caffe adds counts). None written is
// always fine.

import type { FieldNode, Span } from '../../parser/ast';
import type { BlobIds } from '../model/blob-ids';
import type { NetLayer } from '../model/net';
import { numberValue } from '../model/net-read';
import { automaticTops } from './automatic-tops';

export interface BlobSettingProblem {
  message: string;
  at: Span;
}

/** Net::Init: as many `propagate_down` values as bottoms, when any is written. */
export function propagateDownProblem(layer: NetLayer): BlobSettingProblem | undefined {
  const written = fieldsNamed(layer, 'propagate_down');
  if (written === undefined) return undefined;
  return mismatch(
    written,
    layer.bottoms.length,
    'bottom',
    'propagate_down param must be specified either 0 or bottom_size times',
  );
}

/**
 * Layer::SetUp: as many `loss_weight` values as tops (with those Caffe adds), when any is written.
 * `added`: the tops Net::Init adds to the layer (BVLC's loss layers' by default).
 */
export function lossWeightProblem(
  layer: NetLayer,
  added = automaticTops(layer).length,
): BlobSettingProblem | undefined {
  const written = fieldsNamed(layer, 'loss_weight');
  if (written === undefined) return undefined;
  return mismatch(
    written,
    layer.tops.length + added,
    added > 0 ? 'top (the one Caffe adds to a loss layer)' : 'top',
    'loss_weight must be unspecified or specified once per top blob.',
  );
}

/**
 * The layers of `kept` (one net state, in order) whose written `loss_weight`s Caffe clears before it
 * makes them: a top with a weight that another layer also reads gets a Split layer, which takes the
 * weight over, and insert_splits.cpp clears every weight of the layer. Their count is then never
 * checked. Undefined when every layer writes no weight or one weight for its one top (most nets):
 * then no count can be refused.
 */
export function weightsClearedBySplit(
  kept: readonly NetLayer[],
  ids: BlobIds,
): ReadonlySet<NetLayer> | undefined {
  let any = false;
  for (let l = 0; l < kept.length && !any; l++) {
    const layer = kept[l];
    if (!writesLossWeight(layer)) continue;
    const count = writtenLossWeights(layer).length;
    any = count !== 1 || layer.tops.length !== 1;
  }
  if (!any) return undefined;
  const cleared = new Set<NetLayer>();
  // By blob number: the layer whose weighted top is the blob as it stands, if any.
  const weighted = new Array<NetLayer | undefined>(ids.count);
  for (let l = 0; l < kept.length; l++) {
    const layer = kept[l];
    for (let b = 0; b < layer.bottoms.length; b++) {
      const by = weighted[ids.bottom(layer, b)];
      if (by !== undefined) cleared.add(by);
    }
    const weights = layer.perBlobFields.length > 0 ? writtenLossWeights(layer) : NO_WEIGHTS;
    for (let t = 0; t < layer.tops.length; t++)
      weighted[ids.top(layer, t)] = t < weights.length && weights[t] !== 0 ? layer : undefined;
  }
  return cleared;
}

const NO_WEIGHTS: readonly number[] = [];

/** Whether the layer writes any `loss_weight`. */
export function writesLossWeight(layer: NetLayer): boolean {
  const fields = layer.perBlobFields;
  for (let i = 0; i < fields.length; i++) if (fields[i].name === 'loss_weight') return true;
  return false;
}

/** The layer's own `loss_weight` values, in order (a value that is no number counts as 0). */
export function writtenLossWeights(layer: NetLayer): number[] {
  const out: number[] = [];
  for (const f of fieldsNamed(layer, 'loss_weight') ?? []) {
    const values = f.value?.kind === 'list' ? f.value.items : [f.value];
    for (const v of values) out.push(v && v.kind !== 'message' ? (numberValue(v) ?? 0) : 0);
  }
  return out;
}

/**
 * BVLC's SoftmaxWithLoss makes its Softmax inside from a copy of its own settings, `loss_weight`
 * included, and sets it up with one top: more than one weight stops Caffe there, whatever the tops
 * (the forks that fix it clear the copy's weights). Placed on the second value.
 */
export function innerSoftmaxWeightsProblem(layer: NetLayer): BlobSettingProblem | undefined {
  const written = fieldsNamed(layer, 'loss_weight');
  if (written === undefined || valueCount(written) < 2) return undefined;
  return {
    message:
      `BVLC Caffe's ${layer.type} passes its loss_weight values to the Softmax it makes inside, which has ` +
      `one top: with ${valueCount(written)} of them Caffe stops building the net ("loss_weight must be ` +
      'unspecified or specified once per top blob."). Compute the probabilities with a Softmax layer of their own.',
    at: valueAt(written, 1),
  };
}

/**
 * A loss layer (a LossLayer in Caffe) without any `loss_weight` gets one, 1 for its first top, in its
 * own set-up; with a second top (SoftmaxWithLoss's probabilities) that one weight is too few, and
 * Layer::SetUp stops. Placed on the second top.
 */
export function defaultLossWeightProblem(layer: NetLayer): BlobSettingProblem | undefined {
  if (layer.tops.length < 2 || fieldsNamed(layer, 'loss_weight') !== undefined) return undefined;
  const tops = layer.tops.length;
  return {
    message:
      `${layer.type} weighs its first top 1 when no loss_weight is written, one weight for ${tops} tops: ` +
      `write one per top (loss_weight: 1, then loss_weight: 0 for ${tops === 2 ? 'the other top' : 'each other top'}); ` +
      'Caffe stops building the net ("loss_weight must be unspecified or specified once per top blob.")',
    at: layer.tops[1].span,
  };
}

function mismatch(
  written: readonly FieldNode[],
  blobs: number,
  blob: string,
  caffe: string,
): BlobSettingProblem | undefined {
  const values = valueCount(written);
  if (values === blobs) return undefined;
  const name = written[0].name;
  const plural = blob.replace(/^(\w+)/, '$1s');
  return {
    message:
      `${values} ${name} value${values === 1 ? '' : 's'} for ${blobs} ${blobs === 1 ? blob : plural}: ` +
      `give none or one per ${blob.replace(/ .*/, '')}; Caffe stops building the net ("${caffe}")`,
    // On the first value too many, else on the first written.
    at: values > blobs ? valueAt(written, blobs) : written[0].nameSpan,
  };
}

/** The fields of this name among the layer's own, or undefined when there is none (most layers). */
function fieldsNamed(layer: NetLayer, name: string): FieldNode[] | undefined {
  const fields = layer.perBlobFields;
  if (fields.length === 0) return undefined;
  const found = fields.filter((f) => f.name === name);
  return found.length > 0 ? found : undefined;
}

/** Values written, a `[a, b]` list counting each item. */
function valueCount(fields: readonly FieldNode[]): number {
  let n = 0;
  for (const f of fields) n += f.value?.kind === 'list' ? f.value.items.length : 1;
  return n;
}

/** Where the `i`th value is (the field for a single value, the item in a list). */
function valueAt(fields: readonly FieldNode[], i: number): Span {
  let seen = 0;
  for (const f of fields) {
    if (f.value?.kind === 'list') {
      if (i < seen + f.value.items.length) return f.value.items[i - seen];
      seen += f.value.items.length;
    } else if (seen++ === i) return f.nameSpan;
  }
  return fields[fields.length - 1].nameSpan;
}
