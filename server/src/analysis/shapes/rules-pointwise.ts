// Rules for layers whose top has the bottom's shape (activations, normalisations, Scale/Bias, Softmax...),
// losses and Accuracy (scalar tops), sinks (Silence), and SSD's PriorBox (DetectionOutput: rules-ssd.ts).

import { canonicalAxis, count, formatShape, isComplete } from './arith';
import { BVLC_LOSS_TYPES } from './automatic-tops';
import { broadcastRefused } from './broadcast';
import { labelsRefused, lossInputsRefused } from './rules-loss-inputs';
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
  // Synopsys Caffe's own NeuronLayers (its Reshape is the top shaped like the bottom).
  'HardSwish',
  'HardTanH',
  'ScaledTanH',
  'SeLU',
  'SeLUDropout',
  'Sin',
  'Softplus',
  'Softsign',
  'ThresholdedReLU',
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
};
