// What Caffe checks of a layer when it sets it up, before any shape is known: `propagate_down` once
// per bottom, the bottom and top counts of its type (blob-counts.ts), then the parameter combinations
// its LayerSetUp refuses; and after its reshape, its `loss_weight`s and `param { }` specs. Each is a
// CHECK that stops building the net, so a layer gets at most one, the first Caffe would reach.

import type { FieldNode, Span } from '../../parser/ast';
import type { AnalysisDiagnostic } from '../diagnostic';
import type { NetLayer } from '../model/net';
import { blobCountProblem } from './blob-counts';
import { forkVariantOf, underVariant } from './fork-variants';
import { learnedBatchNormStatistics, tooManyParamSpecs } from './param-blobs';
import { automaticTops, BVLC_LOSS_TYPES } from './automatic-tops';
import { BVLC_TYPE_NAMES } from '../../schema/layer-types';
import { FORK_LAYER_TYPES } from '../../schema/layer-types-forks';
import {
  defaultLossWeightProblem,
  innerSoftmaxWeightsProblem,
  lossWeightProblem,
  propagateDownProblem,
  writesLossWeight,
} from './per-blob-settings';
import type { LayerParams } from './params';
import { hasValuelessBlob, nonBvlcParam, UnreadableParam } from './readable-params';
import { caffeSays, SIMPLE_CHECKS, type ParamCheck } from './setup-simple';

export interface SetupProblem {
  message: string;
  at: Span;
  code: 'blob-count' | 'shape-invalid' | 'param-count';
  /** A warning: BVLC Caffe stops, a Caffe the net is likely meant for does not (fork-variants.ts). */
  warning?: true;
}

/**
 * The first of Caffe's set-up checks `layer` fails, or undefined: always for a Python layer (its
 * `setup` is its own), for a `bottom:` or `top:` without a value (a syntax error already), and for a
 * layer with parameters BVLC lacks (a fork's layer of the same name may take other blobs or settings,
 * as the shape rules assume nothing of it either).
 */
export function setupProblem(
  layer: NetLayer,
  params: LayerParams,
  kept?: readonly NetLayer[],
): SetupProblem | undefined {
  // Net::Init checks this of every layer before making it.
  const propagate = propagateDownProblem(layer);
  if (propagate !== undefined && !hasValuelessBlob(layer)) return { ...propagate, code: 'blob-count' };
  if (layer.type === 'Python') return undefined;
  const problem = firstProblem(layer, params);
  if (problem === undefined || hasValuelessBlob(layer)) return undefined;
  // Counts the schema's own Caffe checkout declares hold for its layers, fork parameters or not.
  const declared = problem.code === 'blob-count' && params.declaredCounts(layer.type) !== undefined;
  if (!declared && nonBvlcParam(layer) !== undefined) return undefined;
  if (problem.code === 'blob-count' && !declared && kept !== undefined) {
    // A count only another Caffe's class of the type accepts, in a net likely meant for that Caffe.
    const found = forkVariantOf(layer, kept);
    const variant = found?.variant;
    const counted =
      variant !== undefined && (variant.maxTops ?? variant.maxBottoms ?? variant.minBottoms) !== undefined;
    const most = { tops: variant?.maxTops, bottoms: variant?.maxBottoms, fewestBottoms: variant?.minBottoms };
    if (found !== undefined && counted && blobCountProblem(layer, params, most) === undefined)
      return { ...problem, message: underVariant(problem.message, found), warning: true };
  }
  return problem;
}

/**
 * What is checked of `layer` once its own set-up went through: its `loss_weight`s (every layer, unless
 * `weightsCleared`: see weightsClearedBySplit), then (Net::Init) no more `param { }` specs than it has
 * blobs (not for the layers `setupProblem` leaves alone). Nothing when an error was reported for it
 * since `from`: Caffe stopped at that one. `kept`: the layers of the phase (fork-variants.ts).
 */
