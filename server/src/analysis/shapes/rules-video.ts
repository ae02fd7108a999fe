// Rules for the video forks' layers. VideoData is three different layers under one name: SSD's reads a
// webcam or a file (its tops are left unknown), Temporal Segment Networks' (yjxiong/caffe) stacks the
// frames of num_segments snippets along the channels, and C3D's (facebookarchive/C3D, v1.1) and
// video-caffe's give N×C×L×H×W clips; the schema in use tells which, else the fields the block uses.
// C3D's own 3-D convolution and pooling (Convolution3D, Pooling3D) follow its LayerSetUp, video-caffe's
// cuDNN N-D ones (NdConvolution, NdPooling) theirs. CHECKs are reported in Caffe's words, and only on
// dimensions that are known.

import { convOutSize, count, formatShape, isKnownDim, poolOutSize, UNKNOWN_DIM } from './arith';
import type { ParamBlock } from './params';
import { NO_OUTPUT, type RuleContext, type RuleOutput, type Shape, type ShapeRule } from './types';

const VIDEO = 'caffe.VideoDataParameter';

/** Fields of C3D's VideoDataParameter that TSN's lacks. */
const C3D_VIDEO_FIELDS = [
  'sampling_rate',
  'use_image',
  'use_temporal_jitter',
  'use_multiple_label',
  'num_of_labels',
  'root_folder',
  'is_color',
];

/** Which fork's VideoData a layer is; undefined: another's (SSD's webcam reader), whose tops stay unknown. */
function videoFork(ctx: RuleContext): 'tsn' | 'c3d' | undefined {
  const defines = (field: string) => ctx.params.schemaDefines(VIDEO, field);
  if (defines('num_segments')) return 'tsn';
  // C3D's, and video-caffe's (the same clips, without C3D's sampling options).
  if (defines('sampling_rate') || defines('is_color')) return 'c3d';
  // A schema with a VideoDataParameter of its own (SSD's, NVIDIA's) says it is neither.
  if (defines('video_type') || defines('source')) return undefined;
  const p = ctx.params.block('video_data_param');
  if (p.has('num_segments') || p.has('modality')) return 'tsn';
  return C3D_VIDEO_FIELDS.some((f) => p.has(f)) ? 'c3d' : undefined;
}

const positive = (n: number): number => (n > 0 ? n : UNKNOWN_DIM);

/**
 * TSN's VideoData: batch × C × crop × crop (or the new size, or the frames' own size, unknown), where
 * C stacks, for each of num_segments snippets, new_length frames of 3 colours (1 in grayscale) or
 * new_length optical-flow pairs (x and y); the label is batch × 1 × 1 × 1.
 */
function tsnVideoData(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block('video_data_param');
  const batch = positive(p.number('batch_size', 0));
  const length = p.number('new_length', 1);
  const segments = p.number('num_segments', 1);
  // FLOW unless told: TSN's proto makes it the default.
  const flow = p.enumName('modality', 'FLOW') === 'FLOW';
  const perFrame = flow ? 2 : p.bool('grayscale', false) ? 1 : 3;
  const crop = ctx.params.block('transform_param').number('crop_size', 0);
  // The frames are resized only when both new_height and new_width are given.
  const resized = p.number('new_height', 0) > 0 && p.number('new_width', 0) > 0;
  const [h, w] =
    crop > 0
      ? [crop, crop]
      : resized
        ? [p.number('new_height', 0), p.number('new_width', 0)]
        : [UNKNOWN_DIM, UNKNOWN_DIM];
  return {
    tops: [
      [batch, positive(perFrame * length * segments), h, w],
      [batch, 1, 1, 1],
    ],
  };
}

/**
 * C3D's VideoData: batch × 3 × new_length × crop × crop (or the new size, or the frames' own size,
 * unknown); the label is one per clip, or num_of_labels per clip with use_multiple_label. video-caffe's
 * reads grayscale frames too (is_color false: one channel); C3D's always reads three.
 */
