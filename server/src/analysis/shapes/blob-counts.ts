// How many bottoms and tops each BVLC layer type takes. Caffe's Layer::SetUp checks the counts a layer
// class declares (ExactNum/Min/MaxBottomBlobs, the same for tops, EqualNumBottomTopBlobs) before
// anything else, and stops building the net at the first that fails: "Eltwise Layer takes at least 2
// bottom blob(s) as input." A loss layer (AutoTopBlobs) written with fewer tops than it needs gets
// the missing ones from Net::Init first, so it never fails on too few tops.

import type { Span } from '../../parser/ast';
import type { NetLayer } from '../model/net';
import type { LayerParams } from './params';

/** Inclusive bounds; `max` Infinity for no upper bound; `exact` when the class declares one count. */
interface Range {
  min: number;
  max: number;
  exact?: boolean;
}

interface BlobCounts {
  bottoms?: Range;
  tops?: Range;
  /** One top per bottom (the convolutions). */
  equal?: boolean;
  /** Net::Init adds the tops the layer needs when fewer are written (the loss layers). */
  auto?: boolean;
}

const exactly = (n: number): Range => ({ min: n, max: n, exact: true });
const atLeast = (n: number): Range => ({ min: n, max: Infinity });
const between = (min: number, max: number): Range => ({ min, max });

const NEURON: BlobCounts = { bottoms: exactly(1), tops: exactly(1) };
const ONE_TO_ONE = NEURON;
const LOSS: BlobCounts = { bottoms: exactly(2), tops: exactly(1), auto: true };
const CONVOLUTION: BlobCounts = { bottoms: atLeast(1), tops: atLeast(1), equal: true };

/** BVLC's layer types and the counts their classes declare (Pooling and the recurrent layers aside). */
const COUNTS: ReadonlyMap<string, BlobCounts> = new Map<string, BlobCounts>([
  ...[
    'AbsVal',
    'BNLL',
    'Clip',
    'Dropout',
    'ELU',
    'Exp',
    'Log',
    'Power',
    'PReLU',
    'ReLU',
    'Sigmoid',
    'Swish',
    'TanH',
    'Threshold',
  ].map((type): [string, BlobCounts] => [type, NEURON]),
  ...['ArgMax', 'BatchNorm', 'Embed', 'Flatten', 'Im2col', 'InnerProduct', 'LRN', 'MVN'].map(
    (type): [string, BlobCounts] => [type, ONE_TO_ONE],
  ),
  ...['Reduction', 'Reshape', 'Softmax', 'SPP', 'Tile'].map((type): [string, BlobCounts] => [
    type,
    ONE_TO_ONE,
  ]),
  ...['EuclideanLoss', 'HingeLoss', 'MultinomialLogisticLoss', 'SigmoidCrossEntropyLoss'].map(
    (type): [string, BlobCounts] => [type, LOSS],
  ),
  ['ContrastiveLoss', { ...LOSS, bottoms: exactly(3) }],
  ['InfogainLoss', { bottoms: between(2, 3), tops: between(1, 2), auto: true }],
  ['SoftmaxWithLoss', { bottoms: exactly(2), tops: between(1, 2), auto: true }],
  ['Accuracy', { bottoms: exactly(2), tops: between(1, 2) }],
  ['BatchReindex', { bottoms: exactly(2), tops: exactly(1) }],
  ['Bias', { bottoms: between(1, 2), tops: exactly(1) }],
  ['Scale', { bottoms: between(1, 2), tops: exactly(1) }],
  ['Concat', { bottoms: atLeast(1), tops: exactly(1) }],
  ['Eltwise', { bottoms: atLeast(2), tops: exactly(1) }],
  ['Convolution', CONVOLUTION],
  ['Deconvolution', CONVOLUTION],
  ['Crop', { bottoms: exactly(2), tops: exactly(1) }],
  ['Filter', { bottoms: atLeast(2), tops: atLeast(1) }],
  ['Data', { bottoms: exactly(0), tops: between(1, 2) }],
  ['ImageData', { bottoms: exactly(0), tops: exactly(2) }],
  ['WindowData', { bottoms: exactly(0), tops: exactly(2) }],
  ['MemoryData', { bottoms: exactly(0), tops: exactly(2) }],
  ['DummyData', { bottoms: exactly(0), tops: atLeast(1) }],
  ['HDF5Data', { bottoms: exactly(0), tops: atLeast(1) }],
  ['Input', { bottoms: exactly(0), tops: atLeast(1) }],
  ['Parameter', { bottoms: exactly(0), tops: exactly(1) }],
  ['HDF5Output', { bottoms: exactly(2), tops: exactly(0) }],
  ['Silence', { bottoms: atLeast(1), tops: exactly(0) }],
  ['Slice', { bottoms: exactly(1), tops: atLeast(1) }],
  ['Split', { bottoms: exactly(1), tops: atLeast(1) }],
  ['LSTMUnit', { bottoms: exactly(3), tops: exactly(2) }],
]);

