// Rules for the layers R-FCN adds (Microsoft/caffe as py-R-FCN pins it): position-sensitive RoI
// pooling and the online hard example mining layers. Each follows that fork's LayerSetUp and Reshape:
// their CHECKs are reported in Caffe's words, and only on dimensions that are known.

import { canonicalAxis, count, formatShape, isKnownDim } from './arith';
import { NO_OUTPUT, type RuleContext, type RuleOutput, type Shape, type ShapeRule } from './types';

const AXIS_NAMES = ['num', 'channels', 'height', 'width'];

/** Caffe's legacy accessor of a blob of up to 4 axes: axis `axis`, 1 when the blob has fewer. */
function legacy(shape: Shape, axis: number): number {
  return axis < shape.length ? shape[axis] : 1;
}

/**
 * Whether `CHECK_EQ(bottom[i]->axis(), expected)` stops Caffe (reported); never when either side is
 * unknown.
 */
function legacyMismatch(ctx: RuleContext, i: number, axis: number, expected: number, words: string): boolean {
  const shape = ctx.bottoms[i] as Shape;
  const dim = legacy(shape, axis);
  if (!isKnownDim(dim) || !isKnownDim(expected) || dim === expected) return false;
  ctx.report(
    `${ctx.layer.type}: bottom ${i} (${formatShape(shape)}) has ${AXIS_NAMES[axis]} ${dim}, ${words} ${expected}; ` +
      `Caffe stops (a CHECK_EQ on bottom[${i}]->${AXIS_NAMES[axis]}())`,
    ctx.layer.bottoms[i]?.span,
  );
  return true;
}

/** A value Caffe's LayerSetUp requires to be positive; undefined when it is not written (a required field). */
function positive(ctx: RuleContext, block: string, field: string): number | undefined | null {
  const p = ctx.params.block(block);
  if (!p.has(field)) return undefined;
  const value = p.number(field, 0);
  if (value > 0) return value;
  ctx.report(
    `${field} must be > 0, it is ${value}; Caffe stops ("${field} must be > 0")`,
    p.span(field) ?? block,
  );
  return null;
}

/** N×output_dim×group_size×group_size, N the number of regions; the score maps hold output_dim·group_size² channels. */
function psroiPooling(ctx: RuleContext): RuleOutput {
  const outputDim = positive(ctx, 'psroi_pooling_param', 'output_dim');
  const groupSize = positive(ctx, 'psroi_pooling_param', 'group_size');
  if (outputDim === null || groupSize === null) return NO_OUTPUT;
  if (outputDim === undefined || groupSize === undefined) return { tops: [null], params: 0, macs: 0 };
  const [maps, rois] = ctx.bottoms as Shape[];
  const channels = legacy(maps, 1);
  const expected = outputDim * groupSize * groupSize;
  if (isKnownDim(channels) && channels !== expected) {
    ctx.report(
      `PSROIPooling: the score maps (${formatShape(maps)}) have ${channels} channels, output_dim × group_size² is ` +
        `${outputDim} × ${groupSize}² = ${expected}; Caffe stops ("input channel number does not match layer parameters")`,
      ctx.layer.bottoms[0]?.span,
    );
    return NO_OUTPUT;
  }
  return { tops: [[legacy(rois, 0), outputDim, groupSize, groupSize]], params: 0, macs: 0 };
}

/**
 * BoxAnnotatorOHEM: regions (N×5), their classification and box losses (N×1 each) and the box
 * targets' weights (N×C); gives the labels kept (N×1) and the box loss weights kept (N×C), spatially
 * as the regions are.
 */
