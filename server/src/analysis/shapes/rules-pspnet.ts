// Rules for the layers PSPNet adds (hszhao/PSPNet, from DeepLab v2's Caffe): bilinear resizing
// (Interp), which the pyramid pooling module and the final upsampling use, and the reader of image and
// label-image pairs its and DeepLab's training nets start with (ImageSegData). Each follows that
// fork's set-up and Reshape: their CHECKs are reported in Caffe's words, and only on dimensions that
// are known. PSPNet's BN is with the other forks' BN in rules-pointwise.ts.

import { formatShape, isKnownDim, UNKNOWN_DIM } from './arith';
import { NO_OUTPUT, type RuleContext, type RuleOutput, type Shape, type ShapeRule } from './types';

/**
 * N×C×H'×W' from the input cropped by pad_beg and pad_end (never grown): H' = (H−1)/shrink + 1 for
 * shrink_factor, H + (H−1)(zoom − 1) for zoom_factor, both in turn when both are given, else the
 * height and width given.
 */
export function interp(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block('interp_param');
  for (const field of ['pad_beg', 'pad_end']) {
    const pad = p.number(field, 0);
    if (pad > 0) {
      ctx.report(
        `${field} must be ≤ 0 (a crop), it is ${pad}; Caffe stops ("Only supports non-pos padding (cropping) for now")`,
        p.span(field) ?? 'interp_param',
      );
      return NO_OUTPUT;
    }
  }
  const input = ctx.bottoms[0] as Shape;
  if (input.length > 4) {
    ctx.report(
      `Interp: the input (${formatShape(input)}) has ${input.length} axes; Caffe stops ("Cannot use legacy accessors on Blobs with > 4 axes.")`,
      ctx.layer.bottoms[0]?.span,
    );
    return NO_OUTPUT;
  }
  const crop = p.number('pad_beg', 0) + p.number('pad_end', 0);
  const axis = (i: number): number => (i < input.length ? input[i] : 1);
  const hIn = axis(2) + crop;
  const wIn = axis(3) + crop;
  const shrinks = p.has('shrink_factor');
  const zooms = p.has('zoom_factor');
  const shrink = p.number('shrink_factor', 1);
  const zoom = p.number('zoom_factor', 1);
  for (const [given, value, field, what] of [
    [shrinks, shrink, 'shrink_factor', 'Shrink'],
    [zooms, zoom, 'zoom_factor', 'Zoom'],
  ] as const) {
    if (given && value < 1) {
      ctx.report(
        `${field} must be ≥ 1, it is ${value}; Caffe stops ("${what} factor must be positive")`,
        p.span(field) ?? 'interp_param',
      );
      return NO_OUTPUT;
    }
  }
  const shrunk = (size: number): number => Math.floor((size - 1) / shrink) + 1;
  const zoomed = (size: number): number => size + (size - 1) * (zoom - 1);
  let out: (size: number, given: number) => number;
  if (shrinks && !zooms) out = (size) => shrunk(size);
  else if (zooms && !shrinks) out = (size) => zoomed(size);
  else if (p.has('height') && p.has('width')) out = (_size, given) => given;
  else if (shrinks && zooms) out = (size) => zoomed(shrunk(size));
  else {
    ctx.report(
      'Interp needs zoom_factor, shrink_factor or both, or height and width; without them Caffe aborts (a LOG(FATAL) in Reshape)',
      'interp_param',
    );
    return NO_OUTPUT;
  }
  if (!positive(ctx, hIn, "the cropped input's height", 'height')) return NO_OUTPUT;
  if (!positive(ctx, wIn, "the cropped input's width", 'width')) return NO_OUTPUT;
  // An unknown size (NaN) stays unknown; a size given by height and width is known whatever the input's.
  const h = out(hIn, p.number('height', 0));
  const w = out(wIn, p.number('width', 0));
  if (!positive(ctx, h, "the output's height", 'height')) return NO_OUTPUT;
  if (!positive(ctx, w, "the output's width", 'width')) return NO_OUTPUT;
  const n = input.length > 0 ? input[0] : UNKNOWN_DIM;
  return { tops: [[n, axis(1), h, w]], params: 0, macs: 0 };
}

/** Caffe's CHECK_GT(size, 0) "<name> should be positive" (reported); unknown sizes pass. */
function positive(ctx: RuleContext, size: number, what: string, name: string): boolean {
  if (!isKnownDim(size) || size > 0) return true;
  ctx.report(`${what} would be ${size}; Caffe stops ("${name} should be positive")`, 'interp_param');
  return false;
}

/**
 * Images, their label images and each image's size: batch×C×H×W, batch×1×H×W and batch×1×1×2, C 3 or
 * 1 (is_color), H×W the transform's crop_size, else new_height×new_width, else the first image's.
 * `cls`: the C++ class, which Caffe's message names (DeconvNet's WindowSegDataLayer reads the same way).
 */
export function segmentationData(cls: string): (ctx: RuleContext) => RuleOutput {
  return (ctx) => imageSegData(ctx, cls);
}

function imageSegData(ctx: RuleContext, cls: string): RuleOutput {
  const type = ctx.layer.type;
  const p = ctx.params.block('image_data_param');
  const t = ctx.params.block('transform_param');
  const stop = (message: string, at: string): RuleOutput => {
    ctx.report(message, t.span(at) ?? p.span(at) ?? 'image_data_param');
    return NO_OUTPUT;
  };
  if (t.has('mean_file'))
    return stop(
      `${type} takes mean_value, not mean_file; Caffe stops ("${cls} does not support mean file")`,
      'mean_file',
    );
  const newH = p.number('new_height', 0);
  const newW = p.number('new_width', 0);
  if (newH > 0 !== newW > 0)
    return stop(
      `${type} needs new_height and new_width set together; Caffe stops ("Current implementation requires new_height and new_width to be set at the same time.")`,
      newH > 0 ? 'new_height' : 'new_width',
    );
  // A crop by crop_height and crop_width (fields of PSPNet's TransformationParameter that its other
  // data layers ignore) leaves the tops unknown: see readable-params.ts.
  const crop = t.number('crop_size', 0);
  const known = (n: number): number => (n > 0 ? n : UNKNOWN_DIM);
  const [h, w] = crop > 0 ? [crop, crop] : [known(newH), known(newW)];
  const batch = known(p.number('batch_size', 1));
  const colour = p.bool('is_color', true) ? 3 : 1;
  return {
    tops: [
      [batch, colour, h, w],
      [batch, 1, h, w],
      [batch, 1, 1, 2],
    ],
  };
}

export const PSPNET_RULES: Record<string, ShapeRule> = {
  Interp: { needs: 1, run: interp },
  ImageSegData: { needs: 0, run: segmentationData('ImageSegDataLayer') },
};
