// Rules for layers whose top has the bottom's shape (activations, normalisations, Scale/Bias, Softmax...),
// losses and Accuracy (scalar tops), sinks (Silence), and SSD's PriorBox / DetectionOutput.

import { canonicalAxis, count, formatShape, isComplete } from './arith';
import { BVLC_LOSS_TYPES } from './automatic-tops';
import { broadcastRefused } from './broadcast';
import { NO_OUTPUT, type RuleContext, type RuleOutput, type Shape, type ShapeRule } from './types';

/** Layers whose every top has bottom 0's shape and that learn nothing. */
const SAME_SHAPE = [
  'ReLU',
  'ELU',
  'Sigmoid',
  'TanH',
  'AbsVal',
  'BNLL',
  'Power',
  'Exp',
  'Log',
  'Dropout',
  'LRN',
  'MVN',
  'Threshold',
  'Clip',
  'Swish',
  'Softmax',
  'RReLU',
  'ReLU6',
  'SoftPlus',
  'GELU',
  'Mish',
  'HardSigmoid',
];

function same(ctx: RuleContext): RuleOutput {
  return { tops: sameTops(ctx) };
}

/** Bottom 0's shape for every top (shapes are never changed, so the same array serves them all). */
function sameTops(ctx: RuleContext): Shape[] {
  const b = ctx.bottoms[0] as Shape;
  const n = ctx.layer.tops.length;
  const tops: Shape[] = new Array<Shape>(n);
  for (let i = 0; i < n; i++) tops[i] = b;
  return tops;
}

/** Caffe's "channels" of a blob: axis 1 when there is one, else 1. */
function channels(b: Shape): number {
  return b.length >= 2 ? b[1] : 1;
}

/** A refusal of the input of a layer that keeps its bottom's shape: on that bottom, the top unknown. */
function refused(ctx: RuleContext, ours: string, caffe: string): RuleOutput {
  ctx.report(
    `${ctx.layer.type}: ${ours}; Caffe stops building the net ("${caffe}")`,
    ctx.layer.bottoms[0]?.span,
    'shape-mismatch',
  );
  return { tops: [] };
}

/** LRNLayer::Reshape: across or within channels, the window needs N×C×H×W. */
function lrn(ctx: RuleContext): RuleOutput {
  const b = ctx.bottoms[0] as Shape;
  if (b.length === 4) return { tops: sameTops(ctx) };
  return refused(
    ctx,
    `it needs a 4-axis input (N×C×H×W), got ${formatShape(b)}`,
    'Input must have 4 axes, corresponding to (num, channels, height, width)',
  );
}

/** SoftmaxLayer::Reshape: the axis it normalizes over must be one of the input's. */
function softmax(ctx: RuleContext): RuleOutput {
  const b = ctx.bottoms[0] as Shape;
  const p = ctx.params.block('softmax_param');
  const axis = p.number('axis', 1);
  if (canonicalAxis(axis, b.length) !== undefined) return { tops: sameTops(ctx) };
  ctx.report(
    `Softmax: axis ${axis} is out of range for the ${b.length}-axis input ${formatShape(b)}; Caffe stops building ` +
      `the net ("axis ${axis} out of range for ${b.length}-D Blob")`,
    p.span('axis') ?? 'softmax_param',
  );
  return { tops: [] };
}

function prelu(ctx: RuleContext): RuleOutput {
  const b = ctx.bottoms[0] as Shape;
  if (b.length < 2)
    return refused(
      ctx,
      `it needs an input of at least 2 axes (its slopes are per channel, axis 1), got ${formatShape(b)}`,
      'Number of axes of bottom blob must be >=2.',
    );
  const shared = ctx.params.block('prelu_param').bool('channel_shared', false);
  return { tops: sameTops(ctx), params: shared ? 1 : channels(b), macs: 0 };
}

