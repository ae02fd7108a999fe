// Rules for the Synopsys Caffe layers that move values between space and channels: DepthToSpace and
// SpaceToDepth (TensorFlow's, NHWC by default), UpsampleDarknet (YOLO v3's nearest-neighbour
// upsampling of the last two axes), its Reshape as a pixel shuffle, and ICNetSubgraph (ICNet's pyramid pooling fused into one layer,
// whose top keeps its bottom's shape). Each follows that Caffe's LayerSetUp and Reshape.

import { count, formatShape, isKnownDim, knownToDiffer } from './arith';
import { inPlace, stops } from './rules-synopsys';
import { NO_OUTPUT, type RuleContext, type RuleOutput, type Shape, type ShapeRule } from './types';

/** Formats whose channels come last, and those whose channels come right after the batch. */
type Layout = { channelsLast: readonly string[]; channelsFirst: readonly string[] };

/**
 * DepthToSpace (`toSpace`) or SpaceToDepth: with block size k, height and width times k and channels
 * divided by k² (rounded down), or the other way round. A format the layer does not know leaves the top
 * with the batch axis alone, and the count check after it stops Caffe, as does a rounded division.
 */
function blockMove(block: string, toSpace: boolean, layout: Layout) {
  return (ctx: RuleContext): RuleOutput => {
    const refused = inPlace(ctx);
    if (refused) return refused;
    const b = ctx.bottoms[0] as Shape;
    const p = ctx.params.block(block);
    // block_size is required: without it validation reports the block, and Caffe would divide by 0.
    if (!p.has('block_size') || b.length !== 4) return NO_OUTPUT;
    const k = p.number('block_size', 0);
    if (!(k >= 1)) {
      ctx.report(
        `${ctx.layer.type}: block_size ${k} is not a positive size; Caffe divides by it as it sets the layer up`,
        p.span('block_size') ?? block,
      );
      return NO_OUTPUT;
    }
    const format = p.string('data_format') ?? 'NHWC';
    const grow = (d: number) => (toSpace ? d * k : Math.trunc(d / k));
    const shrink = (d: number) => (toSpace ? Math.trunc(d / (k * k)) : d * k * k);
    const [n, a1, a2, a3] = b;
    let top: number[];
    if (layout.channelsLast.includes(format)) top = [n, grow(a1), grow(a2), shrink(a3)];
    else if (layout.channelsFirst.includes(format)) top = [n, shrink(a1), grow(a2), grow(a3)];
    else top = [n];
    const formats = [...layout.channelsLast, ...layout.channelsFirst].join(', ');
    if (knownToDiffer(count(top), count(b)))
      return stops(
        ctx,
        top.length === 1
          ? `data_format "${format}" is none of ${formats}, so its top is ${formatShape(top)}, not a rearrangement of ${formatShape(b)}`
          : `block_size ${k} does not divide ${toSpace ? 'the channels' : 'the height and width'} of ${formatShape(b)} (${format}): its top ${formatShape(top)} holds ${count(top)} values, the input ${count(b)}`,
        'output count must match input count',
        top.length === 1 ? (p.span('data_format') ?? block) : (p.span('block_size') ?? block),
      );
    // An unknown format and an input of unknown size: whether Caffe stops is not known.
    if (top.length === 1 && !isKnownDim(count(b))) return NO_OUTPUT;
    return { tops: [top], params: 0, macs: 0 };
  };
}

/**
 * Synopsys Caffe's Reshape with `pixelshuffler: r` other than 1: the channels of an N×C×H×W input
 * divided by r² (rounded down), its height and width times r, the shape left unread.
 */
export function pixelShuffle(ctx: RuleContext): RuleOutput {
  const b = ctx.bottoms[0] as Shape;
  const p = ctx.params.block('reshape_param');
  const r = p.number('pixelshuffler', 1);
  if (!(r >= 1)) {
    ctx.report(
      `Reshape: pixelshuffler ${r} is not a positive factor; Caffe divides by its square as it reshapes`,
      p.span('pixelshuffler') ?? 'reshape_param',
    );
    return NO_OUTPUT;
  }
  // Fewer than four axes: Caffe reads past the input's shape.
  if (b.length < 4) return NO_OUTPUT;
  const top = [b[0], Math.trunc(b[1] / (r * r)), b[2] * r, b[3] * r];
  if (knownToDiffer(count(top), count(b)))
    return stops(
      ctx,
      `pixelshuffler ${r} does not divide the ${b[1]} channels of ${formatShape(b)} into ${r * r}: its top ${formatShape(top)} holds ${count(top)} values, the input ${count(b)}`,
      'output count must match input count',
      p.span('pixelshuffler') ?? 'reshape_param',
    );
  return { tops: [top], params: 0, macs: 0 };
}

/** The last two axes times `stride` (1 by default). */
function upsampleDarknet(ctx: RuleContext): RuleOutput {
  const b = ctx.bottoms[0] as Shape;
  // Fewer than two axes: Caffe writes outside the shape it makes.
  if (b.length < 2) return NO_OUTPUT;
  const stride = ctx.params.block('upsample_darknet_param').number('stride', 1);
  const top = [...b];
  top[b.length - 1] *= stride;
  top[b.length - 2] *= stride;
  return { tops: [top], params: 0, macs: 0 };
}

/** Its top has its bottom's shape; the bottom must have four axes. */
function icnetSubgraph(ctx: RuleContext): RuleOutput {
  const b = ctx.bottoms[0] as Shape;
  if (b.length !== 4)
    return stops(
      ctx,
      `its input must have 4 axes (num, channels, height, width), not ${formatShape(b)}`,
      'Input must have 4 axes, corresponding to (num, channels, height, width)',
    );
  return { tops: [b], params: 0, macs: 0 };
}

export const SYNOPSYS_SPACE_RULES: Record<string, ShapeRule> = {
  DepthToSpace: {
    needs: 1,
    run: blockMove('depth_to_space_param', true, {
      channelsLast: ['NHWC'],
      channelsFirst: ['NCHW', 'CRD', 'DCR'],
    }),
  },
  SpaceToDepth: {
    needs: 1,
    run: blockMove('space_to_depth_param', false, { channelsLast: ['NHWC'], channelsFirst: ['NCHW'] }),
  },
  UpsampleDarknet: { needs: 1, run: upsampleDarknet },
  ICNetSubgraph: { needs: 1, run: icnetSubgraph },
};
