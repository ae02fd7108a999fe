// Rules for the layers Temporal Segment Networks' Caffe adds (yjxiong/caffe, branch action_recog):
// its VideoData, which reads num_segments snippets of each video and stacks their frames along the
// channels, and BatchReduction, which pools a blob along one axis, whole or by pyramid levels. Each
// follows that fork's DataLayerSetUp or Reshape; CHECKs are reported in Caffe's words, and only on
// dimensions that are known. Its BN is with the other forks' BN in rules-pointwise.ts.

import { canonicalAxis, formatShape, UNKNOWN_DIM } from './arith';
import { NO_OUTPUT, type RuleContext, type RuleOutput, type Shape, type ShapeRule } from './types';

/**
 * TSN's VideoData: batch × C × crop × crop (or the new size, or the frames' own size, unknown), where
 * C stacks, for each of num_segments snippets, new_length frames of 3 colours (1 in grayscale) or
 * new_length optical-flow pairs (x and y); the label is batch × 1 × 1 × 1.
 */
function videoData(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block('video_data_param');
  const positive = (n: number): number => (n > 0 ? n : UNKNOWN_DIM);
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
 * TSN's BatchReduction: the axes before `axis`, then one entry per level (none when the only level is
 * 1, a reduction of the whole axis), then the axes after it (after the next one too in `pos` mode).
 */
function batchReduction(ctx: RuleContext): RuleOutput {
  const b = ctx.bottoms[0] as Shape;
  const p = ctx.params.block('batch_reduction_param');
  const axisValue = p.messages('reduction_param')[0]?.number('axis', 0) ?? 0;
  const axis = canonicalAxis(axisValue, b.length);
  if (axis === undefined) {
    ctx.report(
      `BatchReduction: axis ${axisValue} is out of range for the ${b.length}-axis bottom ${formatShape(b)}; Caffe stops (CanonicalAxisIndex)`,
      'batch_reduction_param',
    );
    return NO_OUTPUT;
  }
  const levels = p.numbers('level');
  const all = levels.length === 0 ? [1] : levels;
  const pos = p.bool('pos', false);
  if (all.length > 1 && pos) {
    ctx.report(
      'BatchReduction: pos needs a single level; Caffe stops ("Cannot do pos-sensitive reduction when level is more than 1")',
      p.span('pos') ?? 'batch_reduction_param',
    );
    return NO_OUTPUT;
  }
  const top: number[] = b.slice(0, axis);
  if (all.length !== 1 || all[0] !== 1) {
    top.push(all.length);
    // Level l takes l² entries of the axis; together they must cover it.
    const covered = all.reduce((sum, l) => sum + l * l, 0);
    const size = b[axis];
    if (!Number.isNaN(size) && covered !== size) {
      ctx.report(
        `BatchReduction: the levels ${all.join(', ')} take ${covered} entries of axis ${axis}, the bottom ${formatShape(b)} has ${size}; Caffe stops (a CHECK_EQ on the reduced dimension)`,
        p.span('level') ?? 'batch_reduction_param',
      );
      return NO_OUTPUT;
    }
  }
  if (pos && b.length - 2 < axis) {
    ctx.report(
      `BatchReduction: pos reduces axes ${axis} and ${axis + 1}, the bottom ${formatShape(b)} has ${b.length}; Caffe stops ("In pos mode, there are two axis reduced")`,
      p.span('pos') ?? 'batch_reduction_param',
    );
    return NO_OUTPUT;
  }
  top.push(...b.slice(axis + (pos ? 2 : 1)));
  return { tops: [top] };
}

/** Whether a VideoData layer is TSN's (segments of a video list) and not SSD's webcam or file reader. */
function isTsnVideoData(ctx: RuleContext): boolean {
  if (ctx.params.schemaDefines('caffe.VideoDataParameter', 'num_segments')) return true;
  if (ctx.params.schemaDefines('caffe.VideoDataParameter', 'video_type')) return false;
  const p = ctx.params.block('video_data_param');
  return p.has('source') || p.has('num_segments') || p.has('new_length');
}

export const TSN_RULES: Record<string, ShapeRule> = {
  // SSD's VideoData (a webcam or a video file): its tops stay unknown, as for a type without a rule.
  VideoData: { needs: 0, run: (ctx) => (isTsnVideoData(ctx) ? videoData(ctx) : NO_OUTPUT) },
  BatchReduction: { needs: 1, run: batchReduction },
};
