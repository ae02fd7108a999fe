// Rules for the layers SegNet adds (alexgkendall/caffe-segnet): the decoder's max-unpooling (Upsample),
// which reads the mask its encoder's pooling layer gives as a second top, and the reader of image and
// label-image pairs (DenseImageData). Each follows that fork's LayerSetUp and Reshape: their CHECKs are
// reported in Caffe's words, and only on dimensions that are known. SegNet's BN is with the other
// forks' BN in rules-pointwise.ts.

import { formatShape, knownToDiffer, UNKNOWN_DIM } from './arith';
import { NO_OUTPUT, type RuleContext, type RuleOutput, type Shape, type ShapeRule } from './types';

const AXIS_NAMES = ['num', 'channels', 'height', 'width'];

/**
 * N×C×upsample_h×upsample_w, or N×C×(H·scale_h − pad_out_h)×(W·scale_w − pad_out_w) with the
 * deprecated factors (scale 2 unless given); the mask must have the input's shape.
 */
function upsample(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block('upsample_param');
  const exact = p.has('upsample_h') && p.has('upsample_w');
  if (
    !exact &&
    !(p.has('scale_h') && p.has('scale_w') && !p.has('scale')) &&
    (p.has('scale_h') || p.has('scale_w'))
  ) {
    ctx.report(
      'Upsample needs upsample_h and upsample_w, or (deprecated) scale, or scale_h and scale_w without scale; ' +
        'Caffe stops ("upsample_h & upsample_w are required, else (DEPRECATED) scale OR scale_h & scale_w are required.")',
      'upsample_param',
    );
    return NO_OUTPUT;
  }
  // The output size: given (upsample_h, upsample_w), or the input's times the scale factors.
  let sizes: (input: Shape) => [number, number];
  if (exact) {
    const outH = p.number('upsample_h', 0);
    const outW = p.number('upsample_w', 0);
    if (!greaterThanOne(ctx, 'upsample_h', outH) || !greaterThanOne(ctx, 'upsample_w', outW))
      return NO_OUTPUT;
    sizes = () => [outH, outW];
  } else {
    const separate = p.has('scale_h');
    const scaleH = separate ? p.number('scale_h', 0) : p.number('scale', 2);
    const scaleW = separate ? p.number('scale_w', 0) : scaleH;
    if (!greaterThanOne(ctx, separate ? 'scale_h' : 'scale', scaleH)) return NO_OUTPUT;
    if (separate && !greaterThanOne(ctx, 'scale_w', scaleW)) return NO_OUTPUT;
    const padH = p.bool('pad_out_h', false);
    const padW = p.bool('pad_out_w', false);
    for (const [pad, scale, axis] of [
      [padH, scaleH, 'h'],
      [padW, scaleW, 'w'],
    ] as const) {
      if (pad && scale !== 2) {
        ctx.report(
          `pad_out_${axis} needs scale_${axis} 2, it is ${scale}; Caffe stops ("Output ${axis === 'h' ? 'height' : 'width'} ` +
            `padding compensation requires scale_${axis} == 2, otherwise the output size is ill-defined.")`,
          p.span(`pad_out_${axis}`) ?? 'upsample_param',
        );
        return NO_OUTPUT;
      }
    }
    // An unknown size (NaN) stays unknown.
    sizes = (input) => [input[2] * scaleH - (padH ? 1 : 0), input[3] * scaleW - (padW ? 1 : 0)];
  }
  const [input, mask] = ctx.bottoms as Shape[];
  for (const [i, shape, what] of [
    [0, input, 'Input'],
    [1, mask, 'Input mask'],
  ] as const) {
    if (shape.length !== 4) {
      ctx.report(
        `Upsample: bottom ${i} (${formatShape(shape)}) has ${shape.length} axes, it needs 4; Caffe stops ` +
          `("${what} must have 4 axes, corresponding to (num, channels, height, width)")`,
        ctx.layer.bottoms[i]?.span,
      );
      return NO_OUTPUT;
    }
  }
  for (let axis = 0; axis < 4; axis++) {
    const a = input[axis];
    const b = mask[axis];
    if (knownToDiffer(a, b)) {
      ctx.report(
        `Upsample: the mask (${formatShape(mask)}) has ${AXIS_NAMES[axis]} ${b}, the input (${formatShape(input)}) ` +
          `${a}: the mask must come from the pooling layer whose output this layer unpools; Caffe stops ` +
          `(a CHECK_EQ on ${AXIS_NAMES[axis]}())`,
        ctx.layer.bottoms[1]?.span,
      );
      return NO_OUTPUT;
    }
  }
  const [h, w] = sizes(input);
  return { tops: [[input[0], input[1], h, w]], params: 0, macs: 0 };
}