/** The hidden states a recurrent layer exposes as extra bottoms and tops with expose_hidden. */
const RECURRENT_STATES: ReadonlyMap<string, number> = new Map([
  ['LSTM', 2],
  ['RNN', 1],
]);

/** The counts `layer`'s type declares, read from its parameters where they depend on them. */
function countsOf(layer: NetLayer, params: LayerParams): BlobCounts | undefined {
  const fixed = COUNTS.get(layer.type);
  if (fixed !== undefined) return fixed;
  if (layer.type === 'Pooling') {
    // MAX pooling may output its argmax mask as a second top.
    const max = params.block('pooling_param').enumName('pool', 'MAX') === 'MAX' ? 2 : 1;
    return { bottoms: exactly(1), tops: between(1, max) };
  }
  const states = RECURRENT_STATES.get(layer.type);
  if (states !== undefined) {
    const exposed = params.block('recurrent_param').bool('expose_hidden', false) ? states : 0;
    return { bottoms: between(2 + exposed, 3 + exposed), tops: exactly(1 + exposed) };
  }
  return undefined;
}

export interface BlobCountProblem {
  message: string;
  at: Span;
}

/**
 * What Caffe's check of the layer's bottom and top counts stops on (the first failing, in Caffe's
 * order), placed on the first blob too many or else on the layer's type; undefined when they fit or
 * the type's counts are not known (a fork's or a plugin's type, a Python layer).
 */
export function blobCountProblem(layer: NetLayer, params: LayerParams): BlobCountProblem | undefined {
  const counts = countsOf(layer, params);
  if (counts === undefined) return undefined;
  const type = layer.type;
  const where = layer.typeSpan ?? layer.nameSpan ?? layer.node.nameSpan;
  const bottoms = layer.bottoms.length;
  const written = layer.tops.length;
  const tops = counts.auto && counts.tops ? Math.max(written, counts.tops.min) : written;
  const check = (
    range: Range | undefined,
    count: number,
    blobs: readonly { span: Span }[],
    kind: 'bottom' | 'top',
  ): BlobCountProblem | undefined => {
    if (range === undefined || (count >= range.min && count <= range.max)) return undefined;
    const verb = kind === 'bottom' ? 'takes' : 'produces';
    const role = kind === 'bottom' ? 'as input' : 'as output';
    const [bound, how] = range.exact
      ? [range.min, '']
      : count < range.min
        ? [range.min, 'at least ']
        : [range.max, 'at most '];
    const plural = (n: number) => `${n} ${kind}${n === 1 ? '' : 's'}`;
    const has = count === 0 ? `none` : plural(count);
    return {
      message:
        `${type} ${verb} ${how}${plural(bound)}, this layer has ${has}: Caffe stops building the net ` +
        `("${type} Layer ${verb} ${how}${bound} ${kind} blob(s) ${role}.")`,
      at: count > range.max ? blobs[range.max].span : where,
    };
  };
  const problem =
    check(counts.bottoms, bottoms, layer.bottoms, 'bottom') ?? check(counts.tops, tops, layer.tops, 'top');
  if (problem !== undefined || !counts.equal || bottoms === tops) return problem;
  return {
    message:
      `${type} produces one top for each bottom, this layer has ${bottoms} and ${tops}: Caffe stops ` +
      `building the net ("${type} Layer produces one top blob as output for each bottom blob input.")`,
    at: tops > bottoms ? layer.tops[bottoms].span : where,
  };
}
