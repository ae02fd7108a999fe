// Layer type strings BVLC Caffe registers (REGISTER_LAYER_CLASS / REGISTER_LAYER_CREATOR in
// src/caffe/layers and layer_factory.cpp, BVLC/caffe master), the LayerParameter `*_param` fields
// each reads, and the bottom/top counts its header fixes (ExactNum/Min/Max{Bottom,Top}Blobs).
// Fork layers are in layer-types-forks.ts. Descriptions are our own.

import { FORK_LAYER_TYPES } from './layer-types-forks';
import type { BlobCount, LayerTypeInfo } from './layer-type-info';
import { MERGING_FORKS } from './merging-forks';
import { PLUGIN_LAYER_TYPES } from './plugin-layer-types';

export type { BlobCount, LayerTypeInfo } from './layer-type-info';

/** `count(n)` is exactly n; `count(n, ANY)` is n or more. */
function count(min: number, max: number = min): BlobCount {
  return Number.isFinite(max) ? { min, max } : { min };
}
const ANY = Number.POSITIVE_INFINITY; // no upper bound
const ONE = count(1);
const LOSS_TOP = count(0, 1); // loss layers create their top when none is named

function layer(
  type: string,
  params: string[],
  bottoms: BlobCount | undefined,
  tops: BlobCount | undefined,
  description: string,
  extra: Partial<LayerTypeInfo> = {},
): LayerTypeInfo {
  const info: LayerTypeInfo = { type, description, params };
  if (bottoms) info.bottoms = bottoms;
  if (tops) info.tops = tops;
  return { ...info, ...extra };
}

const neuron = (type: string, params: string[], description: string): LayerTypeInfo =>
  layer(type, params, ONE, ONE, description);

