// Rules for the Synopsys Caffe layers its TensorFlow conversions use most between convolutions:
// broadcasting arithmetic (Add, Sub, Mul, Div, Maximum, Minimum), SpaceToBatchND and BatchToSpaceND
// (around a dilated convolution), Squeeze (drops axes of size 1),
// Pad (a constant border per axis), and ResizeBilinear and
// ResizeNearestNeighbor (a new height and width, NHWC by default). Each follows that Caffe's Reshape
// (and LayerSetUp's CHECKs, in its words); its element-wise NeuronLayers keep their bottom's shape
// (rules-pointwise.ts).

import { canonicalAxis, count, formatShape, isKnownDim, knownToDiffer } from './arith';
import { NO_OUTPUT, type RuleContext, type RuleOutput, type Shape, type ShapeRule } from './types';

/** Caffe stops at the layer: reported at `at` (the layer's name by default), and no tops. */
export function stops(
  ctx: RuleContext,
  what: string,
  words: string,
  at?: string | { start: number; end: number },
) {
  ctx.report(`${ctx.layer.type}: ${what}; Caffe stops ("${words}")`, at);
  return NO_OUTPUT;
}

/** Whether top 0 is written with bottom 0's name, which these layers refuse. */
export function inPlace(ctx: RuleContext): RuleOutput | undefined {
  const top = ctx.layer.tops[0];
  if (top === undefined || top.name !== ctx.layer.bottoms[0]?.name) return undefined;
  return stops(
    ctx,
    `it cannot compute in place: give its top a name of its own, not its bottom's '${top.name}'`,
    `${ctx.layer.type} Layer does not allow in-place computation.`,
    top.span,
  );
}

/**
 * The bottom without the axes of size 1 listed in `axis` (negative counts from the end), or without
 * every axis of size 1 when none is listed. A listed axis must be of size 1.
 */
function squeeze(ctx: RuleContext): RuleOutput {
  const refused = inPlace(ctx);
  if (refused) return refused;
  const b = ctx.bottoms[0] as Shape;
  const p = ctx.params.block('squeeze_param');
  const listed = p.numbers('axis');
  const removed = new Set<number>();
  for (const written of listed) {
    if (written > b.length)
      return stops(
        ctx,
        `axis ${written} is past the input's ${b.length} axes`,
        'Given axis index should not be greater than bottom axis count!',
        p.span('axis') ?? 'squeeze_param',
      );
    const axis = canonicalAxis(written, b.length);
    if (axis === undefined)
      return stops(
        ctx,
        `axis ${written} is out of range for a ${b.length}-axis input`,
        `axis ${written} out of range for ${b.length}-D Blob with shape ${formatShape(b)}`,
        p.span('axis') ?? 'squeeze_param',
      );
    if (knownToDiffer(b[axis], 1))
      return stops(
        ctx,
        `axis ${written} is ${b[axis]}, not 1, in ${formatShape(b)}`,
        "Can't remove axis that is not shape 1!",
        p.span('axis') ?? 'squeeze_param',
      );
    removed.add(axis);
  }
  const top: number[] = [];
  for (let i = 0; i < b.length; i++) {
    // Without a list, an axis of unknown size may or may not go: the rank is unknown.
    if (listed.length === 0 && !isKnownDim(b[i])) return { tops: [null], params: 0, macs: 0 };
    if (removed.has(i) || (listed.length === 0 && b[i] === 1)) continue;
    top.push(b[i]);
  }
  return { tops: [top], params: 0, macs: 0 };
}

/** Each axis widened by the two paddings written for it (before, after): two per input axis. */
function pad(ctx: RuleContext): RuleOutput {
  const b = ctx.bottoms[0] as Shape;
  const p = ctx.params.block('pad_param');
  const paddings = p.numbers('paddings');
  if (paddings.length % 2 !== 0)
    return stops(
      ctx,
      `${paddings.length} paddings: each axis takes two (before and after)`,
      'Paddings for each dimension should have 2 values!',
      p.span('paddings') ?? 'pad_param',
    );
  if (paddings.length / 2 !== b.length)
    return stops(
      ctx,
      `${paddings.length} paddings for a ${b.length}-axis input, which takes ${2 * b.length}`,
      "Paddings' num should be 2 times of bottom dimension!",
      p.span('paddings') ?? 'pad_param',
    );
  const top = b.map((d, i) => d + paddings[2 * i] + paddings[2 * i + 1]);
  return { tops: [top], params: 0, macs: 0 };
}