export function afterSetupProblem(
  layer: NetLayer,
  params: LayerParams,
  problems: readonly AnalysisDiagnostic[],
  from: number,
  weightsCleared = false,
  kept?: readonly NetLayer[],
): SetupProblem | undefined {
  let inner =
    weightsCleared || !hasInnerSoftmax(layer, params) ? undefined : innerSoftmaxWeightsProblem(layer);
  // A Caffe the net is likely meant for may clear the weights before making its Softmax: then what
  // BVLC's inner Softmax refuses is a warning, and the checks after it still run.
  const variant = inner !== undefined && kept !== undefined ? forkVariantOf(layer, kept) : undefined;
  const innerWarning = variant?.variant.ownLossWeights ? inner : undefined;
  if (innerWarning !== undefined) inner = undefined;
  // Looked up only for a layer without tops that weighs one (a loss layer, mostly).
  const added = layer.tops.length === 0 && writesLossWeight(layer) ? addedTops(layer, params) : 0;
  let weights = weightsCleared
    ? undefined
    : (inner ??
      lossWeightProblem(layer, added ?? 0) ??
      (isLossLayer(layer, params) ? defaultLossWeightProblem(layer) : undefined));
  // A type nothing here knows may be a loss layer, which Caffe gives its top: one weight is then right.
  const unsure = weights !== undefined && added === undefined && lossWeightProblem(layer, 1) === undefined;
  if (unsure && weights !== undefined)
    weights = { ...weights, message: maybeLossLayer(layer, weights.message) };
  const specs =
    weights !== undefined || layer.paramSpecs.length === 0 || layer.type === 'Python'
      ? undefined
      : tooManyParamSpecs(layer, params);
  if (weights === undefined && specs === undefined && innerWarning === undefined) return undefined;
  if (erredSince(problems, from) || hasValuelessBlob(layer)) return undefined;
  if (weights !== undefined) return { ...weights, code: 'blob-count', ...(unsure ? { warning: true } : {}) };
  if (specs !== undefined && nonBvlcParam(layer) === undefined) return { ...specs, code: 'param-count' };
  // Said once of a layer: not again when its counts were told so already (fork-variants.ts).
  if (innerWarning === undefined || variant === undefined || toldSince(problems, from)) return undefined;
  return {
    message: underVariant(innerWarning.message, variant),
    at: innerWarning.at,
    code: 'blob-count',
    warning: true,
  };
}

/**
 * The tops Net::Init adds to `layer`, written without any: a class whose AutoTopBlobs() is true (every
 * loss layer) gets as many as it needs. Known for a type the schema's checkout declares, BVLC's types
 * (its loss layers get one) and the known forks' types (one for those whose top may be left out, their
 * loss layers); none for a Python layer (PythonLayer is no loss layer). Undefined for a type nothing
 * here knows.
 */
function addedTops(layer: NetLayer, params: LayerParams): number | undefined {
  if (layer.type === 'Python') return 0;
  const declared = params.declaredCounts(layer.type);
  if (declared !== undefined) return declared.auto ? Math.max(declared.minTop, declared.exactTop, 0) : 0;
  if (BVLC_TYPE_NAMES.has(layer.type)) return automaticTops(layer).length;
  const fork = FORK_LAYER_TYPES.find((l) => l.type === layer.type);
  if (fork !== undefined) return fork.tops?.min === 0 ? 1 : 0;
  return undefined;
}

/** `message` about the loss weights of a layer of unknown type, which may be a loss layer. */
function maybeLossLayer(layer: NetLayer, message: string): string {
  return (
    `${message}, unless ${layer.type} is a loss layer: Caffe adds the one top of a loss layer written ` +
    'without one (AutoTopBlobs), and this weight is then its. Write its top to make that certain.'
  );
}

/** Whether a blob-count problem was reported since `from` (the layer's own). */
function toldSince(problems: readonly AnalysisDiagnostic[], from: number): boolean {
  for (let i = from; i < problems.length; i++) if (problems[i].code === 'blob-count') return true;
  return false;
}

function erredSince(problems: readonly AnalysisDiagnostic[], from: number): boolean {
  for (let i = from; i < problems.length; i++) if (problems[i].severity === 'error') return true;
  return false;
}

/**
 * Whether the layer's class is one of Caffe's loss layers, which weigh their first top 1 by
 * themselves: a class deriving from LossLayer in the schema's checkout, else BVLC's loss types
 * (not a layer with parameters BVLC lacks).
 */
function isLossLayer(layer: NetLayer, params: LayerParams): boolean {
  if (layer.tops.length < 2) return false;
  const declared = params.declaredCounts(layer.type);
  if (declared !== undefined) return declared.loss;
  return BVLC_LOSS_TYPES.has(layer.type) && nonBvlcParam(layer) === undefined;
}