export const BVLC_LAYER_TYPES: readonly LayerTypeInfo[] = [
  neuron('AbsVal', [], 'Element-wise absolute value.'),
  layer(
    'Accuracy',
    ['accuracy_param'],
    count(2),
    count(1, 2),
    'Top-k classification accuracy of predictions against labels (optionally per class as a second top).',
  ),
  layer(
    'ArgMax',
    ['argmax_param'],
    ONE,
    ONE,
    'Index (and optionally value) of the k largest entries, per sample or along an axis.',
  ),
  neuron('BNLL', [], 'Element-wise softplus, log(1 + exp(x)).'),
  layer(
    'BatchNorm',
    ['batch_norm_param'],
    ONE,
    ONE,
    'Normalises each channel with batch statistics while training and stored running averages at test time; pair with Scale for a learned affine step.',
  ),
  layer(
    'BatchReindex',
    [],
    count(2),
    ONE,
    'Gathers samples of the first bottom along the batch axis using the indices in the second.',
  ),
  layer(
    'Bias',
    ['bias_param'],
    count(1, 2),
    ONE,
    'Adds a bias, learned or given as the second bottom, broadcast along the axes it spans.',
  ),
  neuron('Clip', ['clip_param'], 'Clamps every value into [min, max].'),
  layer(
    'Concat',
    ['concat_param'],
    count(1, ANY),
    ONE,
    'Joins its bottoms along one axis (channels by default).',
  ),
  layer(
    'ContrastiveLoss',
    ['contrastive_loss_param', 'loss_param'],
    count(3),
    LOSS_TOP,
    'Siamese-network loss pulling similar pairs together and pushing dissimilar pairs beyond a margin.',
  ),
  layer(
    'Convolution',
    ['convolution_param'],
    count(1, ANY),
    count(1, ANY),
    'Learned N-D convolution: num_output filters of kernel_size, with stride, pad, dilation and groups.',
    { equalBottomTop: true },
  ),
  layer(
    'Crop',
    ['crop_param'],
    count(2),
    ONE,
    'Crops the first bottom to the shape of the second, from an offset.',
  ),
  layer(
    'Data',
    ['data_param', 'transform_param'],
    count(0),
    count(1, 2),
    'Reads Datum records (image and label) from an LMDB or LevelDB database.',
  ),
  layer(
    'Deconvolution',
    ['convolution_param'],
    count(1, ANY),
    count(1, ANY),
    'Transposed convolution: upsamples with learned filters (convolution_param describes the forward convolution it reverses).',
    { equalBottomTop: true },
  ),
  neuron(
    'Dropout',
    ['dropout_param'],
    'Zeroes a random fraction of values while training and rescales the rest; passes values through at test time.',
  ),
  layer(
    'DummyData',
    ['dummy_data_param'],
    count(0),
    count(1, ANY),
    'Produces blobs of given shapes filled by fillers; handy for tests and benchmarks.',
  ),
  neuron('ELU', ['elu_param'], 'Exponential linear unit: x for x > 0, alpha * (exp(x) - 1) otherwise.'),
  layer(
    'Eltwise',
    ['eltwise_param'],
    count(2, ANY),
    ONE,
    'Combines same-shaped bottoms element by element: product, (weighted) sum, or maximum.',
  ),
  layer(
    'Embed',
    ['embed_param'],
    ONE,
    ONE,
    'Looks up learned vectors for integer indices (a one-hot inner product, done cheaply).',
  ),
  layer(
    'EuclideanLoss',
    ['loss_param'],
    count(2),
    LOSS_TOP,
    'Half the mean squared difference between two bottoms, for regression.',
  ),
  neuron('Exp', ['exp_param'], 'Element-wise base^(scale * x + shift), base e by default.'),
  layer(
    'Filter',
    [],
    count(2, ANY),
    count(1, ANY),
    'Keeps only the samples whose selector (last bottom) is non-zero.',
  ),
  layer(
    'Flatten',
    ['flatten_param'],
    ONE,
    ONE,
    'Collapses a range of axes into one, e.g. N x C x H x W into N x (C*H*W).',
  ),
  layer(
    'HDF5Data',
    ['hdf5_data_param'],
    count(0),
    count(1, ANY),
    'Reads datasets named after its tops from the HDF5 files listed in a text file.',
  ),
  layer(
    'HDF5Output',
    ['hdf5_output_param'],
    count(2),
    count(0),
    'Writes its two bottoms (data and label) to an HDF5 file.',
  ),
  layer(
    'HingeLoss',
    ['hinge_loss_param', 'loss_param'],
    count(2),
    LOSS_TOP,
    'One-vs-all hinge (L1) or squared hinge (L2) loss for classification scores.',
  ),
  layer(
    'Im2col',
    ['convolution_param'],
    ONE,
    ONE,
    'Unrolls image patches into columns, the rearrangement convolution is built on.',
  ),
  layer(
    'ImageData',
    ['image_data_param', 'transform_param'],
    count(0),
    count(2),
    'Loads images and labels from a text file of "path label" lines.',
  ),
  layer(
    'InfogainLoss',
    ['infogain_loss_param', 'loss_param'],
    count(2, 3),
    count(0, 2),
    'Multinomial logistic loss weighted by an infogain matrix (from a file or a third bottom).',
  ),
  layer(
    'InnerProduct',
    ['inner_product_param'],
    ONE,
    ONE,
    'Fully connected layer: a learned matrix product plus optional bias.',
  ),
  layer(
    'Input',
    ['input_param'],
    count(0),
    count(1, ANY),
    'Declares network inputs of fixed shapes, filled by the caller (deploy nets).',
  ),
  layer(
    'LRN',
    ['lrn_param'],
    ONE,
    ONE,
    'Local response normalisation across neighbouring channels or within a spatial window.',
  ),
  layer(
    'LSTM',
    ['recurrent_param'],
    count(2, ANY),
    count(1, ANY),
    'Long short-term memory over a time-major sequence, with sequence-continuation flags as second bottom.',
  ),
  layer(
    'LSTMUnit',
    [],
    count(3),
    count(2),
    'A single LSTM time step: previous cell, gate inputs and continuation flags in; cell and hidden state out.',
  ),
  neuron('Log', ['log_param'], 'Element-wise log_base(scale * x + shift), natural log by default.'),
  layer(
    'MVN',
    ['mvn_param'],
    ONE,
    ONE,
    'Mean-variance normalisation of each sample (optionally across channels).',
  ),
  layer(
    'MemoryData',
    ['memory_data_param', 'transform_param'],
    count(0),
    count(2),
    'Serves data and labels handed over from C++ or Python memory.',
  ),
  layer(
    'MultinomialLogisticLoss',
    ['loss_param'],
    count(2),
    LOSS_TOP,
    'Negative log-likelihood of the true class given probabilities (use after Softmax).',
  ),
  neuron('PReLU', ['prelu_param'], 'ReLU with a learned slope for negative values, per channel or shared.'),
  layer('Parameter', ['parameter_param'], count(0), ONE, 'Exposes a learned blob of a given shape as a top.'),
  layer(
    'Pooling',
    ['pooling_param'],
    ONE,
    count(1, 2),
    'Max, average or stochastic pooling over spatial windows; MAX may output the argmax mask as a second top.',
  ),
  neuron('Power', ['power_param'], 'Element-wise (shift + scale * x)^power.'),
  layer(
    'Python',
    ['python_param'],
    undefined,
    undefined,
    'A layer implemented in Python: python_param names the module and the caffe.Layer class, param_str is passed to it.',
  ),
  layer(
    'RNN',
    ['recurrent_param'],
    count(2, ANY),
    count(1, ANY),
    'Plain recurrent network over a time-major sequence, with continuation flags as second bottom.',
  ),
  neuron('ReLU', ['relu_param'], 'Rectified linear unit: max(0, x), or a leaky slope for negatives.'),
  layer(
    'Reduction',
    ['reduction_param'],
    ONE,
    ONE,
    'Sums, absolute-sums, squares-sums or averages over the trailing axes from a given axis.',
  ),
  layer(
    'Reshape',
    ['reshape_param'],
    ONE,
    ONE,
    'Changes the shape without touching the data (0 copies a dimension, -1 infers it).',
  ),
  layer('SPP', ['spp_param'], ONE, ONE, 'Spatial pyramid pooling into a fixed-length vector.'),
  layer(
    'Scale',
    ['scale_param'],
    count(1, 2),
    ONE,
    'Multiplies by a learned (or second-bottom) scale broadcast over axes, optionally adding a bias.',
  ),
  neuron('Sigmoid', ['sigmoid_param'], 'Element-wise logistic function 1 / (1 + exp(-x)).'),
  layer(
    'SigmoidCrossEntropyLoss',
    ['loss_param'],
    count(2),
    LOSS_TOP,
    'Cross-entropy of sigmoid probabilities against binary targets, computed stably from raw scores.',
  ),
  layer(
    'Silence',
    [],
    count(1, ANY),
    count(0),
    'Consumes blobs nothing else uses, so they are not reported as outputs.',
  ),
  layer(
    'Slice',
    ['slice_param'],
    ONE,
    count(1, ANY),
    'Cuts a blob along one axis into several tops, at given points or evenly.',
  ),
  layer(
    'Softmax',
    ['softmax_param'],
    ONE,
    ONE,
    'Turns scores into probabilities along an axis (channels by default).',
  ),
  layer(
    'SoftmaxWithLoss',
    ['softmax_param', 'loss_param'],
    count(2),
    count(0, 2),
    'Softmax followed by multinomial logistic loss, in one numerically stable layer.',
  ),
  layer(
    'Split',
    [],
    ONE,
    count(1, ANY),
    'Copies a blob to several tops; Caffe inserts it itself when a top feeds several layers.',
  ),
  neuron('Swish', ['swish_param'], 'Element-wise x * sigmoid(beta * x).'),
  neuron('TanH', ['tanh_param'], 'Element-wise hyperbolic tangent.'),
  neuron('Threshold', ['threshold_param'], 'Outputs 1 where x exceeds the threshold, 0 elsewhere.'),
  layer('Tile', ['tile_param'], ONE, ONE, 'Repeats the blob a number of times along one axis.'),
  layer(
    'WindowData',
    ['window_data_param', 'transform_param'],
    count(0),
    count(2),
    'Samples foreground and background windows of images for R-CNN style detection training.',
  ),
];

