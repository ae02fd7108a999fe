// Inputs some layers cannot pass a gradient to: a loss's labels, an Embed's indices, a recurrent
// layer's sequence indicators. Caffe works out in Net::Init which bottoms need a gradient (a blob
// needs one when a layer before it has a learning rate, and the blob leads to a loss), and a layer
// asked to back-propagate to such an input stops training at the first backward pass ("SoftmaxWithLoss
// Layer cannot backpropagate to label inputs."): Faster R-CNN's labels come from a Python layer fed by
// the RPN's scores, so its losses write `propagate_down: false` for them. The same reasoning here, on
// the layers a phase keeps, in two passes as Net::Init: forward (who needs a gradient), then backward
// (who leads to a loss; what no later layer needs is not back-propagated to). Only for V2 nets; a
// layer whose parameters the type does not know counts as having none, and the tops of a type that is
// neither BVLC's nor Python as needing no gradient (a fork's Net::Init may treat it apart).

import type { Span } from '../../parser/ast';
import type { BlobIds } from '../model/blob-ids';
import type { AnalysisDiagnostic } from '../diagnostic';
import { scalarText } from '../model/net-read';
import type { NetLayer } from '../model/net';
import { BVLC_TYPE_NAMES } from '../../schema/layer-types';
import { BVLC_LOSS_TYPES } from './automatic-tops';
import { parameterBlobRoles } from './param-blobs';
import { writtenLossWeights } from './per-blob-settings';
import { LayerParams } from './params';
import { nonBvlcParam } from './readable-params';
import type { Schema } from '../../schema/schema';

interface Refusal {
  /** The bottom's index; -1 for the last. */
  bottom: number;
  /** Caffe's words. */
  caffe: string;
  /** What the bottom is, for the message. */
  what: string;
}

const LABELS = (type: string): Refusal => ({
  bottom: 1,
  caffe: `${type} Layer cannot backpropagate to label inputs.`,
  what: 'its labels',
});
const INDICATORS: Refusal = {
  bottom: 1,
  caffe: 'Cannot backpropagate to sequence indicators.',
  what: 'its sequence indicators',
};

/** BVLC's layer types whose Backward refuses a gradient for some bottom. */
const REFUSED: ReadonlyMap<string, readonly Refusal[]> = new Map([
  ['SoftmaxWithLoss', [LABELS('SoftmaxWithLoss')]],
  ['SigmoidCrossEntropyLoss', [LABELS('SigmoidCrossEntropyLoss')]],
  ['MultinomialLogisticLoss', [LABELS('MultinomialLogisticLoss')]],
  ['HingeLoss', [LABELS('HingeLoss')]],
  [
    'InfogainLoss',
    [
      LABELS('InfogainLoss'),
      {
        bottom: 2,
        caffe: 'InfogainLoss Layer cannot backpropagate to infogain inputs.',
        what: 'its infogain matrix',
      },
    ],
  ],
  ['Embed', [{ bottom: 0, caffe: "Can't backpropagate to EmbedLayer input.", what: 'its indices' }]],
  ['BatchReindex', [{ bottom: 1, caffe: 'Cannot backprop to index.', what: 'its indices' }]],
  ['LSTMUnit', [{ ...INDICATORS, bottom: 2 }]],
  ['LSTM', [INDICATORS]],
  ['RNN', [INDICATORS]],
  [
    'Filter',
    [{ bottom: -1, caffe: 'FilterLayer cannot backpropagate to filter index inputs', what: 'its selector' }],
  ],
]);

/** The bottoms (by index) a layer of `type` with `bottoms` bottoms refuses a gradient for. */
export function refusedBottoms(type: string, bottoms: number): number[] {
  return (REFUSED.get(type) ?? [])
    .map((r) => (r.bottom < 0 ? bottoms - 1 : r.bottom))
    .filter((i) => i >= 0 && i < bottoms);
}

/** Whether any layer of `kept` may refuse a gradient (most nets have a loss that may). */
export function mayRefuseBackward(kept: readonly NetLayer[]): boolean {
  for (let i = 0; i < kept.length; i++) if (REFUSED.has(kept[i].type)) return true;
  return false;
}

/**
 * The bottoms of `kept` (one phase's layers, in order) that Caffe would back-propagate to and whose
 * layer refuses it, as errors placed on the bottom.
 */
