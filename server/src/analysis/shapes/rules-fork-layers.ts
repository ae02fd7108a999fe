// Rules for single layers that forks add and nets use widely: SENet's Axpy (NVIDIA Caffe carries it;
// the squeeze-and-excitation scaling of every SE-ResNet), SphereFace's MarginInnerProduct (the
// A-Softmax layer of its face models), the YOLO ports' Reorg (YOLOv2's passthrough) and the CTPN
// text detector's Transpose, Reverse and Lstm (its bidirectional LSTM over each row of features),
// ShuffleNet's ShuffleChannel, and Fast R-CNN's ROIPooling (every Fast and Faster R-CNN net's). Each
// follows that fork's Reshape: their CHECKs are reported in Caffe's words, and only on dimensions
// that are known.

import { canonicalAxis, compatibleShape, count, formatShape, knownToDiffer } from './arith';
import { NO_OUTPUT, type RuleContext, type RuleOutput, type Shape, type ShapeRule } from './types';

/** Axis `i` of a shape, where a blob with fewer axes has none (nothing to compare). */
function dim(shape: Shape, i: number): number {
  return i < shape.length ? shape[i] : Number.NaN;
}

/**
 * a·x + y with a one scale per sample and channel: bottoms a (N×C or N×C×1×1), x and y (N×C×…), the
 * top shaped like x.
 */
function axpy(ctx: RuleContext): RuleOutput {
  const [a, x, y] = ctx.bottoms as Shape[];
  const stop = (what: string, check: string, bottom: number): RuleOutput => {
    ctx.report(`Axpy: ${what}; Caffe stops (${check})`, ctx.layer.bottoms[bottom]?.span);
    return NO_OUTPUT;
  };
  for (const axis of [0, 1]) {
    if (knownToDiffer(dim(a, axis), dim(x, axis)))
      return stop(
        `the scale (${formatShape(a)}) and the input (${formatShape(x)}) differ in axis ${axis}`,
        `a CHECK_EQ on shape(${axis})`,
        0,
      );
  }
  if (a.length === 4 && (knownToDiffer(a[2], 1) || knownToDiffer(a[3], 1)))
    return stop(
      `the scale (${formatShape(a)}) must be N×C×1×1, one value per channel`,
      'a CHECK_EQ on shape(2) and shape(3)',
      0,
    );
  if (!compatibleShape(x, y))
    return stop(
      `the input (${formatShape(x)}) and the added blob (${formatShape(y)}) must have one shape`,
      'a CHECK on bottom[1]->shape() == bottom[2]->shape()',
      2,
    );
  return { tops: [x], params: 0, macs: count(x) };
}

/**
 * SphereFace's A-Softmax inner product: features and labels in, N×num_output (the axes before `axis`
 * kept) out, and optionally the current lambda as a one-value top; weights num_output×K, no bias.
 */
function marginInnerProduct(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block('margin_inner_product_param');
  const [features, labels] = ctx.bottoms as Shape[];
  if (knownToDiffer(features[0] ?? 1, labels[0] ?? 1)) {
    ctx.report(
      `MarginInnerProduct: ${labels[0]} labels for ${features[0]} samples; Caffe stops ("Number of labels must match number of output; DO NOT support multi-label this version.")`,
      ctx.layer.bottoms[1]?.span,
    );
    return NO_OUTPUT;
  }
  const axis = canonicalAxis(p.number('axis', 1), features.length);
  if (axis === undefined) {
    ctx.report(`axis is out of range for a ${features.length}-axis input`, 'margin_inner_product_param');
    return NO_OUTPUT;
  }
  const n = p.number('num_output', 0);
  if (n <= 0) {
    ctx.report('num_output must be positive', p.span('num_output') ?? 'margin_inner_product_param');
    return NO_OUTPUT;
  }
  const k = count(features, axis);
  const tops: Shape[] = [[...features.slice(0, axis), n]];
  if (ctx.layer.tops.length > 1) tops.push([1]);
  return { tops, params: n * k, macs: count(features, 0, axis) * k * n };
}