/** BVLC's SoftmaxWithLoss (not a checkout's, which may have fixed how it sets up its Softmax). */
function hasInnerSoftmax(layer: NetLayer, params: LayerParams): boolean {
  return (
    layer.type === 'SoftmaxWithLoss' &&
    layer.perBlobFields.length > 1 &&
    params.declaredCounts(layer.type) === undefined &&
    nonBvlcParam(layer) === undefined
  );
}

function firstProblem(layer: NetLayer, params: LayerParams): SetupProblem | undefined {
  const counts = blobCountProblem(layer, params);
  if (counts !== undefined) return { ...counts, code: 'blob-count' };
  const check = PARAM_CHECKS.get(layer.type);
  if (check === undefined) return undefined;
  try {
    const problem = check(params);
    return problem && { ...problem, code: 'shape-invalid' };
  } catch (e) {
    // A value validation rejects is reported there; nothing is said of what it would have set.
    if (e instanceof UnreadableParam) return undefined;
    throw e;
  }
}

const POOL = 'pooling_param';

/**
 * The fields written in a V1 or V2 layer's `block` (none when it is not written), for a look at their
 * names before the block is read; undefined for a V0 layer, whose names differ (read through LayerParams).
 * The checks run on every layer of a net: most have nothing to check, found in one scan of the names.
 */
function writtenFields(params: LayerParams, block: string): readonly FieldNode[] | undefined {
  const layer = params.layer;
  return layer.format === 'v0' ? undefined : (layer.paramBlocks.get(block)?.fields ?? NONE);
}

const NONE: readonly FieldNode[] = [];

function has(fields: readonly FieldNode[], name: string): boolean {
  for (let i = 0; i < fields.length; i++) if (fields[i].name === name) return true;
  return false;
}

/** Whether a `*_h` or `*_w` setting is written (kernel, pad, stride). */
function hasPairField(fields: readonly FieldNode[]): boolean {
  for (let i = 0; i < fields.length; i++) {
    const name = fields[i].name;
    const n = name.length;
    if (n > 2 && name.charCodeAt(n - 2) === 95 /* _ */ && (name[n - 1] === 'h' || name[n - 1] === 'w'))
      return true;
  }
  return false;
}

/** PoolingLayer::LayerSetUp's checks of the kernel, pad and stride settings, in its order. */
function poolingSetup(params: LayerParams): { message: string; at: Span } | undefined {
  // Nearly every Pooling: kernel_size, no global_pooling, no _h/_w pair; nothing to check.
  const written = writtenFields(params, POOL);
  if (written && has(written, 'kernel_size') && !has(written, 'global_pooling') && !hasPairField(written))
    return undefined;
  const p = params.block(POOL);
  const at = (field?: string): Span => (field && p.span(field)) || params.where(POOL);
  const global = p.bool('global_pooling', false);
  const kernelSize = p.has('kernel_size');
  const kernelHW = p.has('kernel_h') && p.has('kernel_w');
  if (global) {
    const given = ['kernel_size', 'kernel_h', 'kernel_w'].find((f) => p.has(f));
    if (given !== undefined)
      return caffeSays(
        'global pooling covers the whole input: no kernel size may be given',
        'With Global_pooling: true Filter size cannot specified',
        at(given),
      );
  } else if (kernelSize === kernelHW) {
    // One CHECK covers both (the one after it is never reached): kernel_size and the pair together,
    // or neither.
    const ours = kernelSize
      ? 'give kernel_size, or kernel_h and kernel_w, not both'
      : p.has('kernel_h') || p.has('kernel_w')
        ? 'a non-square kernel needs both kernel_h and kernel_w'
        : 'the kernel size must be given (kernel_size, or kernel_h and kernel_w)';
    const field = kernelSize
      ? 'kernel_h'
      : p.has('kernel_h')
        ? 'kernel_h'
        : p.has('kernel_w')
          ? 'kernel_w'
          : undefined;
    return caffeSays(ours, 'Filter size is kernel_size OR kernel_h and kernel_w; not both', at(field));
  }
  for (const [one, name, words] of [
    ['pad', 'pad', 'pad is pad OR pad_h and pad_w are required.'],
    ['stride', 'stride', 'Stride is stride OR stride_h and stride_w are required.'],
  ] as const) {
    const h = p.has(`${one}_h`);
    const w = p.has(`${one}_w`);
    const fine = (!p.has(one) && h && w) || (!h && !w);
    if (!fine)
      return caffeSays(
        p.has(one)
          ? `give ${name}, or ${name}_h and ${name}_w, not both`
          : `${name}_h and ${name}_w go together`,
        words,
        at(h ? `${one}_h` : `${one}_w`),
      );
  }
  if (global) {
    const pad = p.has('pad_h') ? [p.number('pad_h', 0), p.number('pad_w', 0)] : [p.number('pad', 0)];
    const stride = p.has('stride_h')
      ? [p.number('stride_h', 1), p.number('stride_w', 1)]
      : [p.number('stride', 1)];
    if (pad.some((v) => v !== 0) || stride.some((v) => v !== 1))
      return caffeSays(
        'global pooling takes no pad and a stride of 1',
        'With Global_pooling: true; only pad = 0 and stride = 1',
        at(
          pad.some((v) => v !== 0)
            ? p.has('pad')
              ? 'pad'
              : 'pad_h'
            : p.has('stride')
              ? 'stride'
              : 'stride_h',
        ),
      );
  }
  return undefined;
}

