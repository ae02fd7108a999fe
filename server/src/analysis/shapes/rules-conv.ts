// Rules for the convolutions and dense layers: Convolution, Deconvolution, Im2col, InnerProduct, Embed
// and V0's padding layer (Pooling and SPP: rules-pool.ts).

import {
  canonicalAxis,
  convOutSize,
  count,
  compatibleShape,
  deconvOutSize,
  formatDim,
  formatShape,
  isKnownDim,
  perAxis,
} from './arith';
import type { ParamBlock } from './params';
import { refuseSidePadding, sidePadding, sidesWritten } from './side-padding';
import type { RuleContext, RuleOutput, Shape, ShapeRule } from './types';
import { anyNonPositive, bad, CONV, fits, perSpatialAxis } from './window-geometry';

interface Geometry {
  kernel: number[];
  stride: number[];
  pad: number[];
  dilation: number[];
}

/** Kernel, stride, pad and dilation per spatial axis (base_conv_layer.cpp LayerSetUp); undefined + report on error. */
function convGeometry(ctx: RuleContext, p: ParamBlock, axes: number): Geometry | undefined {
  const kernel = perSpatialAxis(ctx, p, axes, 'kernel_h', 'kernel_w', 'kernel_size', 0);
  const stride = perSpatialAxis(ctx, p, axes, 'stride_h', 'stride_w', 'stride', 1);
  const pad = perSpatialAxis(ctx, p, axes, 'pad_h', 'pad_w', 'pad', 0);
  // DeepLab v1's `hole` (and hole_h, hole_w) is its name for the dilation: the same arithmetic.
  const dilation =
    p.has('hole') || p.has('hole_h') || p.has('hole_w')
      ? perSpatialAxis(ctx, p, axes, 'hole_h', 'hole_w', 'hole', 1)
      : perAxis(p.numbers('dilation'), axes, 1);
  if (!kernel || !stride || !pad || !dilation) return undefined;
  if (anyNonPositive(kernel)) {
    ctx.report('the kernel size must be given and positive', p.span('kernel_size') ?? CONV);
    return undefined;
  }
  if (anyNonPositive(stride)) {
    ctx.report('stride must be positive', p.span('stride') ?? CONV);
    return undefined;
  }
  return { kernel, stride, pad, dilation };
}