/** The names of BVLC Caffe's layer types, for a membership test. */
export const BVLC_TYPE_NAMES: ReadonlySet<string> = new Set(BVLC_LAYER_TYPES.map((t) => t.type));

/** Whether only merging forks register the entry's type (an entry of Synopsys Caffe's table). */
function mergedOnly(l: LayerTypeInfo): boolean {
  return l.forks !== undefined && l.forks.length > 0 && l.forks.every((f) => MERGING_FORKS.has(f));
}

/** BVLC's layer types and those of the forks that merge no others', in one list. */
export const PRIMARY_LAYER_TYPES: readonly LayerTypeInfo[] = [
  ...BVLC_LAYER_TYPES,
  ...FORK_LAYER_TYPES.filter((l) => !mergedOnly(l)),
];

/** Types another fork's entry or a widely used plugin accounts for. */
const EXPLAINED: ReadonlySet<string> = new Set([
  ...PRIMARY_LAYER_TYPES.map((l) => l.type),
  ...PLUGIN_LAYER_TYPES.keys(),
]);

/**
 * The layer types as told without a fork in use: PRIMARY_LAYER_TYPES, and a merging fork's entry for
 * a type nothing else accounts for (Synopsys Caffe's Interp is told as PSPNet's, its ShuffleChannel
 * as ShuffleNet's plugin, its HardSwish as its own). What reads a `*_param` block is looked up in
 * PRIMARY_LAYER_TYPES: a merging fork's tables would claim other forks' and users' blocks.
 */
