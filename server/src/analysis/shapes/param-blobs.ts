// The learnable parameter blobs each BVLC layer type makes in its set-up, in Caffe's order, and what
// Net::Init checks of the `param { }` specs written for them: no more specs than blobs, and (in
// BatchNorm's own set-up) no statistics blob given a learning rate.

import type { FieldNode, Span } from '../../parser/ast';
import type { NetLayer, ParamSpecInfo } from '../model/net';
import type { LayerParams } from './params';

/** The roles of a layer's parameter blobs in Caffe's order; undefined when the type is not known. */
export function parameterBlobRoles(layer: NetLayer, params: LayerParams): string[] | undefined {
  const bias = (block: string, byDefault: boolean) => params.block(block).bool('bias_term', byDefault);
  const staticInput = layer.bottoms.length > 2;
  switch (layer.type) {
    case 'Convolution':
    case 'Deconvolution':
      return ['weights', ...(bias('convolution_param', true) ? ['bias'] : [])];
    case 'InnerProduct':
      return ['weights', ...(bias('inner_product_param', true) ? ['bias'] : [])];
    case 'Embed':
      return ['weights', ...(bias('embed_param', true) ? ['bias'] : [])];
    case 'Scale':
      // With a second bottom the scale comes from it, not from a parameter.
      return [
        ...(layer.bottoms.length < 2 ? ['scale'] : []),
        ...(bias('scale_param', false) ? ['bias'] : []),
      ];
    case 'Bias':
      return layer.bottoms.length < 2 ? ['bias'] : [];
    case 'PReLU':
      return ['slopes'];
    case 'Parameter':
      return ['value'];
    case 'BatchNorm':
      return [...BATCH_NORM_STATISTICS];
    case 'LSTM':
      return ['W_xc', 'b_c', ...(staticInput ? ['W_xc_static'] : []), 'W_hc'];
    case 'RNN':
      return ['W_xh', 'b_h', ...(staticInput ? ['W_xh_static'] : []), 'W_hh', 'W_ho', 'b_o'];
    case 'Python':
      return undefined;
  }
  return KNOWN_WITHOUT_PARAMS.has(layer.type) ? [] : undefined;
}

const BATCH_NORM_STATISTICS = ['mean', 'variance', 'moving average factor'] as const;

/** Every other BVLC layer type: none of them has learnable parameters. */
const KNOWN_WITHOUT_PARAMS = new Set([
  'AbsVal',
  'Accuracy',
  'ArgMax',
  'BNLL',
  'BatchReindex',
  'Clip',
  'Concat',
  'ContrastiveLoss',
  'Crop',
  'Data',
  'Dropout',
  'DummyData',
  'ELU',
  'Eltwise',
  'EuclideanLoss',
  'Exp',
  'Filter',
  'Flatten',
  'HDF5Data',
  'HDF5Output',
  'HingeLoss',
  'Im2col',
  'ImageData',
  'InfogainLoss',
  'Input',
  'LRN',
  'LSTMUnit',
  'Log',
  'MVN',
  'MemoryData',
  'MultinomialLogisticLoss',
  'Pooling',
  'Power',
  'ReLU',
  'Reduction',
  'Reshape',
  'SPP',
  'Sigmoid',
  'SigmoidCrossEntropyLoss',
  'Silence',
  'Slice',
  'Softmax',
  'SoftmaxWithLoss',
  'Split',
  'Swish',
  'TanH',
  'Threshold',
  'Tile',
  'WindowData',
]);

export interface ParamSpecProblem {
  message: string;
  at: Span;
}

/**
 * Net::Init's check after a layer's set-up: more `param { }` specs than the layer has blobs (each spec
 * is matched to a blob by position). Placed on the first spec too many.
 */