function convolution(ctx: RuleContext, deconv: boolean): RuleOutput {
  const p = ctx.params.block(CONV);
  const b = ctx.bottoms[0] as Shape;
  const axis = canonicalAxis(p.number('axis', 1), b.length);
  if (axis === undefined) return bad(ctx, `axis is out of range for a ${b.length}-axis input`, CONV);
  const g = convGeometry(ctx, p, b.length - axis - 1);
  if (!g) return { tops: [], params: null, macs: null };
  // Synopsys Caffe's pads per side, or TensorFlow's SAME (side-padding.ts).
  const side = sidePadding(ctx, p, CONV, g.kernel.length, deconv ? 'deconvolution' : 'convolution');
  if (side === null) return { tops: [], params: null, macs: null };
  const out = p.number('num_output', 0);
  const group = p.number('group', 1);
  const channels = b[axis];
  if (out <= 0) return noOutputs(ctx, p, CONV, `a ${deconv ? 'deconvolution' : 'convolution'} ${CONV_NEEDS}`);
  if (group <= 0 || (isKnownDim(channels) && channels % group !== 0) || out % group !== 0) {
    return bad(
      ctx,
      `group ${group} must divide the input channels (${formatDim(channels)}) and num_output (${out})`,
      CONV,
    );
  }
  const spatial: number[] = [];
  for (let i = 0; i < g.kernel.length; i++) {
    const input = b[axis + 1 + i];
    const extent = g.dilation[i] * (g.kernel[i] - 1) + 1;
    if (side?.kind === 'same') {
      spatial.push(Math.ceil(input / g.stride[i]));
      continue;
    }
    const pad = side ? side.total[i] / 2 : g.pad[i]; // the sizes read both sides' padding together
    if (deconv) {
      spatial.push(deconvOutSize(input, g.kernel[i], pad, g.stride[i], g.dilation[i]));
    } else {
      const padding = side ? { total: side.total[i], written: sidesWritten(side, i) } : pad;
      if (!fits(ctx, input, extent, padding, axis + 1 + i, true))
        return { tops: [], params: null, macs: null };
      spatial.push(convOutSize(input, g.kernel[i], pad, g.stride[i], g.dilation[i]));
    }
  }
  if (anyNonPositive(spatial)) return bad(ctx, `the output size would be ${formatShape(spatial)}`, CONV);
  const k = count(g.kernel);
  // Caffe's weight blob is [out, in/group, k...] for convolution and [in, out/group, k...] for deconvolution.
  const weights = deconv ? channels * (out / group) * k : out * (channels / group) * k;
  const params = weights + (p.bool('bias_term', true) ? out : 0);
  // Kept as the top's shape: an array of exactly its length.
  const top0 = new Array<number>(axis + 1 + spatial.length);
  for (let i = 0; i < axis; i++) top0[i] = b[i];
  top0[axis] = out;
  for (let i = 0; i < spatial.length; i++) top0[axis + 1 + i] = spatial[i];
  // Every bottom must have the first one's shape (the weights are shared); each gives one top.
  const tops: (Shape | null)[] = new Array<Shape | null>(ctx.bottoms.length);
  for (let i = 0; i < tops.length; i++) {
    const bi = ctx.bottoms[i];
    if (bi !== null && !compatibleShape(bi, b)) {
      ctx.report(
        `bottom ${i} is ${formatShape(bi)} but bottom 0 is ${formatShape(b)}`,
        ctx.layer.bottoms[i]?.span,
        'shape-mismatch',
      );
      tops[i] = null;
    } else tops[i] = bi === null ? null : top0;
  }
  // Each output element of a convolution sums in/group × k products; a deconvolution scatters each input element.
  const perTop = deconv ? count(b) * (out / group) * k : count(top0) * (channels / group) * k;
  return { tops, params, macs: perTop * ctx.bottoms.length };
}

/**
 * ConvolutionDepthwise, the layer MobileNet ports add (conv_dw_layer.cpp, registered by the repository's
 * own sources): one kh×kw filter per input channel, so the output keeps the input's channels and
 * `num_output` is not read. It reads its input as num, channels, height and width (axes past the
 * input's count are 1; more than 4 axes stop Caffe's legacy accessors).
 */
function convolutionDepthwise(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block(CONV);
  refuseSidePadding(p);
  const b = ctx.bottoms[0] as Shape;
  if (b.length > 4)
    return bad(ctx, `ConvolutionDepthwise reads its input as N×C×H×W: ${b.length} axes are too many`, CONV);
  const legacy = [0, 1, 2, 3].map((i) => b[i] ?? 1);
  const g = convGeometry(ctx, p, 2);
  if (!g) return { tops: [], params: null, macs: null };
  const spatial: number[] = [];
  for (let i = 0; i < 2; i++) {
    const extent = g.dilation[i] * (g.kernel[i] - 1) + 1;
    if (!fits(ctx, legacy[2 + i], extent, g.pad[i], 2 + i, true))
      return { tops: [], params: null, macs: null };
    spatial.push(convOutSize(legacy[2 + i], g.kernel[i], g.pad[i], g.stride[i], g.dilation[i]));
  }
  if (anyNonPositive(spatial)) return bad(ctx, `the output size would be ${formatShape(spatial)}`, CONV);
  const channels = legacy[1];
  const k = count(g.kernel);
  const top = [legacy[0], channels, spatial[0], spatial[1]];
  return {
    tops: [top],
    params: channels * k + (p.bool('bias_term', true) ? channels : 0),
    macs: count(top) * k,
  };
}