export const ALL_LAYER_TYPES: readonly LayerTypeInfo[] = [
  ...PRIMARY_LAYER_TYPES,
  ...FORK_LAYER_TYPES.filter((l) => mergedOnly(l) && !EXPLAINED.has(l.type)),
];

/** Layer types known under a schema: BVLC's, plus those of the named fork if one is in use. */
export function layerTypesFor(fork?: string): LayerTypeInfo[] {
  if (fork === undefined) return BVLC_LAYER_TYPES.slice();
  return [...BVLC_LAYER_TYPES, ...FORK_LAYER_TYPES.filter((l) => l.forks?.includes(fork))];
}

export function findLayerType(type: string, fork?: string): LayerTypeInfo | undefined {
  return (
    layerTypesFor(fork).find((l) => l.type === type) ?? (fork === undefined ? undefined : findLayerType(type))
  );
}

/**
 * Fork layer type -> the forks that register it, made once: a net's checks ask for every layer. A
 * widely used plugin's type that only a merging fork registers is the plugin's (see ALL_LAYER_TYPES).
 */
const FORKS_BY_TYPE: ReadonlyMap<string, readonly string[]> = (() => {
  const byType = new Map<string, string[]>();
  for (const l of FORK_LAYER_TYPES) {
    // (A plugin told apart by its bottom count leaves the fork's class of the name listed.)
    if (
      mergedOnly(l) &&
      PLUGIN_LAYER_TYPES.has(l.type) &&
      PLUGIN_LAYER_TYPES.get(l.type)?.bottoms === undefined
    )
      continue;
    const forks = byType.get(l.type) ?? [];
    forks.push(...(l.forks ?? []));
    byType.set(l.type, forks);
  }
  return byType;
})();

/** The forks (by bundled name) that register a type BVLC does not have. */
export function forksWithLayerType(type: string): readonly string[] {
  return FORKS_BY_TYPE.get(type) ?? [];
}

/** Whether `type` is in the table of a merging fork `fork` (its whole table, plugin types included). */
export function mergingForkHas(fork: string, type: string): boolean {
  return MERGING_FORKS.has(fork) && FORK_LAYER_TYPES.some((l) => l.type === type && l.forks?.includes(fork));
}

/** Forks to name for a type or field several register: a merging fork only when it is the only one. */
export function namedForks(forks: readonly string[]): readonly string[] {
  const others = forks.filter((f) => !MERGING_FORKS.has(f));
  return others.length > 0 ? others : forks;
}