/** The learned blob of Scale/Bias: bottom axes [axis, axis+num_axes), num_axes -1 = to the end. */
function learnedCount(ctx: RuleContext, block: string): number | null {
  const p = ctx.params.block(block);
  const b = ctx.bottoms[0] as Shape;
  const axis = canonicalAxis(p.number('axis', 1), b.length);
  const numAxes = p.number('num_axes', 1);
  const end = numAxes === -1 ? b.length : (axis ?? 0) + numAxes;
  if (axis === undefined || numAxes < -1 || end > b.length) {
    ctx.report(`axis/num_axes are out of range for a ${b.length}-axis input`, block);
    return null;
  }
  return count(b, axis, end);
}

function scale(ctx: RuleContext): RuleOutput {
  const b = ctx.bottoms[0] as Shape;
  const bias = ctx.params.block('scale_param').bool('bias_term', false);
  if (ctx.bottoms.length >= 2) {
    // The scale comes from bottom 1; only a bias (of bottom 1's shape) is learned.
    if (broadcastRefused(ctx, 'scale_param', 'scale')) return NO_OUTPUT;
    const s = ctx.bottoms[1];
    return { tops: sameTops(ctx), params: !bias ? 0 : s ? count(s) : null, macs: count(b) };
  }
  const n = learnedCount(ctx, 'scale_param');
  return { tops: sameTops(ctx), params: n === null ? null : bias ? 2 * n : n, macs: count(b) };
}

function biasLayer(ctx: RuleContext): RuleOutput {
  if (ctx.bottoms.length >= 2 && broadcastRefused(ctx, 'bias_param', 'bias')) return NO_OUTPUT;
  const params = ctx.bottoms.length >= 2 ? 0 : learnedCount(ctx, 'bias_param');
  return { tops: sameTops(ctx), params, macs: 0 };
}

/** BatchNorm keeps mean, variance and a scale factor: 2C + 1 statistics, none learned by the solver. */
function batchNorm(ctx: RuleContext): RuleOutput {
  const c = channels(ctx.bottoms[0] as Shape);
  return { tops: sameTops(ctx), params: 0, stats: 2 * c + 1, macs: 0 };
}

/**
 * Forks' BN layer: a learned scale and shift per channel. PSPNet's and ducha-aiki's keep a running
 * mean and variance too; SegNet's (its bn_param has bn_mode) keeps none, and in LEARN mode gives the
 * batch mean and variance, 1×C×1×1 each, as tops 1 and 2.
 */
function bnFork(ctx: RuleContext): RuleOutput {
  const b = ctx.bottoms[0] as Shape;
  const c = channels(b);
  const n = ctx.layer.tops.length;
  const segnet =
    n > 1 ||
    ctx.params.block('bn_param').has('bn_mode') ||
    ctx.params.schemaDefines('caffe.BNParameter', 'bn_mode');
  if (!segnet) return { tops: sameTops(ctx), params: 2 * c, stats: 2 * c, macs: count(b) };
  const tops: Shape[] = [b];
  for (let i = 1; i < n; i++) tops.push([1, c, 1, 1]);
  return { tops, params: 2 * c, macs: count(b) };
}

/**
 * SSD's Normalize: L2 normalisation with a learned scale per channel (or one shared). ducha-aiki's
 * and Temporal Segment Networks' (a Caffe without norm_param) learn nothing.
 */
function normalize(ctx: RuleContext): RuleOutput {
  const b = ctx.bottoms[0] as Shape;
  const scaled =
    ctx.layer.paramBlocks.has('norm_param') || ctx.params.schemaDefines('caffe.LayerParameter', 'norm_param');
  if (!scaled) return { tops: sameTops(ctx), params: 0, macs: count(b) };
  const shared = ctx.params.block('norm_param').bool('channel_shared', true);
  return { tops: sameTops(ctx), params: shared ? 1 : channels(b), macs: count(b) };
}