/**
 * TensorFlow's SpaceToBatchND: for each entry i of `block_shape`, axis i + 1 (after the batch) padded
 * by its two `paddings` and divided by the block, which multiplies the batch. The padded size must
 * divide exactly.
 */
function spaceToBatch(ctx: RuleContext): RuleOutput {
  const b = ctx.bottoms[0] as Shape;
  const p = ctx.params.block('space_to_batch_nd_param');
  const blocks = p.numbers('block_shape');
  const paddings = p.numbers('paddings');
  // Fewer paddings than two per block, or more blocks than axes: Caffe reads past its lists.
  if (paddings.length < 2 * blocks.length || blocks.length >= b.length || blocks.some((k) => k <= 0))
    return { tops: [null], params: 0, macs: 0 };
  const top = [...b];
  for (let i = 0; i < blocks.length; i++) {
    const padded = b[i + 1] + paddings[2 * i] + paddings[2 * i + 1];
    if (isKnownDim(padded) && padded % blocks[i] !== 0)
      return stops(
        ctx,
        `block_shape ${blocks[i]} does not divide axis ${i + 1} padded to ${padded}`,
        `block_shape[${i}] cannot divide bottom_shape[${i + 1}] + paddings[${2 * i}] + paddings[${2 * i + 1}]`,
        p.span('block_shape') ?? 'space_to_batch_nd_param',
      );
    top[0] *= blocks[i];
    top[i + 1] = padded / blocks[i];
  }
  return { tops: [top], params: 0, macs: 0 };
}

/**
 * Its inverse, BatchToSpaceND: the batch divided by each block (rounded down, unchecked), axis i + 1
 * multiplied by it and cut by its two `crops`.
 */
function batchToSpace(ctx: RuleContext): RuleOutput {
  const b = ctx.bottoms[0] as Shape;
  const p = ctx.params.block('batch_to_space_nd_param');
  const blocks = p.numbers('block_shape');
  const crops = p.numbers('crops');
  if (crops.length < 2 * blocks.length || blocks.length >= b.length || blocks.some((k) => k <= 0))
    return { tops: [null], params: 0, macs: 0 };
  const top = [...b];
  for (let i = 0; i < blocks.length; i++) {
    top[0] = Math.trunc(top[0] / blocks[i]);
    top[i + 1] = top[i + 1] * blocks[i] - (crops[2 * i] + crops[2 * i + 1]);
  }
  // A size cropped to nothing is reported as any top of a non-positive size is.
  return { tops: [top], params: 0, macs: 0 };
}

/** One axis of a broadcast: the larger of two sizes (what Caffe's `>=` picks), NaN where unknown. */
function larger(a: number, b: number): number {
  if (isKnownDim(a) && isKnownDim(b)) return a >= b ? a : b;
  return NaN;
}

/**
 * Add, Sub, Mul, Div, Maximum and Minimum of two bottoms, broadcast as its Reshape does: inputs of as
 * many axes must agree axis by axis or be 1 there; otherwise the shorter one lines up with the last
 * axes of the longer and each axis takes the larger size, unchecked; a scalar takes the other's shape.
 * Mul with one bottom multiplies by a learned blob of `mul_shape`; the others read a blob Caffe never
 * makes then (tops unknown).
 */
function broadcast(ctx: RuleContext): RuleOutput {
  const top = ctx.layer.tops[0];
  if (top !== undefined && top.name === ctx.layer.bottoms[0]?.name)
    return stops(
      ctx,
      `it cannot compute in place: give its top a name of its own, not its bottom's '${top.name}'`,
      `${ctx.layer.type} Layer does not allow in-place computation.`,
      top.span,
    );
  const a = ctx.bottoms[0] as Shape;
  const learned = ctx.bottoms.length < 2 && ctx.layer.type === 'Mul';
  const m = ctx.bottoms.length >= 2 ? (ctx.bottoms[1] as Shape) : learned ? mulShape(ctx) : undefined;
  if (m === undefined) return { tops: [null], params: null, macs: null };
  const params = learned ? count(m) : 0;
  const diff = a.length - m.length;
  if (a.length === 0 || m.length === 0) return { tops: [diff >= 0 ? a : m], params, macs: 0 };
  const out: number[] = [];
  if (diff === 0) {
    for (let i = 0; i < a.length; i++) {
      if (knownToDiffer(a[i], m[i]) && a[i] !== 1 && m[i] !== 1)
        return stops(
          ctx,
          `${formatShape(a)} and ${formatShape(m)} differ in axis ${i}, where neither is 1`,
          'Dimensions must be equal or 1 in the bottoms!',
          ctx.layer.bottoms[1]?.span,
        );
      // Where one is unknown, the other tells the size unless it is 1 (the check leaves two choices).
      out.push(
        isKnownDim(a[i]) && isKnownDim(m[i])
          ? Math.max(a[i], m[i])
          : isKnownDim(a[i]) && a[i] > 1
            ? a[i]
            : isKnownDim(m[i]) && m[i] > 1
              ? m[i]
              : NaN,
      );
    }
  } else {
    const [long, short] = diff > 0 ? [a, m] : [m, a];
    const lead = Math.abs(diff);
    for (let i = 0; i < long.length; i++) out.push(i < lead ? long[i] : larger(long[i], short[i - lead]));
  }
  return { tops: [out], params, macs: 0 };
}

