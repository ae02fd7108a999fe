// Rules for the pooling layers: Pooling (BVLC's 2-D, and N-D where a fork's caffe.proto lists the
// kernel per axis) and SPP.

import { poolOutSize } from './arith';
import type { ParamBlock } from './params';
import { sidePadding, sidePooledSize, sidesWritten } from './side-padding';
import type { RuleContext, RuleOutput, Shape, ShapeRule } from './types';
import { anyNonPositive, bad, fits, perSpatialAxis } from './window-geometry';

const POOL = 'pooling_param';

/** Pooling's height and width of one setting: `h` and `w` when either is given, else `one` for both. */
function hw(p: ParamBlock, h: string, w: string, one: string, fallback: number): [number, number] {
  if (p.has(h) || p.has(w)) return [p.number(h, fallback), p.number(w, fallback)];
  const both = p.number(one, fallback);
  return [both, both];
}

function pooling(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block(POOL);
  const b = ctx.bottoms[0] as Shape;
  if (ctx.params.schemaRepeats('caffe.PoolingParameter', 'kernel_size')) return ndPooling(ctx, p, b);
  if (b.length !== 4) return bad(ctx, twoDimensionalPooling(b.length), POOL);
  const global = p.bool('global_pooling', false);
  // PoolingLayer::LayerSetUp reads kernel_size when it is given (a lone kernel_h beside it is left
  // unread), else kernel_h and kernel_w; pad and stride by whether their _h is given.
  const kernel = global
    ? [b[2], b[3]]
    : p.has('kernel_size')
      ? [p.number('kernel_size', 0), p.number('kernel_size', 0)]
      : [p.number('kernel_h', 0), p.number('kernel_w', 0)];
  const pad = hw(p, 'pad_h', 'pad_w', 'pad', 0);
  const stride = hw(p, 'stride_h', 'stride_w', 'stride', 1);
  if (anyNonPositive(kernel)) return bad(ctx, 'the kernel size must be given and positive', POOL);
  if (anyNonPositive(stride)) return bad(ctx, 'stride must be positive', POOL);
  if (pad[0] >= kernel[0] || pad[1] >= kernel[1])
    return bad(ctx, `pad (${pad.join(', ')}) must be smaller than the kernel`, POOL);
  // BVLC's round_mode (CEIL/FLOOR) and some forks' ceil_mode both choose the rounding; ceil by default.
  const ceil = p.enumName('round_mode', 'CEIL') !== 'FLOOR' && p.bool('ceil_mode', true);
  const side = sidePadding(ctx, p, POOL, 2, 'pooling');
  if (side === null) return { tops: [] };
  // Global pooling covers the whole map, whatever its size: one output per channel.
  const out = [1, 1];
  if (side) {
    for (let i = 0; i < 2; i++) {
      if (side.kind === 'sides')
        fits(
          ctx,
          b[2 + i],
          kernel[i],
          { total: side.total[i], written: sidesWritten(side, i) },
          2 + i,
          false,
        );
      out[i] = sidePooledSize(b[2 + i], kernel[i], stride[i], ceil, side, i);
    }
  } else if (!global) {
    for (let i = 0; i < 2; i++) {
      fits(ctx, b[2 + i], kernel[i], pad[i], 2 + i, false);
      out[i] = poolOutSize(b[2 + i], kernel[i], pad[i], stride[i], ceil);
    }
  }
  const top = [b[0], b[1], out[0], out[1]];
  return { tops: [top, top] };
}

/** BVLC's pooling of another input than N×C×H×W: in Caffe's words, and where N-D pooling is found. */
function twoDimensionalPooling(axes: number): string {
  const caffe = 'Caffe stops ("Input must have 4 axes, corresponding to (num, channels, height, width)")';
  return axes > 4
    ? `Pooling needs a 4-axis input (N×C×H×W), got ${axes} axes: ${caffe}. Pooling more spatial axes is a fork's (video-caffe, R-C3D), whose caffe.proto lists kernel_size per axis: check the net against it.`
    : `Pooling needs a 4-axis input (N×C×H×W), got ${axes} axes: ${caffe}.`;
}

