// SSD's DetectionOutput, as weiliu89/caffe's detection_output_layer.cpp sets it up: the location and
// confidence predictions must hold four coordinates (per location class) and one score per class for
// each prior box the PriorBox layers made, and the top is one row of seven values per detection kept,
// a number known only once the net has run (Caffe makes it 1 until then). Other Caffes' versions
// (Synopsys Caffe's separate inputs or TFLite-style output) are left unknown.

import { formatShape, knownToDiffer } from './arith';
import { NO_OUTPUT, type RuleContext, type RuleOutput, type Shape, type ShapeRule } from './types';

/** The fields of SSD's DetectionOutputParameter: a block that writes another is another Caffe's. */
const SSD_FIELDS: ReadonlySet<string> = new Set([
  'num_classes',
  'share_location',
  'background_label_id',
  'nms_param',
  'save_output_param',
  'code_type',
  'variance_encoded_in_target',
  'keep_top_k',
  'confidence_threshold',
  'visualize',
  'visualize_threshold',
  'save_file',
]);

/** A blob's legacy num(), channels() or height(): its axis, or 1 past its last. */
function legacy(shape: Shape, axis: number): number {
  return axis < shape.length ? shape[axis] : 1;
}

function detectionOutput(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block('detection_output_param');
  const [loc, conf, prior] = ctx.bottoms as Shape[];
  if (ctx.bottoms.length > 4 || !p.writesOnly(SSD_FIELDS) || [loc, conf, prior].some((b) => b.length > 4))
    return NO_OUTPUT;
  const stop = (what: string, words: string, at?: string | { start: number; end: number }) => {
    ctx.report(`DetectionOutput: ${what}; Caffe stops ("${words}")`, at);
    return NO_OUTPUT;
  };
  if (!p.has('num_classes'))
    return stop('num_classes is not given', 'Must specify num_classes', 'detection_output_param');
  const classes = p.number('num_classes', 0);
  const nms = p.messages('nms_param')[0];
  const threshold = nms?.number('nms_threshold', 0.3) ?? 0.3;
  if (threshold < 0)
    return stop(
      `nms_threshold ${threshold} is negative`,
      'nms_threshold must be non negative.',
      nms?.span('nms_threshold'),
    );
  const locClasses = p.bool('share_location', true) ? 1 : classes;
  if (knownToDiffer(legacy(loc, 0), legacy(conf, 0)))
    return stop(
      `the location predictions ${formatShape(loc)} and the confidence predictions ${formatShape(conf)} are of different batches`,
      'Check failed: bottom[0]->num() == bottom[1]->num()',
      ctx.layer.bottoms[1]?.span,
    );
  const priors = Math.trunc(legacy(prior, 2) / 4);
  const wantLoc = priors * locClasses * 4;
  if (Number.isFinite(wantLoc) && Number.isFinite(legacy(loc, 1)) && wantLoc !== legacy(loc, 1))
    return stop(
      `${priors} prior boxes (${formatShape(prior)}) need ${wantLoc} location predictions per image` +
        `${locClasses > 1 ? ` (${locClasses} classes, share_location false)` : ''}, ${formatShape(loc)} holds ${legacy(loc, 1)}`,
      'Number of priors must match number of location predictions.',
      ctx.layer.bottoms[0]?.span,
    );
  const wantConf = priors * classes;
  if (Number.isFinite(wantConf) && Number.isFinite(legacy(conf, 1)) && wantConf !== legacy(conf, 1))
    return stop(
      `${priors} prior boxes × num_classes ${classes} need ${wantConf} confidence scores per image, ` +
        `${formatShape(conf)} holds ${legacy(conf, 1)} (num_classes counts the classes the confidence layers ` +
        'predict, background included)',
      'Number of priors must match number of confidence predictions.',
      p.span('num_classes') ?? ctx.layer.bottoms[1]?.span,
    );
  // One row [image_id, label, confidence, xmin, ymin, xmax, ymax] per detection kept.
  return { tops: [[1, 1, NaN, 7]], params: 0, macs: 0 };
}

export const SSD_RULES: Record<string, ShapeRule> = {
  DetectionOutput: { needs: 3, run: detectionOutput },
};