const CONV = 'convolution_param';

/**
 * BaseConvolutionLayer::LayerSetUp (and Im2col's): a setting given both as the list and as its
 * `_h`/`_w` pair. (Whether the pair suits the input's axes is the rule's, once the shape is known.)
 */
function convolutionSetup(type: string): ParamCheck {
  return (params) => {
    const written = writtenFields(params, CONV);
    if (written && !hasPairField(written)) return undefined;
    const p = params.block(CONV);
    for (const [list, words] of [
      ['kernel_size', 'Either kernel_size or kernel_h/w should be specified; not both.'],
      ['stride', 'Either stride or stride_h/w should be specified; not both.'],
      ['pad', 'Either pad or pad_h/w should be specified; not both.'],
    ] as const) {
      const one = list === 'kernel_size' ? 'kernel' : list;
      const pair = p.has(`${one}_h`) ? `${one}_h` : p.has(`${one}_w`) ? `${one}_w` : undefined;
      if (pair !== undefined && p.has(list))
        return caffeSays(
          `give ${list}, or ${one}_h and ${one}_w, not both`,
          words,
          p.span(pair) ?? params.where(CONV),
          type,
        );
    }
    // DeepLab v1's dilation, checked by its own ConvolutionLayer::LayerSetUp.
    const holeH = p.has('hole_h');
    const holeW = p.has('hole_w');
    if ((holeH || holeW) && (p.has('hole') || holeH !== holeW))
      return caffeSays(
        p.has('hole') ? 'give hole, or hole_h and hole_w, not both' : 'hole_h and hole_w go together',
        'hole is hole OR hole_h and hole_w are required.',
        p.span(holeH ? 'hole_h' : 'hole_w') ?? params.where(CONV),
        type,
      );
    return undefined;
  };
}

/** Concat and Slice: the axis given both as `axis` and as the legacy `concat_dim` / `slice_dim`. */
function legacyAxisSetup(type: string, block: string, legacy: string): ParamCheck {
  return (params) => {
    const written = writtenFields(params, block);
    if (written && !(has(written, 'axis') && has(written, legacy))) return undefined;
    const p = params.block(block);
    if (!p.has('axis') || !p.has(legacy)) return undefined;
    return caffeSays(
      `give axis or ${legacy}, not both`,
      `Either axis or ${legacy} should be specified; not both.`,
      p.span(legacy) ?? params.where(block),
      type,
    );
  };
}

/** LRNLayer::LayerSetUp: the window is centred, so its size is odd. */
const lrnSetup: ParamCheck = (params) => {
  const written = writtenFields(params, 'lrn_param');
  if (written && !has(written, 'local_size')) return undefined;
  const p = params.block('lrn_param');
  const size = p.number('local_size', 5);
  if (size % 2 === 1) return undefined;
  return caffeSays(
    `local_size ${size} is even; the window is centred on each channel, so it must be odd`,
    'LRN only supports odd values for local_size',
    p.span('local_size') ?? params.where('lrn_param'),
    'LRN',
  );
};

const PARAM_CHECKS: ReadonlyMap<string, ParamCheck> = new Map([
  ['Pooling', poolingSetup],
  ['BatchNorm', (params) => learnedBatchNormStatistics(params.layer)],
  ['LRN', lrnSetup],
  ['Concat', legacyAxisSetup('Concat', 'concat_param', 'concat_dim')],
  ['Slice', legacyAxisSetup('Slice', 'slice_param', 'slice_dim')],
  ...['Convolution', 'Deconvolution', 'Im2col'].map((t): [string, ParamCheck] => [t, convolutionSetup(t)]),
  ...SIMPLE_CHECKS,
]);