/** A loss: top 0 is a scalar. SoftmaxWithLoss may output the probabilities as top 1. */
function loss(ctx: RuleContext): RuleOutput {
  const b = ctx.bottoms[0];
  // BVLC's losses: LossLayer::Reshape, and each one's own checks of its inputs, apply to them.
  if (BVLC_LOSS_TYPES.has(ctx.layer.type) && lossInputsRefused(ctx)) return NO_OUTPUT;
  const second = ctx.layer.type === 'SoftmaxWithLoss' && b ? [...b] : null;
  return { tops: [[], second] };
}

/**
 * Whether Caffe's Reshape of a BVLC loss refuses its two inputs (reported): the same first dimension
 * (LossLayer), then a label per prediction (SoftmaxWithLoss), the same size past the first axis
 * (EuclideanLoss) or in all (SigmoidCrossEntropyLoss). Judged only when both shapes are known.
 */
function lossInputsRefused(ctx: RuleContext): boolean {
  const [data, label] = ctx.bottoms;
  if (!isComplete(data) || !isComplete(label)) return false;
  const type = ctx.layer.type;
  const [dataName, labelName] = ctx.layer.bottoms.map((b) => b.name);
  const at = ctx.layer.bottoms[1].span;
  // ContrastiveLoss checks its inputs in its LayerSetUp, before LossLayer::Reshape.
  if (type === 'ContrastiveLoss' && contrastiveRefused(ctx, data, label)) return true;
  if (scalarInputRefused(ctx, data, label)) return true;
  if (data[0] !== label[0]) {
    ctx.report(
      `${type}: ${dataName} (${formatShape(data)}) and ${labelName} (${formatShape(label)}) differ in their ` +
        `first dimension; Caffe stops ("The data and label should have the same first dimension.")`,
      at,
    );
    return true;
  }
  if (type === 'SoftmaxWithLoss') return labelsRefused(ctx, data, label, 'softmax_param', 'softmax');
  if (type === 'InfogainLoss') return labelsRefused(ctx, data, label, 'infogain_loss_param', 'infogain');
  if (type === 'MultinomialLogisticLoss') return legacyDimsRefused(ctx, 1, label, 'one class index per item');
  if (type === 'EuclideanLoss' && count(data, 1) !== count(label, 1)) {
    ctx.report(
      `EuclideanLoss: ${dataName} (${formatShape(data)}) and ${labelName} (${formatShape(label)}) differ in ` +
        `size past the first axis; Caffe stops ("Inputs must have the same dimension.")`,
      at,
    );
    return true;
  }
  if (type === 'SigmoidCrossEntropyLoss' && count(data) !== count(label)) {
    ctx.report(
      `SigmoidCrossEntropyLoss: ${dataName} (${formatShape(data)}) and ${labelName} (${formatShape(label)}) ` +
        `differ in size; Caffe stops ("SIGMOID_CROSS_ENTROPY_LOSS layer inputs must have the same count.")`,
      at,
    );
    return true;
  }
  return false;
}

/** Where each loss finds its class axis in its set-up, before LossLayer::Reshape reads the first axes. */
const CLASS_AXIS_PARAMS: Readonly<Record<string, string>> = {
  SoftmaxWithLoss: 'softmax_param',
  InfogainLoss: 'infogain_loss_param',
};

/**
 * Whether a BVLC loss is given a scalar (a 0-axis blob: another loss's or Accuracy's output) as one of
 * its two inputs (reported): the class axis of its predictions (SoftmaxWithLoss, InfogainLoss), else the
 * first axis LossLayer::Reshape compares, is out of range for it.
 */
function scalarInputRefused(ctx: RuleContext, data: readonly number[], label: readonly number[]): boolean {
  const i = data.length === 0 ? 0 : label.length === 0 ? 1 : -1;
  if (i < 0) return false;
  const param = CLASS_AXIS_PARAMS[ctx.layer.type];
  const block = i === 0 && param !== undefined ? ctx.params.block(param) : undefined;
  const axis = block ? block.number('axis', 1) : 0;
  const bottom = ctx.layer.bottoms[i];
  ctx.report(
    `${ctx.layer.type}: bottom ${i} ${bottom.name} is a scalar (a blob of no axes, as a loss or Accuracy ` +
      `gives); Caffe stops ("axis ${axis} out of range for 0-D Blob")`,
    bottom.span,
  );
  return true;
}