/**
 * Pooling in a Caffe whose kernel_size, stride and pad are lists, one value or one per spatial axis
 * (video-caffe's and R-C3D's N-D pooling of N×C×L×H×W clips): each spatial axis is pooled as BVLC
 * pools height and width, rounding up. Its LayerSetUp's CHECKs, in its words.
 */
function ndPooling(ctx: RuleContext, p: ParamBlock, b: Shape): RuleOutput {
  const axes = b.length - 2;
  if (axes < 1)
    return bad(ctx, `Pooling needs an N×C×… input with a spatial axis, got ${b.length} axes`, POOL);
  const global = p.bool('global_pooling', false);
  if (global && (p.has('kernel_size') || p.has('kernel_h') || p.has('kernel_w')))
    return bad(
      ctx,
      'global_pooling takes no kernel size; Caffe stops ("With Global_pooling: true Filter size cannot specified")',
      POOL,
    );
  const kernel = global
    ? b.slice(2)
    : perSpatialAxis(ctx, p, axes, 'kernel_h', 'kernel_w', 'kernel_size', 0, POOL);
  const stride = perSpatialAxis(ctx, p, axes, 'stride_h', 'stride_w', 'stride', 1, POOL);
  const pad = perSpatialAxis(ctx, p, axes, 'pad_h', 'pad_w', 'pad', 0, POOL);
  if (!kernel || !stride || !pad) return { tops: [], params: null, macs: null };
  if (!global && anyNonPositive(kernel)) return bad(ctx, 'the kernel size must be given and positive', POOL);
  if (anyNonPositive(stride)) return bad(ctx, 'stride must be positive', POOL);
  if (global && (pad.some((v) => v !== 0) || stride.some((v) => v !== 1)))
    return bad(
      ctx,
      'global_pooling needs pad 0 and stride 1; Caffe stops ("With Global_pooling: true; only pad = 0 and stride = 1")',
      POOL,
    );
  const top = [b[0], b[1]];
  for (let i = 0; i < axes; i++) {
    if (pad[i] >= kernel[i]) return bad(ctx, `pad (${pad.join(', ')}) must be smaller than the kernel`, POOL);
    if (!global) fits(ctx, b[2 + i], kernel[i], pad[i], 2 + i, false);
    top.push(global ? 1 : poolOutSize(b[2 + i], kernel[i], pad[i], stride[i]));
  }
  return { tops: [top, top] };
}

function spp(ctx: RuleContext): RuleOutput {
  const b = ctx.bottoms[0] as Shape;
  if (b.length !== 4)
    return bad(ctx, `SPP needs a 4-axis input (N×C×H×W), got ${b.length} axes`, 'spp_param');
  const height = ctx.params.block('spp_param').number('pyramid_height', 0);
  if (height <= 0) return bad(ctx, 'pyramid_height must be positive', 'spp_param');
  // Each level pools into 2^l × 2^l bins with a kernel and pad chosen to cover the image (spp_layer.cpp).
  const level = (l: number, size: number): number => {
    const bins = 2 ** l;
    const k = Math.ceil(size / bins);
    return poolOutSize(size, k, Math.floor((k * bins - size + 1) / 2), k);
  };
  if (height === 1) return { tops: [[b[0], b[1], level(0, b[2]), level(0, b[3])]] };
  let features = 0;
  for (let l = 0; l < height; l++) features += b[1] * level(l, b[2]) * level(l, b[3]);
  return { tops: [[b[0], features]] };
}

export const POOL_RULES: Record<string, ShapeRule> = {
  Pooling: { needs: 1, run: pooling },
  SPP: { needs: 1, run: spp },
};