function c3dVideoData(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block('video_data_param');
  const newHeight = p.number('new_height', 0);
  const newWidth = p.number('new_width', 0);
  if (newHeight > 0 !== newWidth > 0) {
    ctx.report(
      'VideoData needs new_height and new_width set together; Caffe stops ("Current implementation requires new_height and new_width to be set at the same time.")',
      p.span(newHeight > 0 ? 'new_height' : 'new_width') ?? 'video_data_param',
    );
    return NO_OUTPUT;
  }
  const batch = positive(p.number('batch_size', 1));
  const crop = ctx.params.block('transform_param').number('crop_size', 0);
  const [h, w] = crop > 0 ? [crop, crop] : [positive(newHeight), positive(newWidth)];
  const multiple = p.bool('use_multiple_label', false);
  const channels = ctx.params.schemaDefines(VIDEO, 'sampling_rate') || p.bool('is_color', true) ? 3 : 1;
  return {
    tops: [
      [batch, channels, positive(p.number('new_length', 0)), h, w],
      multiple ? [batch, positive(p.number('num_of_labels', 1))] : [batch],
    ],
  };
}

function videoData(ctx: RuleContext): RuleOutput {
  const fork = videoFork(ctx);
  return fork === 'tsn' ? tsnVideoData(ctx) : fork === 'c3d' ? c3dVideoData(ctx) : NO_OUTPUT;
}

/** The N×C×L×H×W input C3D's 3-D layers take (they read shape(4)); undefined + report otherwise. */
function clip(ctx: RuleContext): Shape | undefined {
  const b = ctx.bottoms[0] as Shape;
  if (b.length === 5) return b;
  ctx.report(
    `${ctx.layer.type} takes an N×C×L×H×W clip (5 axes), the bottom ${formatShape(b)} has ${b.length}; Caffe stops (shape(4) is out of range)`,
    ctx.layer.bottoms[0]?.span,
  );
  return undefined;
}

/**
 * The fields of C3D's Convolution3DParameter and Pooling3DParameter. Other Caffes have layers of the same
 * names that read other fields (Synopsys Caffe's kernel_d and stride_d, pseudo-3d-residual-networks'
 * kernel_l and stride_l): their windows are not C3D's, and their tops are left unknown.
 */
const C3D_FIELDS: ReadonlySet<string> = new Set([
  'num_output',
  'bias_term',
  'pad',
  'kernel_size',
  'kernel_depth',
  'stride',
  'temporal_stride',
  'temporal_pad',
  'weight_filler',
  'bias_filler',
  'filter_group',
  'group',
  'pool',
]);

/** Whether a 3-D block is C3D's: the schema's message has kernel_depth, or without one, every field is C3D's. */
function isC3dBlock(p: ParamBlock): boolean {
  return p.defined() ? p.defines('kernel_depth') : p.writtenNames().every((f) => C3D_FIELDS.has(f));
}

/** A 3-D layer's window: kernel_size and stride over height and width, kernel_depth and temporal_stride over the length. */
function clipWindow(
  ctx: RuleContext,
  p: ParamBlock,
  block: string,
): { k: number; kd: number; stride: number; temporalStride: number } | undefined {
  const window = {
    k: p.number('kernel_size', 0),
    kd: p.number('kernel_depth', 0),
    stride: p.number('stride', 1),
    temporalStride: p.number('temporal_stride', 1),
  };
  if (window.k > 0 && window.kd > 0 && window.stride > 0 && window.temporalStride > 0) return window;
  ctx.report(
    `${ctx.layer.type} needs a positive kernel_size, kernel_depth, stride and temporal_stride`,
    block,
  );
  return undefined;
}

/**
 * C3D's Convolution3D: kernel_size × kernel_size over height and width (stride, pad), kernel_depth over
 * the length (temporal_stride, temporal_pad), rounding down; its weights are num_output × C ×
 * kernel_depth × kernel_size², whatever filter_group is.
 */
