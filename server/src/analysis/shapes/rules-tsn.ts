// Rules for the layers Temporal Segment Networks' Caffe adds (yjxiong/caffe, branch action_recog):
// BatchReduction, which pools a blob along one axis, whole or by pyramid levels, as its Reshape does;
// CHECKs are reported in Caffe's words, and only on dimensions that are known. Its VideoData is in
// rules-video.ts, its BN with the other forks' BN in rules-pointwise.ts.

import { canonicalAxis, formatShape } from './arith';
import { NO_OUTPUT, type RuleContext, type RuleOutput, type Shape, type ShapeRule } from './types';

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

export const TSN_RULES: Record<string, ShapeRule> = {
  BatchReduction: { needs: 1, run: batchReduction },
};