// What a num_output of 0 stops on, each in Caffe's words (checked against caffe.Net).
const CONV_NEEDS =
  'needs at least one output channel; Caffe stops as it sets the layer up ("Check failed: num_output_ > 0")';
const INNER_PRODUCT_NEEDS =
  'InnerProduct needs at least one output; its weights would be empty, and Caffe stops as it fills them ("Check failed: blob->count()", or "data_")';

/** A num_output of 0, written or not given (0 is its default): at the field, else at the block. */
function noOutputs(ctx: RuleContext, p: ParamBlock, block: string, needs: string): RuleOutput {
  const written = p.span('num_output');
  return bad(
    ctx,
    `${written ? 'num_output is 0' : 'num_output is not given (0 by default)'}: ${needs}.`,
    written ?? ctx.params.blockName(block),
  );
}

function im2col(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block(CONV);
  refuseSidePadding(p);
  const b = ctx.bottoms[0] as Shape;
  const axis = canonicalAxis(p.number('axis', 1), b.length);
  if (axis === undefined) return bad(ctx, `axis is out of range for a ${b.length}-axis input`, CONV);
  const g = convGeometry(ctx, p, b.length - axis - 1);
  if (!g) return { tops: [] };
  const top = [...b];
  top[axis] *= count(g.kernel);
  for (let i = 0; i < g.kernel.length; i++) {
    const extent = g.dilation[i] * (g.kernel[i] - 1) + 1;
    if (!fits(ctx, b[axis + 1 + i], extent, g.pad[i], axis + 1 + i, true)) return { tops: [] };
    top[axis + 1 + i] = convOutSize(b[axis + 1 + i], g.kernel[i], g.pad[i], g.stride[i], g.dilation[i]);
  }
  return { tops: [top] };
}

function innerProduct(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block('inner_product_param');
  const b = ctx.bottoms[0] as Shape;
  const axis = canonicalAxis(p.number('axis', 1), b.length);
  if (axis === undefined)
    return bad(ctx, `axis is out of range for a ${b.length}-axis input`, 'inner_product_param');
  const n = p.number('num_output', 0);
  if (n <= 0) return noOutputs(ctx, p, 'inner_product_param', INNER_PRODUCT_NEEDS);
  const k = count(b, axis);
  const outer = count(b, 0, axis);
  return {
    tops: [[...b.slice(0, axis), n]],
    params: n * k + (p.bool('bias_term', true) ? n : 0),
    macs: outer * k * n,
  };
}

function embed(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block('embed_param');
  const b = ctx.bottoms[0] as Shape;
  const n = p.number('num_output', 0);
  const dim = p.number('input_dim', 0);
  return { tops: [[...b, n]], params: dim * n + (p.bool('bias_term', true) ? n : 0), macs: 0 };
}

function padding(ctx: RuleContext): RuleOutput {
  const b = ctx.bottoms[0] as Shape;
  const pad = ctx.params.block('padding').number('pad', 0);
  return { tops: [[b[0], b[1], b[2] + 2 * pad, b[3] + 2 * pad]] };
}

export const CONV_RULES: Record<string, ShapeRule> = {
  Convolution: { needs: 1, run: (ctx) => convolution(ctx, false) },
  // The YOLO ports' depthwise convolution (MobileNet-YOLO): a BaseConvolutionLayer with Convolution's
  // shape and blobs, computed per group.
  DepthwiseConvolution: { needs: 1, run: (ctx) => convolution(ctx, false) },
  ConvolutionDepthwise: { needs: 1, run: convolutionDepthwise },
  Deconvolution: { needs: 1, run: (ctx) => convolution(ctx, true) },
  Im2col: { needs: 1, run: im2col },
  InnerProduct: { needs: 1, run: innerProduct },
  Embed: { needs: 1, run: embed },
  Padding: { needs: 1, run: padding },
};