function mulShape(ctx: RuleContext): Shape {
  return ctx.params.block('mul_param').numbers('mul_shape');
}

/** A resize's flags that may not be true together, and what Caffe says when two are. */
type FlagChecks = readonly { flags: readonly [string, string]; words: string }[];

/**
 * A resize to output_height × output_width, or to each of them the input's times its scale (rounded
 * down in single precision), of an NHWC input by default (`data_format`), else NCHW.
 */
function resize(block: string, checks: FlagChecks) {
  return (ctx: RuleContext): RuleOutput => {
    const refused = inPlace(ctx);
    if (refused) return refused;
    const b = ctx.bottoms[0] as Shape;
    const p = ctx.params.block(block);
    for (const { flags, words } of checks) {
      if (flags.every((f) => p.bool(f, false)))
        return stops(ctx, `${flags.join(' and ')} cannot both be true`, words, p.span(flags[1]) ?? block);
    }
    const format = p.string('data_format') ?? 'NHWC';
    // NCHWD (a 3-D resize) is not followed here.
    if (b.length !== 4 || (format !== 'NHWC' && format !== 'NCHW')) return NO_OUTPUT;
    const [h, w] = format === 'NHWC' ? [1, 2] : [2, 3];
    const size = (field: string, scale: string, input: number) =>
      p.has(field) ? p.number(field, 0) : Math.floor(Math.fround(input * Math.fround(p.number(scale, 1))));
    const height = size('output_height', 'scale_height', b[h]);
    const width = size('output_width', 'scale_width', b[w]);
    const top = format === 'NHWC' ? [b[0], height, width, b[3]] : [b[0], b[1], height, width];
    return { tops: [top], params: 0, macs: 0 };
  };
}

const ONE_FLAG = 'Maximum one Flag in align_corners, half_pixel_center or half_pixel_onnx could be True.';

export const SYNOPSYS_RULES: Record<string, ShapeRule> = {
  ...Object.fromEntries(
    ['Add', 'Sub', 'Mul', 'Div', 'Maximum', 'Minimum'].map((t) => [t, { needs: Infinity, run: broadcast }]),
  ),
  Squeeze: { needs: 1, run: squeeze },
  SpaceToBatchND: { needs: 1, run: spaceToBatch },
  BatchToSpaceND: { needs: 1, run: batchToSpace },
  Pad: { needs: 1, run: pad },
  ResizeBilinear: {
    needs: 1,
    run: resize('resize_bilinear_param', [
      {
        flags: ['align_corners', 'half_pixel_centers'],
        words: 'If half_pixel_centers is True, align_corners must be False.',
      },
      {
        flags: ['align_corners', 'pytorch_half_pixel'],
        words: 'If pytorch_half_pixel_ is True, align_corners must be False.',
      },
      {
        flags: ['half_pixel_centers', 'pytorch_half_pixel'],
        words: 'If pytorch_half_pixel_ is True, half_pixel_centers_ must be False.',
      },
    ]),
  },
  ResizeNearestNeighbor: {
    needs: 1,
    run: resize('resize_nearest_neighbor_param', [
      { flags: ['align_corners', 'half_pixel_centers'], words: ONE_FLAG },
      { flags: ['align_corners', 'half_pixel_onnx'], words: ONE_FLAG },
      { flags: ['half_pixel_centers', 'half_pixel_onnx'], words: ONE_FLAG },
    ]),
  },
};