/**
 * YOLOv2's Reorg (the passthrough layer of the Caffe YOLO ports): space to depth, N×C·s²×⌊H/s⌋×⌊W/s⌋,
 * or with `reverse` depth to space, N×⌊C/s²⌋×H·s×W·s; stride must be given, and not in place.
 */
function reorg(ctx: RuleContext): RuleOutput {
  const b = ctx.bottoms[0] as Shape;
  const p = ctx.params.block('reorg_param');
  // Some ports require the stride; others give it a default in their caffe.proto (`[default = 2]`).
  if (!p.has('stride') && !p.hasDefault('stride')) {
    ctx.report('Reorg needs a stride; Caffe stops ("Reorg Layer needs stride param.")', 'reorg_param');
    return NO_OUTPUT;
  }
  const top = ctx.layer.tops[0];
  if (top !== undefined && ctx.layer.bottoms[0]?.name === top.name) {
    ctx.report(
      'Reorg cannot work in place; Caffe stops ("Reorg Layer does not allow in-place computation.")',
      top.span,
    );
    return NO_OUTPUT;
  }
  const s = p.number('stride', 0);
  if (s <= 0 || b.length !== 4) {
    ctx.report(
      `Reorg needs a positive stride and an N×C×H×W bottom, it has stride ${s} and ${formatShape(b)}`,
      'reorg_param',
    );
    return NO_OUTPUT;
  }
  const reorged = p.bool('reverse', false)
    ? [b[0], Math.floor(b[1] / (s * s)), b[2] * s, b[3] * s]
    : [b[0], b[1] * s * s, Math.floor(b[2] / s), Math.floor(b[3] / s)];
  return { tops: [reorged] };
}

/** A layer that refuses to work in place (its top named as its bottom): reported, true. */
function inPlaceRefused(ctx: RuleContext, words: string): boolean {
  const top = ctx.layer.tops[0];
  if (top === undefined || ctx.layer.bottoms[0]?.name !== top.name) return false;
  ctx.report(`${ctx.layer.type} cannot work in place; Caffe stops ("${words}")`, top.span);
  return true;
}

/**
 * CTPN's Transpose: top axis i is bottom axis dim(i); one dim per axis of the bottom, not in place.
 */
function transpose(ctx: RuleContext): RuleOutput {
  const b = ctx.bottoms[0] as Shape;
  const p = ctx.params.block('transpose_param');
  if (inPlaceRefused(ctx, 'Transpose Layer does not support in-place computation.')) return NO_OUTPUT;
  const dims = p.numbers('dim');
  if (dims.length !== b.length) {
    ctx.report(
      `Transpose: ${dims.length} dim value${dims.length === 1 ? '' : 's'} for the ${b.length}-axis bottom ${formatShape(b)}; Caffe stops (a CHECK_EQ on the number of dims)`,
      p.span('dim') ?? 'transpose_param',
    );
    return NO_OUTPUT;
  }
  const seen = new Set<number>();
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0 || d >= b.length || seen.has(d)) {
      ctx.report(
        `Transpose: dim must list each axis of the ${b.length}-axis bottom once (0 to ${b.length - 1}), it is ${dims.join(', ')}`,
        p.span('dim') ?? 'transpose_param',
      );
      return NO_OUTPUT;
    }
    seen.add(d);
  }
  return { tops: [dims.map((d) => b[d])] };
}

/** CTPN's Reverse: the bottom's shape, its `axis` read backwards; not in place. */
function reverse(ctx: RuleContext): RuleOutput {
  const b = ctx.bottoms[0] as Shape;
  if (inPlaceRefused(ctx, 'Reverse does not support in-place computation.')) return NO_OUTPUT;
  const axis = ctx.params.block('reverse_param').number('axis', 0);
  if (axis < 0 || axis >= b.length) {
    ctx.report(
      `Reverse: axis ${axis} is not an axis of the ${b.length}-axis bottom ${formatShape(b)}; Caffe stops ("axis must be ${axis < 0 ? 'greater than or equal to 0' : "less than bottom's dimension"}.")`,
      'reverse_param',
    );
    return NO_OUTPUT;
  }
  return { tops: [[...b]] };
}

