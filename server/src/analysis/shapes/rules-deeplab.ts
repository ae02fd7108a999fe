// DeepLab v2's segmentation layers as PSPNet's Caffe (built on it) registers them: DenseCRF,
// BiasChannel, AdaptiveBiasChannel, UniqueLabel and SegAccuracy. Each reads its inputs as
// num, channels, height and width and follows its Reshape; the CHECKs there are reported in Caffe's
// words, and only on dimensions that are known.

import { formatShape, knownToDiffer } from './arith';
import { NO_OUTPUT, type RuleContext, type RuleOutput, type Shape, type ShapeRule } from './types';

/** A blob as Caffe's legacy accessors read it: N, C, H, W, an absent axis being 1. */
export function legacy(shape: Shape): number[] {
  return [0, 1, 2, 3].map((i) => (i < shape.length ? shape[i] : 1));
}

/** Reports a failed CHECK of `ctx`'s layer at bottom `bottom` (or the layer): no tops. */
function stop(ctx: RuleContext, what: string, check: string, bottom?: number): RuleOutput {
  const at = bottom === undefined ? undefined : ctx.layer.bottoms[bottom]?.span;
  ctx.report(`${ctx.layer.type}: ${what}; Caffe stops ("${check}")`, at);
  return NO_OUTPUT;
}

/** The inputs of more than 4 axes the legacy accessors refuse: reported, true. */
export function tooManyAxes(ctx: RuleContext): boolean {
  const i = ctx.bottoms.findIndex((b) => b !== null && b.length > 4);
  if (i < 0) return false;
  ctx.report(
    `${ctx.layer.type} reads its inputs as N×C×H×W: bottom ${i} is ${formatShape(ctx.bottoms[i] as Shape)}`,
    ctx.layer.bottoms[i]?.span,
  );
  return true;
}

/** Fully connected CRF over the scores (bottom 0), given each image's size (bottom 1) and the images. */
export function denseCrf(ctx: RuleContext): RuleOutput {
  if (tooManyAxes(ctx)) return NO_OUTPUT;
  const scores = legacy(ctx.bottoms[0] as Shape);
  const [, dims, image] = ctx.bottoms.map((b) => (b === null ? undefined : legacy(b)));
  if (dims && knownToDiffer(scores[0], dims[0]))
    return stop(
      ctx,
      'the scores and the image sizes differ in number',
      'The DCNN output and data should have the same number.',
      1,
    );
  if (image) {
    if (dims && knownToDiffer(dims[0], image[0]))
      return stop(
        ctx,
        'the image sizes and the images differ in number',
        'The data and data dimension should have the same number.',
        2,
      );
    if (knownToDiffer(image[1], 3))
      return stop(ctx, `the images have ${image[1]} channels`, 'Can Only support color images for now.', 2);
    if (knownToDiffer(scores[2], image[2]) || knownToDiffer(scores[3], image[3]))
      return stop(
        ctx,
        `the scores are ${scores[2]}×${scores[3]} and the images ${image[2]}×${image[3]}`,
        'DCNN output after upsampling should have the same height as image.',
        2,
      );
  }
  return { tops: [scores] };
}

/** The label blob of BiasChannel and AdaptiveBiasChannel: one row of labels per image, or (PIXEL) a label map. */
function labelChecks(
  ctx: RuleContext,
  data: number[],
  labels: number[],
  pixel: boolean,
): RuleOutput | undefined {
  if (knownToDiffer(labels[0], data[0]))
    return stop(ctx, 'the labels and the input differ in number', 'Input channels incompatible in num', 1);
  if (labels[1] === 0) return stop(ctx, 'the label blob is empty', 'Label blob needs to be non-empty', 1);
  if (pixel) {
    if (knownToDiffer(labels[1], 1))
      return stop(ctx, `PIXEL labels have ${labels[1]} channels`, 'Label channels', 1);
    if (knownToDiffer(labels[2], data[2]) || knownToDiffer(labels[3], data[3]))
      return stop(
        ctx,
        `the label map is ${labels[2]}×${labels[3]}, the input ${data[2]}×${data[3]}`,
        'Label height',
        1,
      );
    return undefined;
  }
  if (knownToDiffer(labels[2], 1) || knownToDiffer(labels[3], 1))
    return stop(ctx, `IMAGE labels must be N×L×1×1, they are ${formatShape(labels)}`, 'Label height', 1);
  return undefined;
}