export function backwardProblems(
  kept: readonly NetLayer[],
  schema: Schema | undefined,
  problems: AnalysisDiagnostic[],
  ids: BlobIds,
  force = false,
): void {
  if (kept.some((l) => l.format !== 'v2')) return;
  if (!force && !mayNeedRefused(kept, schema, ids)) return;
  const n = kept.length;
  // Forward (Net::Init as it appends each layer): a blob version needs a gradient when its layer does.
  const version = new Map<string, number>();
  const needs: boolean[] = [];
  const producerOf: number[] = [];
  const learnerOf: number[] = [];
  const bottomVersion: number[][] = new Array<number[]>(n);
  const topVersion: number[][] = new Array<number[]>(n);
  const layerNeeds: boolean[] = new Array<boolean>(n);
  const bottomNeeds: boolean[][] = new Array<boolean[]>(n);
  for (let l = 0; l < n; l++) {
    const layer = kept[l];
    const propagate = flags(layer, 'propagate_down');
    let need = false;
    // A layer whose learned parameters make this one need a gradient (for the message).
    let learner = -1;
    const versions: number[] = [];
    const bottomNeed: boolean[] = [];
    for (let i = 0; i < layer.bottoms.length; i++) {
      const v = version.get(layer.bottoms[i].name);
      const blobNeeds = v !== undefined && needs[v];
      if (blobNeeds && !need) learner = learnerOf[v as number];
      need ||= blobNeeds;
      versions.push(v ?? -1);
      bottomNeed.push(propagate !== undefined ? (propagate[i] ?? blobNeeds) : blobNeeds);
    }
    // The nearest learner is named: this layer when it learns.
    if (learns(layer, schema)) {
      need = true;
      learner = l;
    }
    // A fork's or a plugin's type may be treated apart (TSN's Gather passes each bottom's need on to
    // its top): what its tops need is not known, so they are taken to need nothing.
    const known = layer.type === 'Python' || BVLC_TYPE_NAMES.has(layer.type);
    const tops: number[] = [];
    for (const top of layer.tops) {
      const v = needs.length;
      needs.push(need && known);
      learnerOf.push(learner);
      producerOf.push(l);
      version.set(top.name, v);
      tops.push(v);
    }
    bottomVersion[l] = versions;
    topVersion[l] = tops;
    layerNeeds[l] = need;
    bottomNeeds[l] = bottomNeed;
  }
  // Backward: who leads to a loss, and which versions no reader back-propagates to (a version read
  // by several layers goes through the Split layer Caffe inserts, which takes a gradient only when
  // the version needs one and a reader passes one back).
  const underLoss: boolean[] = new Array<boolean>(needs.length).fill(false);
  const readers: number[] = new Array<number>(needs.length).fill(0);
  const propagated: boolean[] = new Array<boolean>(needs.length).fill(false);
  const skipped = (v: number) =>
    readers[v] === 0 ? false : readers[v] === 1 ? !propagated[v] : !(needs[v] && propagated[v]);
  for (let l = n - 1; l >= 0; l--) {
    const layer = kept[l];
    const weights = lossWeights(layer);
    // A loss written without a top gets one from Caffe, weighed and read by no other layer.
    const automaticTop = layer.tops.length === 0 && weights.automatic;
    let contributes = automaticTop;
    let skipsAll = !automaticTop;
    const tops = topVersion[l];
    for (let i = 0; i < tops.length; i++) {
      if ((weights.of[i] ?? 0) !== 0 || underLoss[tops[i]]) contributes = true;
      if (!skipped(tops[i])) skipsAll = false;
    }
    const bottomNeed = bottomNeeds[l];
    if (layerNeeds[l] && skipsAll) {
      layerNeeds[l] = false;
      bottomNeed.fill(false);
    }
    if (!contributes) layerNeeds[l] = false;
    const versions = bottomVersion[l];
    for (let i = 0; i < versions.length; i++) {
      const v = versions[i];
      if (v < 0) continue;
      if (contributes) underLoss[v] = true;
      else bottomNeed[i] = false;
      readers[v]++;
      if (bottomNeed[i]) propagated[v] = true;
    }
  }
  // force_backward: every layer runs its backward, with a gradient for every input it allows one.
  if (force) {
    for (let l = 0; l < n; l++) {
      layerNeeds[l] = true;
      const bottomNeed = bottomNeeds[l];
      for (let i = 0; i < bottomNeed.length; i++) bottomNeed[i] ||= allowsForced(kept[l].type, i);
    }
  }
  for (let l = 0; l < n; l++) {
    const refusals = REFUSED.get(kept[l].type);
    if (!refusals || !layerNeeds[l] || nonBvlcParam(kept[l]) !== undefined) continue;
    for (const r of refusals) {
      const layer = kept[l];
      const i = r.bottom < 0 ? layer.bottoms.length - 1 : r.bottom;
      if (i < 0 || i >= layer.bottoms.length || !bottomNeeds[l][i]) continue;
      const bottom = layer.bottoms[i];
      const v = bottomVersion[l][i];
      const from = v >= 0 ? kept[producerOf[v]] : undefined;
      const learner = v >= 0 && learnerOf[v] >= 0 ? kept[learnerOf[v]] : undefined;
      problems.push(refusal(layer, r, bottom.name, bottom.span, { from, learner }, force));
    }
  }
}

