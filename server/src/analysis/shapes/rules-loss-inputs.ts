// What Caffe checks of the inputs of its losses and of Accuracy before it makes them: the same first
// dimension, a label per prediction, sizes that agree, a class axis in range, no scalar input.

import { canonicalAxis, count, formatShape, isComplete } from './arith';
import type { RuleContext } from './types';

/**
 * Whether Caffe's Reshape of a BVLC loss refuses its two inputs (reported): the same first dimension
 * (LossLayer), then a label per prediction (SoftmaxWithLoss), the same size past the first axis
 * (EuclideanLoss) or in all (SigmoidCrossEntropyLoss). Judged only when both shapes are known.
 */
export function lossInputsRefused(ctx: RuleContext): boolean {
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
  if (type === 'SigmoidCrossEntropyLoss' && ctx.bottoms.length === 3) return weightsRefused(ctx, data);
  return false;
}

/**
 * A third SigmoidCrossEntropyLoss bottom, which only MNC's Caffe takes (fork-variants.ts, told there):
 * a weight per element, so that Caffe stops when it is not of the first bottom's count.
 */
function weightsRefused(ctx: RuleContext, data: readonly number[]): boolean {
  const weights = ctx.bottoms[2];
  if (!isComplete(weights) || count(weights) === count(data)) return false;
  const [first, , third] = ctx.layer.bottoms;
  ctx.report(
    `SigmoidCrossEntropyLoss: the weights ${third.name} (${formatShape(weights)}) and ${first.name} ` +
      `(${formatShape(data)}) differ in size; MNC's Caffe, the one that takes a third bottom, stops ` +
      `("SIGMOID_CROSS_ENTROPY_LOSS layer weight must be the same count")`,
    third.span,
  );
  return true;
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
export function labelsRefused(
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