/**
 * Caffe's legacy view of a blob of up to 4 axes (channels, height, width: axes 1-3, 1 when absent):
 * whether bottom `i` is refused for not being N×1×1×1 past its first axis `from` on (reported, in the
 * words of the CHECK_EQ that stops Caffe).
 */
function legacyDimsRefused(
  ctx: RuleContext,
  i: number,
  shape: readonly number[],
  what: string,
  from = 1,
): boolean {
  const names = ['num', 'channels', 'height', 'width'];
  for (let axis = from; axis < 4; axis++) {
    const dim = axis < shape.length ? shape[axis] : 1;
    if (dim === 1) continue;
    ctx.report(
      `${ctx.layer.type}: bottom ${i} (${formatShape(shape)}) must hold ${what}, its ${names[axis]} must be 1; ` +
        `Caffe stops ("Check failed: bottom[${i}]->${names[axis]}() == 1")`,
      ctx.layer.bottoms[i]?.span,
    );
    return true;
  }
  return false;
}

/** ContrastiveLossLayer::LayerSetUp: two N×C×1×1 features of the same C, and an N×1×1×1 similarity. */
function contrastiveRefused(ctx: RuleContext, a: readonly number[], b: readonly number[]): boolean {
  const legacyChannels = (s: readonly number[]) => (s.length > 1 ? s[1] : 1);
  if (legacyChannels(a) !== legacyChannels(b)) {
    ctx.report(
      `ContrastiveLoss: the two features (${formatShape(a)}, ${formatShape(b)}) must have as many channels; ` +
        `Caffe stops ("Check failed: bottom[0]->channels() == bottom[1]->channels()")`,
      ctx.layer.bottoms[1].span,
    );
    return true;
  }
  if (legacyDimsRefused(ctx, 0, a, 'one feature vector per item', 2)) return true;
  if (legacyDimsRefused(ctx, 1, b, 'one feature vector per item', 2)) return true;
  const similar = ctx.bottoms[2];
  return isComplete(similar) && legacyDimsRefused(ctx, 2, similar, 'one similarity per item');
}

/**
 * Whether the labels are refused for the predictions (reported): one label per prediction, i.e. as many
 * as the predictions' count without the class axis (`param`'s axis, 1 by default).
 */
function labelsRefused(
  ctx: RuleContext,
  data: readonly number[],
  label: readonly number[],
  param: string,
  axisName: string,
): boolean {
  const block = ctx.params.block(param);
  const written = block.number('axis', 1);
  const axis = canonicalAxis(written, data.length);
  if (axis === undefined) {
    ctx.report(
      `${ctx.layer.type}: the class axis ${written} is out of range for the ${data.length}-axis predictions ` +
        `${ctx.layer.bottoms[0].name} (${formatShape(data)}); Caffe stops ("axis ${written} out of range for ` +
        `${data.length}-D Blob")`,
      block.span('axis') ?? ctx.layer.bottoms[0].span,
    );
    return true;
  }
  const wanted = count(data, 0, axis) * count(data, axis + 1);
  if (wanted === count(label)) return false;
  const labelName = ctx.layer.bottoms[1].name;
  ctx.report(
    `${ctx.layer.type}: ${formatShape(data)} predictions with the classes on axis ${axis} need ${wanted} ` +
      `label${wanted === 1 ? '' : 's'}, ${labelName} (${formatShape(label)}) holds ${count(label)}; Caffe stops ` +
      `("Number of labels must match number of predictions; e.g., if ${axisName} axis == 1 and prediction ` +
      `shape is (N, C, H, W), label count (number of labels) must be N*H*W, ...")`,
    ctx.layer.bottoms[1].span,
  );
  return true;
}