function greaterThanOne(ctx: RuleContext, field: string, value: number): boolean {
  if (value > 1) return true;
  ctx.report(
    `${field} must be > 1, it is ${value}; Caffe stops (a CHECK_GT on ${field})`,
    ctx.params.block('upsample_param').span(field) ?? 'upsample_param',
  );
  return false;
}

/**
 * Images and their label images: batch×C×H×W and batch×1×H×W, C 3 or 1 (is_color), H×W the
 * transform's crop_size, else crop_height×crop_width, else new_height×new_width, else the first image's.
 */
function denseImageData(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block('dense_image_data_param');
  for (const [a, b] of [
    ['new_height', 'new_width'],
    ['crop_height', 'crop_width'],
  ] as const) {
    if (p.number(a, 0) > 0 !== p.number(b, 0) > 0) {
      ctx.report(
        `DenseImageData needs ${a} and ${b} set together; Caffe stops ("Current implementation requires ${a} and ${b} to be set at the same time.")`,
        p.span(p.number(a, 0) > 0 ? a : b) ?? 'dense_image_data_param',
      );
      return NO_OUTPUT;
    }
  }
  const positive = (n: number): number => (n > 0 ? n : UNKNOWN_DIM);
  const batch = positive(p.number('batch_size', 0));
  const colour = p.bool('is_color', true) ? 3 : 1;
  const crop = ctx.params.block('transform_param').number('crop_size', 0);
  const [h, w] =
    crop > 0
      ? [crop, crop]
      : p.number('crop_height', 0) > 0
        ? [p.number('crop_height', 0), p.number('crop_width', 0)]
        : [positive(p.number('new_height', 0)), positive(p.number('new_width', 0))];
  return {
    tops: [
      [batch, colour, h, w],
      [batch, 1, h, w],
    ],
  };
}

/**
 * Whether an Upsample layer is SegNet's (max-unpooling with its pooling's mask) and not another fork's
 * upsampling of one input (the YOLO ports' nearest-neighbour Upsample, whose parameter is a scale alone):
 * the schema in use tells, else the number of bottoms.
 */
function isSegNetUpsample(ctx: RuleContext): boolean {
  if (ctx.params.schemaDefines('caffe.UpsampleParameter', 'upsample_h')) return true;
  if (ctx.params.schemaDefines('caffe.UpsampleParameter', 'scale')) return false;
  return ctx.bottoms.length === 2;
}

function upsampleOfAnyFork(ctx: RuleContext): RuleOutput {
  // Another fork's layer of the same name: its tops are unknown, as for a type without a rule.
  if (!isSegNetUpsample(ctx)) return NO_OUTPUT;
  if (ctx.bottoms.length !== 2) {
    ctx.report(
      `SegNet's Upsample takes 2 bottoms (the input and the mask its encoder's pooling layer gives as its second top), ` +
        `this layer has ${ctx.bottoms.length}: Caffe stops building the net ("Upsample Layer takes 2 bottom blob(s) as input.")`,
    );
    return NO_OUTPUT;
  }
  return upsample(ctx);
}

export const SEGNET_RULES: Record<string, ShapeRule> = {
  Upsample: { needs: 1, run: upsampleOfAnyFork },
  DenseImageData: { needs: 0, run: denseImageData },
};