export function biasChannel(ctx: RuleContext): RuleOutput {
  if (tooManyAxes(ctx)) return NO_OUTPUT;
  const data = legacy(ctx.bottoms[0] as Shape);
  const pixel = ctx.params.block('bias_channel_param').enumName('label_type', 'IMAGE') === 'PIXEL';
  return labelChecks(ctx, data, legacy(ctx.bottoms[1] as Shape), pixel) ?? { tops: [data] };
}

export function adaptiveBiasChannel(ctx: RuleContext): RuleOutput {
  if (tooManyAxes(ctx)) return NO_OUTPUT;
  const data = legacy(ctx.bottoms[0] as Shape);
  if (!Number.isNaN(data[1]) && data[1] <= 1)
    return stop(
      ctx,
      `the input has ${data[1]} channel (it needs more than one)`,
      'Check failed: channels_ > 1',
      0,
    );
  return labelChecks(ctx, data, legacy(ctx.bottoms[1] as Shape), false) ?? { tops: [data] };
}

/** The distinct labels of a one-channel label map, as N×max_labels×1×1. */
export function uniqueLabel(ctx: RuleContext): RuleOutput {
  if (tooManyAxes(ctx)) return NO_OUTPUT;
  const p = ctx.params.block('unique_label_param');
  const max = p.number('max_labels', 0);
  const forced = new Set(p.numbers('force_label')).size;
  if (max <= forced)
    return stop(
      ctx,
      `max_labels ${max} leaves no room past the ${forced} forced label(s)`,
      'At least one label more than the forced ones needs to fit',
    );
  const labels = legacy(ctx.bottoms[0] as Shape);
  if (knownToDiffer(labels[1], 1))
    return stop(ctx, `the input has ${labels[1]} channels`, 'Input must have one channel', 0);
  return { tops: [[labels[0], max, 1, 1]] };
}

/** Pixel accuracy of scores (N×C×H×W) against a label map (N×1×H×W), as three numbers. */
export function segAccuracy(ctx: RuleContext): RuleOutput {
  if (tooManyAxes(ctx)) return NO_OUTPUT;
  const scores = legacy(ctx.bottoms[0] as Shape);
  const labels = legacy(ctx.bottoms[1] as Shape);
  if (knownToDiffer(scores[0], labels[0]))
    return stop(
      ctx,
      'the data and the labels differ in number',
      'The data and label should have the same number.',
      1,
    );
  if (knownToDiffer(labels[1], 1))
    return stop(ctx, `the labels have ${labels[1]} channels`, 'The label should have one channel.', 1);
  if (knownToDiffer(scores[2], labels[2]) || knownToDiffer(scores[3], labels[3]))
    return stop(
      ctx,
      `the data is ${scores[2]}×${scores[3]}, the labels ${labels[2]}×${labels[3]}`,
      'The data should have the same height as label.',
      1,
    );
  return { tops: [[1, 1, 1, 3]] };
}

export const DEEPLAB_RULES: Record<string, ShapeRule> = {
  DenseCRF: { needs: 1, run: denseCrf },
  BiasChannel: { needs: 2, run: biasChannel },
  AdaptiveBiasChannel: { needs: 2, run: adaptiveBiasChannel },
  UniqueLabel: { needs: 1, run: uniqueLabel },
  SegAccuracy: { needs: 2, run: segAccuracy },
};
