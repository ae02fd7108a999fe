// The layer CaffeOnSpark adds (yahoo/CaffeOnSpark caffe-distri): CoSData, whose tops its Spark
// executors fill. Its LayerSetUp shapes each top from the matching `top` entry of cos_data_param,
// with its CHECKs reported in Caffe's words.

import { NO_OUTPUT, type RuleContext, type RuleOutput, type Shape, type ShapeRule } from './types';

const BLOCK = 'cos_data_param';
/** The axes a sample may have (CHECK_LE(sample_num_axes, 3)). */
const MAX_SAMPLE_AXES = 3;

/**
 * Each top is batch_size × channels × height × width cut to the sample's axes plus the batch axis, or
 * channels × batch_size when transposed (then a sample must have one axis); out_channels, out_height
 * and out_width, when set, are the sizes after the entry's transform.
 */
function cosData(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block(BLOCK);
  const entries = p.messages('top');
  const tops = ctx.layer.tops.length;
  if (entries.length !== tops) {
    ctx.report(
      `CoSData has ${tops} top${tops === 1 ? '' : 's'} and cos_data_param ${entries.length} top entr${entries.length === 1 ? 'y' : 'ies'}; Caffe stops ("number of tops in this layer should be equal to number of tops in CoSDataParameter")`,
      BLOCK,
    );
    return NO_OUTPUT;
  }
  const batch = p.number('batch_size', 0);
  const shapes: Shape[] = [];
  for (const entry of entries) {
    const axes = entry.number('sample_num_axes', MAX_SAMPLE_AXES);
    if (axes > MAX_SAMPLE_AXES) {
      ctx.report(
        `CoSData: sample_num_axes ${axes} is above ${MAX_SAMPLE_AXES}; Caffe stops ("sample number of axes should be less or equal to 3")`,
        entry.span('sample_num_axes') ?? BLOCK,
      );
      return NO_OUTPUT;
    }
    const sized = (out: string, given: string) => {
      const after = entry.number(out, 0);
      return after === 0 ? entry.number(given, 0) : after;
    };
    const channels = sized('out_channels', 'channels');
    if (entry.bool('transpose', false)) {
      if (axes !== 1) {
        ctx.report(
          `CoSData: a transposed top needs sample_num_axes 1, this entry has ${axes}; Caffe stops ("each sample must be a 1d-vector if transpose is used")`,
          entry.span('transpose') ?? BLOCK,
        );
        return NO_OUTPUT;
      }
      shapes.push([channels, batch]);
      continue;
    }
    shapes.push(
      [batch, channels, sized('out_height', 'height'), sized('out_width', 'width')].slice(0, axes + 1),
    );
  }
  return { tops: shapes };
}

export const CAFFEONSPARK_RULES: Record<string, ShapeRule> = {
  CoSData: { needs: 0, run: cosData },
};