/**
 * CTPN's Lstm (T×N×… in, T×N×num_output out): input-to-hidden, hidden-to-hidden and bias blobs of the
 * four gates, 4H×I + 4H×H + 4H learned.
 */
function lstm(ctx: RuleContext): RuleOutput {
  const b = ctx.bottoms[0] as Shape;
  const h = ctx.params.block('lstm_param').number('num_output', 0);
  if (b.length < 2 || h <= 0) {
    ctx.report(
      `Lstm needs a T×N×… bottom and a positive num_output, it has ${formatShape(b)} and ${h}`,
      'lstm_param',
    );
    return NO_OUTPUT;
  }
  const input = count(b, 2);
  const steps = b[0] * b[1];
  return {
    tops: [[b[0], b[1], h]],
    params: 4 * h * input + 4 * h * h + 4 * h,
    macs: steps * 4 * h * (input + h),
  };
}

/**
 * ShuffleNet's ShuffleChannel (farmingyard's shuffle_channel_layer): the input's N×C×H×W reordered
 * across `group` groups of channels. Its set-up checks group > 0; a channel count the groups do not
 * divide passes the set-up and stops the first forward pass ("Wrong group size.").
 */
function shuffleChannel(ctx: RuleContext): RuleOutput {
  const b = ctx.bottoms[0] as Shape;
  const group = ctx.params.block('shuffle_channel_param').number('group', 1);
  if (group <= 0) {
    ctx.report(
      `ShuffleChannel group ${group}: Caffe stops ("group must be greater than 0")`,
      'shuffle_channel_param',
    );
    return NO_OUTPUT;
  }
  if (b.length > 4) {
    ctx.report(`ShuffleChannel reads its input as N×C×H×W: ${formatShape(b)} has too many axes`);
    return NO_OUTPUT;
  }
  const legacy = [0, 1, 2, 3].map((i) => (i < b.length ? b[i] : 1));
  const channels = legacy[1];
  if (!Number.isNaN(channels) && channels % group !== 0) {
    ctx.report(
      `ShuffleChannel group ${group} does not divide the ${channels} input channels: the first forward pass stops ("Wrong group size.")`,
      'shuffle_channel_param',
    );
  }
  return { tops: [legacy] };
}

/** Fast R-CNN's ROIPooling: one pooled_h × pooled_w grid per region, each size checked at set-up. */
function roiPooling(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block('roi_pooling_param');
  const [features, rois] = ctx.bottoms as Shape[];
  if (features.length !== 4) {
    ctx.report('ROIPooling needs a 4-axis feature map', 'roi_pooling_param');
    return NO_OUTPUT;
  }
  for (const field of ['pooled_h', 'pooled_w']) {
    if (p.number(field, 0) > 0) continue;
    const written = p.span(field);
    ctx.report(
      `${written ? `${field} is 0` : `${field} is not given (0 by default)`}: ROIPooling pools each region ` +
        `into a grid of at least one cell; Caffe stops as it sets the layer up ("${field} must be > 0").`,
      written ?? ctx.params.blockName('roi_pooling_param'),
    );
    return NO_OUTPUT;
  }
  const top = [rois[0], features[1], p.number('pooled_h', 0), p.number('pooled_w', 0)];
  return { tops: [top, top] };
}

export const FORK_LAYER_RULES: Record<string, ShapeRule> = {
  ROIPooling: { needs: 2, run: roiPooling },
  Axpy: { needs: 3, run: axpy },
  MarginInnerProduct: { needs: 2, run: marginInnerProduct },
  Reorg: { needs: 1, run: reorg, ownBlocks: ['reorg_param'] },
  Transpose: { needs: 1, run: transpose, ownBlocks: ['transpose_param'] },
  Reverse: { needs: 1, run: reverse, ownBlocks: ['reverse_param'] },
  Lstm: { needs: 1, run: lstm, ownBlocks: ['lstm_param'] },
  ShuffleChannel: { needs: 1, run: shuffleChannel, ownBlocks: ['shuffle_channel_param'] },
};