function convolution3d(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block('convolution3d_param');
  if (!isC3dBlock(p)) return NO_OUTPUT;
  const b = clip(ctx);
  if (!b) return NO_OUTPUT;
  const n = p.number('num_output', 0);
  if (n <= 0) {
    ctx.report(
      'Convolution3D: num_output must be positive; Caffe stops (CHECK_GT(num_output_, 0))',
      p.span('num_output') ?? 'convolution3d_param',
    );
    return NO_OUTPUT;
  }
  const groups = p.number('filter_group', 1);
  if (groups > 0 && n % groups !== 0) {
    ctx.report(
      `Convolution3D: num_output ${n} is not a multiple of filter_group ${groups}; Caffe stops (CHECK_EQ(num_output_ % filter_group_, 0))`,
      p.span('filter_group') ?? 'convolution3d_param',
    );
    return NO_OUTPUT;
  }
  const window = clipWindow(ctx, p, 'convolution3d_param');
  if (!window) return NO_OUTPUT;
  const { k, kd, stride, temporalStride } = window;
  const pad = p.number('pad', 0);
  const out = [
    convOutSize(b[2], kd, p.number('temporal_pad', 0), temporalStride),
    convOutSize(b[3], k, pad, stride),
    convOutSize(b[4], k, pad, stride),
  ];
  if (out.some((d) => isKnownDim(d) && d <= 0)) {
    ctx.report(
      `Convolution3D: the kernel is larger than the padded clip ${formatShape(b)}; the output would have no size`,
      'convolution3d_param',
    );
    return NO_OUTPUT;
  }
  const perOutput = b[1] * kd * k * k;
  const top = [b[0], n, ...out];
  return {
    tops: [top],
    params: n * perOutput + (p.bool('bias_term', true) ? n : 0),
    macs: count(top) * perOutput,
  };
}

/**
 * C3D's Pooling3D: kernel_size over height and width (stride, pad) and kernel_depth over the length
 * (temporal_stride, no padding), rounding up; padding only for AVE.
 */
function pooling3d(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block('pooling3d_param');
  if (!isC3dBlock(p)) return NO_OUTPUT;
  const b = clip(ctx);
  if (!b) return NO_OUTPUT;
  const pad = p.number('pad', 0);
  if (pad !== 0 && p.enumName('pool', 'MAX') !== 'AVE') {
    ctx.report(
      'Pooling3D pads only AVE pooling; Caffe stops ("Padding implemented only for average pooling.")',
      p.span('pad') ?? 'pooling3d_param',
    );
    return NO_OUTPUT;
  }
  const window = clipWindow(ctx, p, 'pooling3d_param');
  if (!window) return NO_OUTPUT;
  const { k, kd, stride, temporalStride } = window;
  const pooled = (size: number, kernel: number, padding: number, step: number) =>
    Math.ceil((size + 2 * padding - kernel) / step) + 1;
  return {
    tops: [
      [
        b[0],
        b[1],
        pooled(b[2], kd, 0, temporalStride),
        pooled(b[3], k, pad, stride),
        pooled(b[4], k, pad, stride),
      ],
    ],
  };
}

/** A BlobShape-valued field's dims (video-caffe's kernel_shape, pad_shape, stride_shape); undefined when not given. */
function shapeDims(p: ParamBlock, field: string): number[] | undefined {
  const given = p.messages(field)[0];
  return given === undefined ? undefined : given.numbers('dim');
}

/**
 * The kernel, pad and stride of video-caffe's cuDNN N-D layers: kernel_shape (required unless
 * global), pad_shape and stride_shape of as many dims; undefined + report otherwise.
 */
function ndWindow(
  ctx: RuleContext,
  p: ParamBlock,
  block: string,
  global: Shape | undefined,
): { kernel: number[]; pad: number[]; stride: number[] } | undefined {
  const kernel = global ? [...global] : shapeDims(p, 'kernel_shape');
  const stop = (message: string) => {
    ctx.report(`${ctx.layer.type}: ${message}`, block);
    return undefined;
  };
  if (kernel === undefined)
    return stop('kernel_shape is required; Caffe stops ("Kernel shape is required.")');
  if (global === undefined && kernel.some((k) => k <= 0))
    return stop('every kernel_shape dim must be positive; Caffe stops ("Filter dimensions cannot be zero.")');
  const pad = shapeDims(p, 'pad_shape') ?? kernel.map(() => 0);
  const stride = shapeDims(p, 'stride_shape') ?? kernel.map(() => 1);
  if (pad.length !== kernel.length)
    return stop(
      'kernel_shape and pad_shape differ in length; Caffe stops ("Kernel and Pad shape don\'t match !")',
    );
  if (stride.length !== kernel.length)
    return stop(
      'kernel_shape and stride_shape differ in length; Caffe stops ("Kernel and Stride shape don\'t match !")',
    );
  if (stride.some((s) => s <= 0)) return stop('every stride_shape dim must be positive');
  return { kernel, pad, stride };
}