export function tooManyParamSpecs(layer: NetLayer, params: LayerParams): ParamSpecProblem | undefined {
  const specs = layer.paramSpecs;
  if (specs.length <= surelyHas(layer)) return undefined;
  const roles = parameterBlobRoles(layer, params);
  if (roles === undefined || specs.length <= roles.length) return undefined;
  const n = specs.length;
  const what = layer.format === 'v1' ? 'blob settings (blobs_lr, weight_decay)' : 'param { } blocks';
  const k = roles.length;
  const noBias = roles[0] === 'weights' && k === 1 ? ', as bias_term is false' : '';
  const ours =
    k === 0
      ? `it learns no parameters, so it takes no ${what}`
      : `${n} ${what} for ${k} parameter blob${k === 1 ? '' : 's'} (${roles.join(', ')}${noBias})`;
  return {
    message: `${layer.type}: ${ours}; Caffe stops building the net ("Too many params specified for layer ${layer.name}")`,
    at: specAt(specs[roles.length]),
  };
}

/**
 * BatchNormLayer::LayerSetUp: its blobs are statistics Caffe keeps itself, never learned; a spec given
 * for one of them must set `lr_mult: 0` (its default is 1), unless there are exactly three (see below).
 * Placed on the lr_mult, else on the spec.
 */
export function learnedBatchNormStatistics(layer: NetLayer): ParamSpecProblem | undefined {
  const specs = layer.paramSpecs;
  // Exactly three is the older BatchNorm's form: Caffe's upgrade on reading the net zeroes their rates.
  if (specs.length === BATCH_NORM_STATISTICS.length) return undefined;
  const n = Math.min(specs.length, BATCH_NORM_STATISTICS.length);
  for (let i = 0; i < n; i++) {
    const lr = specs[i].lrMult;
    if (lr === 0) continue;
    const value = specField(specs[i], 'lr_mult');
    // A value that is no number is validation's to report.
    if (lr === undefined && value !== undefined) continue;
    return {
      message:
        `BatchNorm: param { } ${i + 1} is for the ${BATCH_NORM_STATISTICS[i]}, which Caffe computes and never ` +
        `learns: it needs lr_mult: 0 (${lr === undefined ? 'the default is 1' : `not ${lr}`}); Caffe stops ` +
        `building the net ("Cannot configure batch normalization statistics as layer parameters.")`,
      at: value ?? specAt(specs[i]),
    };
  }
  return undefined;
}

/**
 * How many parameter blobs the layer has at least, told from its type and whether `bias_term` is
 * written, without reading any value: most layers that have specs have no more than this, and need
 * nothing more read.
 */
function surelyHas(layer: NetLayer): number {
  switch (layer.type) {
    case 'Convolution':
    case 'Deconvolution':
      return writes(layer, 'convolution_param', 'bias_term') ? 1 : 2;
    case 'InnerProduct':
      return writes(layer, 'inner_product_param', 'bias_term') ? 1 : 2;
    case 'Embed':
      return writes(layer, 'embed_param', 'bias_term') ? 1 : 2;
    case 'PReLU':
    case 'Parameter':
      return 1;
    case 'BatchNorm':
    case 'LSTM':
      return 3;
    case 'RNN':
      return 5;
  }
  return 0;
}

function writes(layer: NetLayer, block: string, field: string): boolean {
  if (layer.format === 'v0') return true;
  const fields = layer.paramBlocks.get(block)?.fields;
  if (fields === undefined) return false;
  for (let i = 0; i < fields.length; i++) if (fields[i].name === field) return true;
  return false;
}

/** Where to place a problem of one spec: the `param` (or `blobs_lr`) name that starts it. */
function specAt(spec: ParamSpecInfo): Span {
  const span = spec.span as Span & Partial<FieldNode>;
  return span.nameSpan ?? span;
}

/** The value of a field written in a V2 `param { }` block (undefined for V1's settings). */
export function specField(spec: ParamSpecInfo, name: string): FieldNode['value'] | undefined {
  const field = spec.span as Span & Partial<FieldNode>;
  if (field.kind !== 'field' || field.value?.kind !== 'message') return undefined;
  return field.value.fields.find((f) => f.name === name)?.value;
}