function boxAnnotatorOhem(ctx: RuleContext): RuleOutput {
  const perImage = positive(ctx, 'box_annotator_ohem_param', 'roi_per_img');
  if (perImage === null) return NO_OUTPUT;
  const rois = ctx.bottoms[0] as Shape;
  const [n, h, w] = [legacy(rois, 0), legacy(rois, 2), legacy(rois, 3)];
  if (legacyMismatch(ctx, 0, 1, 5, 'each region needs')) return NO_OUTPUT;
  for (let i = 1; i < 4; i++) {
    if (legacyMismatch(ctx, i, 0, n, 'as many as the regions,')) return NO_OUTPUT;
    if (i < 3 && legacyMismatch(ctx, i, 1, 1, 'a loss per region needs')) return NO_OUTPUT;
    if (legacyMismatch(ctx, i, 2, h, 'the regions have')) return NO_OUTPUT;
    if (legacyMismatch(ctx, i, 3, w, 'the regions have')) return NO_OUTPUT;
  }
  const weights = ctx.bottoms[3] as Shape;
  return {
    tops: [
      [n, 1, h, w],
      [n, legacy(weights, 1), h, w],
    ],
    params: 0,
    macs: 0,
  };
}

/** LossLayer::Reshape: the data and the label have the same first dimension. */
function firstDimensionRefused(ctx: RuleContext): boolean {
  const [data, label] = ctx.bottoms as Shape[];
  const [a, b] = [legacy(data, 0), legacy(label, 0)];
  if (!isKnownDim(a) || !isKnownDim(b) || a === b) return false;
  ctx.report(
    `${ctx.layer.type}: bottoms 0 (${formatShape(data)}) and 1 (${formatShape(label)}) differ in their first ` +
      `dimension; Caffe stops ("The data and label should have the same first dimension.")`,
    ctx.layer.bottoms[1]?.span,
  );
  return true;
}

/** A scalar loss, the softmax output (as the scores) and the loss of each region (as the labels). */
function softmaxLossOhem(ctx: RuleContext): RuleOutput {
  if (firstDimensionRefused(ctx)) return NO_OUTPUT;
  const [scores, labels] = ctx.bottoms as Shape[];
  const axis = canonicalAxis(ctx.params.block('softmax_param').number('axis', 1), scores.length);
  if (axis === undefined) {
    ctx.report(`softmax_param.axis is outside the scores' ${scores.length} axes`, 'softmax_param');
    return NO_OUTPUT;
  }
  const outer = count(scores, 0, axis) * count(scores, axis + 1);
  const labelCount = count(labels);
  if (isKnownDim(outer) && isKnownDim(labelCount) && outer !== labelCount) {
    ctx.report(
      `SoftmaxWithLossOHEM: ${labelCount} labels for ${outer} predictions of ${formatShape(scores)}; Caffe stops ` +
        `("Number of labels must match number of predictions")`,
      ctx.layer.bottoms[1]?.span,
    );
    return NO_OUTPUT;
  }
  return { tops: [[], [...scores], [...labels]], params: 0, macs: 0 };
}

/** A scalar loss and the loss of each region (N×1×H×W); the targets and weights are shaped as the predictions. */
function smoothL1LossOhem(ctx: RuleContext): RuleOutput {
  if (firstDimensionRefused(ctx)) return NO_OUTPUT;
  const data = ctx.bottoms[0] as Shape;
  for (let i = 1; i < ctx.bottoms.length; i++) {
    if (ctx.bottoms[i] === null) continue;
    for (let axis = 1; axis < 4; axis++)
      if (legacyMismatch(ctx, i, axis, legacy(data, axis), 'the predictions have')) return NO_OUTPUT;
  }
  return { tops: [[], [legacy(data, 0), 1, legacy(data, 2), legacy(data, 3)]], params: 0, macs: 0 };
}

export const RFCN_RULES: Record<string, ShapeRule> = {
  PSROIPooling: { needs: 2, run: psroiPooling },
  BoxAnnotatorOHEM: { needs: 4, run: boxAnnotatorOhem },
  SoftmaxWithLossOHEM: { needs: 2, run: softmaxLossOhem },
  SmoothL1LossOHEM: { needs: 2, run: smoothL1LossOhem },
};