/** The input needs one spatial axis per kernel dim (cuDNN's N-D descriptors). */
function ndAxesFit(ctx: RuleContext, b: Shape, dims: number, block: string): boolean {
  if (b.length === dims + 2) return true;
  ctx.report(
    `${ctx.layer.type}: ${dims} kernel dim${dims === 1 ? '' : 's'} for the ${b.length}-axis bottom ${formatShape(b)}, which has ${b.length - 2} spatial axes`,
    block,
  );
  return false;
}

/**
 * video-caffe's NdConvolution (cuDNN): each spatial axis ⌊(in + 2·pad − kernel)/stride⌋ + 1, an axis
 * of size 1 or less left out of the top as its compute_output_shape does; weights num_output × C/group
 * × kernel.
 */
function cudnnNdConvolution(ctx: RuleContext): RuleOutput {
  const b = ctx.bottoms[0] as Shape;
  const p = ctx.params.block('convolution_param');
  const window = ndWindow(ctx, p, 'convolution_param', undefined);
  if (!window || !ndAxesFit(ctx, b, window.kernel.length, 'convolution_param')) return NO_OUTPUT;
  const n = p.number('num_output', 0);
  const group = p.number('group', 1);
  if (n <= 0 || group <= 0 || (isKnownDim(b[1]) && b[1] % group !== 0) || n % group !== 0) {
    ctx.report(
      `NdConvolution: num_output ${n} and the ${b[1]} input channels must be positive multiples of group ${group}`,
      'convolution_param',
    );
    return NO_OUTPUT;
  }
  const top = [b[0], n];
  const full: number[] = [];
  for (let i = 0; i < window.kernel.length; i++) {
    const d = Math.trunc((b[2 + i] + 2 * window.pad[i] - window.kernel[i]) / window.stride[i]) + 1;
    full.push(d);
    if (!isKnownDim(d) || d > 1) top.push(d);
  }
  const k = count(window.kernel);
  return {
    tops: [top],
    params: n * (b[1] / group) * k + (p.bool('bias_term', true) ? n : 0),
    macs: b[0] * n * count(full) * (b[1] / group) * k,
  };
}

/**
 * video-caffe's NdPooling (cuDNN): each spatial axis pooled as BVLC's Pooling does (rounding up, the
 * last window inside the padded input), an axis of size 0 left out; global_pooling takes the whole map.
 */
function cudnnNdPooling(ctx: RuleContext): RuleOutput {
  const b = ctx.bottoms[0] as Shape;
  const p = ctx.params.block('pooling_param');
  const global = p.bool('global_pooling', false) ? b.slice(2) : undefined;
  const window = ndWindow(ctx, p, 'pooling_param', global);
  if (!window || !ndAxesFit(ctx, b, window.kernel.length, 'pooling_param')) return NO_OUTPUT;
  const top = [b[0], b[1]];
  for (let i = 0; i < window.kernel.length; i++) {
    const d = poolOutSize(b[2 + i], window.kernel[i], window.pad[i], window.stride[i]);
    if (!isKnownDim(d) || d >= 1) top.push(d);
  }
  return { tops: [top] };
}

export const VIDEO_RULES: Record<string, ShapeRule> = {
  NdConvolution: { needs: 1, run: cudnnNdConvolution, ownBlocks: ['convolution_param'] },
  NdPooling: { needs: 1, run: cudnnNdPooling, ownBlocks: ['pooling_param'] },
  VideoData: { needs: 0, run: videoData, ownBlocks: ['video_data_param'] },
  Convolution3D: { needs: 1, run: convolution3d, ownBlocks: ['convolution3d_param'] },
  Pooling3D: { needs: 1, run: pooling3d, ownBlocks: ['pooling3d_param'] },
};