function refusal(
  layer: NetLayer,
  r: Refusal,
  blob: string,
  at: Span,
  made: { from?: NetLayer; learner?: NetLayer },
  force: boolean,
): AnalysisDiagnostic {
  const fix =
    layer.bottoms.length === 1
      ? 'propagate_down: false'
      : `one propagate_down per bottom, false for "${blob}"`;
  const { from, learner } = made;
  const source =
    learner === undefined
      ? 'learned parameters'
      : `the learned parameters of layer "${learner.name}"${from && from !== learner ? ` (through layer "${from.name}")` : ''}`;
  const why = force
    ? 'force_backward: true asks every layer for a gradient of each input it allows, and'
    : `"${blob}" needs a gradient here: it is computed from ${source} and this layer leads to a loss, but`;
  const when = force ? 'its first backward pass' : 'the first backward pass of training';
  return {
    severity: 'error',
    code: 'backward-refused',
    message:
      `${why} ${layer.type} cannot pass a gradient to ${r.what}. Caffe stops at ${when} ("${r.caffe}"). ` +
      `Write ${fix}.`,
    start: at.start,
    end: at.end,
  };
}

/** Layer::AllowForceBackward: which inputs force_backward may ask a gradient for. */
function allowsForced(type: string, bottom: number): boolean {
  if (type === 'EuclideanLoss') return true;
  if (type === 'ContrastiveLoss' || type === 'LSTMUnit') return bottom !== 2;
  if (BVLC_LOSS_TYPES.has(type) || type === 'LSTM' || type === 'RNN') return bottom !== 1;
  return true;
}

/**
 * The forward pass alone, by blob number (Net::Init's own bookkeeping): whether a bottom a layer
 * refuses a gradient for would be asked for one before the backward pass prunes. Without such a
 * bottom (labels read from a data layer: nearly every net) there is nothing to report.
 */
function mayNeedRefused(kept: readonly NetLayer[], schema: Schema | undefined, ids: BlobIds): boolean {
  const need = new Uint8Array(ids.count);
  for (let l = 0; l < kept.length; l++) {
    const layer = kept[l];
    let layerNeeds = false;
    for (let i = 0; i < layer.bottoms.length; i++) if (need[ids.bottom(layer, i)] === 1) layerNeeds = true;
    const refusals = REFUSED.get(layer.type);
    if (refusals !== undefined) {
      const propagate = flags(layer, 'propagate_down');
      for (const r of refusals) {
        const i = r.bottom < 0 ? layer.bottoms.length - 1 : r.bottom;
        if (i < 0 || i >= layer.bottoms.length) continue;
        if (propagate?.[i] ?? need[ids.bottom(layer, i)] === 1) return true;
      }
    }
    if (!layerNeeds) layerNeeds = learns(layer, schema);
    const passes = layerNeeds && (layer.type === 'Python' || BVLC_TYPE_NAMES.has(layer.type)) ? 1 : 0;
    for (let i = 0; i < layer.tops.length; i++) need[ids.top(layer, i)] = passes;
  }
  return false;
}

/** The layer's `propagate_down` values, or undefined when none is written. */
function flags(layer: NetLayer, name: string): (boolean | undefined)[] | undefined {
  if (layer.perBlobFields.length === 0) return undefined;
  const out: (boolean | undefined)[] = [];
  for (const f of layer.perBlobFields) {
    if (f.name !== name) continue;
    const values = f.value?.kind === 'list' ? f.value.items : [f.value];
    for (const v of values) {
      const text = v && v.kind !== 'message' ? scalarText(v) : undefined;
      out.push(text === undefined ? undefined : !/^(false|f|False|0)$/.test(text));
    }
  }
  return out.length > 0 ? out : undefined;
}

/** Each top's loss weight (written, else 1 for a loss layer's first top), and whether Caffe adds a weighed top. */
export function lossWeights(layer: NetLayer): { of: number[]; automatic: boolean } {
  const written = writtenLossWeights(layer);
  const loss = BVLC_LOSS_TYPES.has(layer.type);
  if (written.length > 0) return { of: written, automatic: loss && written[0] !== 0 };
  return loss ? { of: [1], automatic: true } : { of: [], automatic: false };
}

/** Whether the layer has a parameter blob with a learning rate (lr_mult defaults to 1). */
export function learns(layer: NetLayer, schema: Schema | undefined): boolean {
  if (layer.type === 'Python') return false;
  const roles = parameterBlobRoles(layer, new LayerParams(layer, schema));
  if (!roles || roles.length === 0) return false;
  for (let j = 0; j < roles.length; j++) {
    if ((layer.paramSpecs[j]?.lrMult ?? 1) !== 0) return true;
  }
  return false;
}