function accuracy(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block('accuracy_param');
  const b = ctx.bottoms[0];
  const label = ctx.bottoms[1];
  // A scalar of predictions too: its one value is a class for a single label (then its class axis is
  // out of range), none for more.
  if (isComplete(b) && isComplete(label) && count(label) > 0) {
    const topK = p.number('top_k', 1);
    const classes = Math.floor(count(b) / count(label));
    if (topK > classes) {
      ctx.report(
        `Accuracy: top_k ${topK} is more than the ${classes} classes of ${formatShape(b)} predictions for ` +
          `${count(label)} labels; Caffe stops ("top_k must be less than or equal to the number of classes.")`,
        // top_k as written, else the predictions with too few classes for its default.
        p.span('top_k') ?? ctx.layer.bottoms[0].span,
      );
      return NO_OUTPUT;
    }
    if (labelsRefused(ctx, b, label, 'accuracy_param', 'label')) return NO_OUTPUT;
  }
  const axis = b ? canonicalAxis(p.number('axis', 1), b.length) : undefined;
  return { tops: [[], b && axis !== undefined ? [b[axis]] : null] };
}

function priorBox(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block('prior_box_param');
  const b = ctx.bottoms[0] as Shape;
  const mins = p.numbers('min_size').length;
  if (mins === 0) return { tops: [] };
  const ratios = [1];
  const flip = p.bool('flip', true);
  for (const ar of p.numbers('aspect_ratio')) {
    if (ratios.some((r) => Math.abs(r - ar) < 1e-6)) continue;
    ratios.push(ar);
    if (flip) ratios.push(1 / ar);
  }
  const priors = ratios.length * mins + p.numbers('max_size').length;
  const h = b[b.length - 2] ?? 1;
  const w = b[b.length - 1] ?? 1;
  return { tops: [[1, 2, h * w * priors * 4]] };
}

const LOSSES = [...BVLC_LOSS_TYPES, 'SmoothL1Loss', 'MultiBoxLoss', 'L1Loss'];

/**
 * Types whose top has the bottom's shape whatever their parameters: a fork's option on them may change
 * what they learn, never the shape (see readable-params.ts).
 */
export const SHAPE_KEEPING: ReadonlySet<string> = new Set([
  ...SAME_SHAPE,
  'PReLU',
  'Scale',
  'Bias',
  'BatchNorm',
  'BN',
  'SyncBN',
  'Normalize',
]);

export const POINTWISE_RULES: Record<string, ShapeRule> = {
  ...Object.fromEntries(SAME_SHAPE.map((t) => [t, { needs: 1, run: same }])),
  ...Object.fromEntries(LOSSES.map((t) => [t, { needs: 0, run: loss }])),
  PReLU: { needs: 1, run: prelu },
  LRN: { needs: 1, run: lrn },
  Softmax: { needs: 1, run: softmax },
  Scale: { needs: 1, run: scale },
  Bias: { needs: 1, run: biasLayer },
  BatchNorm: { needs: 1, run: batchNorm },
  BN: { needs: 1, run: bnFork },
  SyncBN: { needs: 1, run: bnFork },
  Normalize: { needs: 1, run: normalize },
  Accuracy: { needs: 0, run: accuracy },
  Silence: { needs: 0, run: () => ({ tops: [] }) },
  HDF5Output: { needs: 0, run: () => ({ tops: [] }) },
  PriorBox: { needs: 1, run: priorBox },
  // The YOLO ports' region loss: a scalar, whatever its region_loss_param says.
  RegionLoss: { needs: 0, run: () => ({ tops: [[]] }), ownBlocks: ['region_loss_param'] },
  // The number of detections kept depends on the data.
  DetectionOutput: { needs: 0, run: () => ({ tops: [] }) },
};
