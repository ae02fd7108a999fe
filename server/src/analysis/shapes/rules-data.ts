// Rules for the layers that make blobs from nothing: Input, DummyData, MemoryData, Parameter and the data
// readers.
// A reader's shape is known only as far as its parameters say (batch size, crop, resize, colour).

import { count, UNKNOWN_DIM } from './arith';
import type { ParamBlock } from './params';
import type { RuleContext, RuleOutput, Shape, ShapeRule } from './types';

/** The dims of a BlobShape block. */
function blobShape(b: ParamBlock): Shape {
  return b.numbers('dim');
}

/** Caffe's "once, or once per top" rule for repeated shape-like fields. */
function pick<T>(values: readonly T[], i: number): T | undefined {
  return values.length === 1 ? values[0] : values[i];
}

function input(ctx: RuleContext): RuleOutput {
  // A shape count that fits no top count is a set-up check (setup-simple.ts).
  const shapes = ctx.params.block('input_param').messages('shape');
  return { tops: ctx.layer.tops.map((_, i) => (shapes.length === 0 ? null : blobOrNull(pick(shapes, i)))) };
}

function blobOrNull(b: ParamBlock | undefined): Shape | null {
  return b === undefined ? null : blobShape(b);
}

function dummyData(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block('dummy_data_param');
  const shapes = p.messages('shape');
  const legacy = ['num', 'channels', 'height', 'width'].map((f) => p.numbers(f));
  const useLegacy = legacy.some((v) => v.length > 0);
  return {
    tops: ctx.layer.tops.map((_, i) => {
      if (!useLegacy) return blobOrNull(pick(shapes, i));
      const dims = legacy.map((v) => pick(v, i));
      return dims.every((d): d is number => d !== undefined) ? dims : null;
    }),
  };
}

function memoryData(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block('memory_data_param');
  const b = p.number('batch_size', 0);
  return {
    tops: [[b, p.number('channels', 0), p.number('height', 0), p.number('width', 0)], [b]],
  };
}

/**
 * Channels a transform_param tells: 3 with force_color, 1 with force_gray (an encoded image is decoded
 * so), else as many `mean_value`s as channels when more than one is given.
 */
function channelsFromMeans(ctx: RuleContext): number | undefined {
  const t = ctx.params.block('transform_param');
  if (t.bool('force_color', false)) return 3;
  if (t.bool('force_gray', false)) return 1;
  const means = t.numbers('mean_value');
  return means.length > 1 ? means.length : undefined;
}

function positive(n: number): number | undefined {
  return n > 0 ? n : undefined;
}

/** [batch, channels, height, width] and the label [batch], each dim unknown where the parameters do not say. */
function readerTops(batch: number | undefined, c?: number, h?: number, w?: number): RuleOutput {
  const dim = (d: number | undefined): number => d ?? UNKNOWN_DIM;
  return { tops: [[dim(batch), dim(c), dim(h), dim(w)], [dim(batch)]] };
}

/**
 * The crop size of a reader: transform_param's. A V1 layer's own block (`data_param`, ...) may hold one
 * too, which Caffe's upgrade moves into transform_param over what is there; a current layer's is never
 * read (checks/reader-transform.ts).
 */
function cropSize(ctx: RuleContext, own: string): number | undefined {
  const block = ctx.layer.format === 'v1' ? ctx.params.block(own) : undefined;
  const p = block?.has('crop_size') ? block : ctx.params.block('transform_param');
  return positive(p.number('crop_size', 0));
}

function data(ctx: RuleContext): RuleOutput {
  const batch = positive(ctx.params.block('data_param').number('batch_size', 0));
  const crop = cropSize(ctx, 'data_param');
  return readerTops(batch, channelsFromMeans(ctx), crop, crop);
}

function imageData(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block('image_data_param');
  const batch = positive(p.number('batch_size', 1));
  const crop = cropSize(ctx, 'image_data_param');
  const colour = p.bool('is_color', true) ? 3 : 1;
  const h = crop ?? positive(p.number('new_height', 0));
  const w = crop ?? positive(p.number('new_width', 0));
  return readerTops(batch, colour, h, w);
}

function windowData(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block('window_data_param');
  const batch = positive(p.number('batch_size', 0));
  const crop = cropSize(ctx, 'window_data_param');
  return readerTops(batch, 3, crop, crop);
}

/** SSD's AnnotatedData: images resized by transform_param.resize_param; the label blob depends on the data. */
function annotatedData(ctx: RuleContext): RuleOutput {
  const t = ctx.params.block('transform_param');
  const resize = t.messages('resize_param')[0];
  const batch = positive(ctx.params.block('data_param').number('batch_size', 0));
  const crop = positive(t.number('crop_size', 0));
  const h = crop ?? (resize ? positive(resize.number('height', 0)) : undefined);
  const w = crop ?? (resize ? positive(resize.number('width', 0)) : undefined);
  const out = readerTops(batch, channelsFromMeans(ctx), h, w);
  return { tops: [out.tops[0], null] };
}

/** A learned blob of the stated shape (none stated: a scalar), given out as the top. */
function parameter(ctx: RuleContext): RuleOutput {
  const shape = ctx.params.block('parameter_param').messages('shape')[0];
  const dims = shape === undefined ? [] : blobShape(shape);
  return { tops: [dims], params: count(dims) };
}

const unknownReader: ShapeRule = { needs: 0, run: () => ({ tops: [] }) };

export const DATA_RULES: Record<string, ShapeRule> = {
  Input: { needs: 0, run: input },
  DummyData: { needs: 0, run: dummyData },
  MemoryData: { needs: 0, run: memoryData },
  Data: { needs: 0, run: data },
  ImageData: { needs: 0, run: imageData },
  WindowData: { needs: 0, run: windowData },
  AnnotatedData: { needs: 0, run: annotatedData },
  Parameter: { needs: 0, run: parameter },
  // Shapes come from the files read at run time.
  HDF5Data: unknownReader,
};
