// Every shape rule by the layer type it shapes: BVLC Caffe's layers and the bundled forks' own.

import { CAFFEONSPARK_RULES } from './rules-caffeonspark';
import { CONV_RULES } from './rules-conv';
import { DATA_RULES } from './rules-data';
import { DEEPLAB_RULES } from './rules-deeplab';
import { FORK_LAYER_RULES } from './rules-fork-layers';
import { POINTWISE_RULES } from './rules-pointwise';
import { POOL_RULES } from './rules-pool';
import { PSPNET_RULES } from './rules-pspnet';
import { RECURRENT_RULES } from './rules-recurrent';
import { RFCN_RULES } from './rules-rfcn';
import { SEGNET_RULES } from './rules-segnet';
import { SSD_RULES } from './rules-ssd';
import { SYNOPSYS_RULES } from './rules-synopsys';
import { SYNOPSYS_SPACE_RULES } from './rules-synopsys-space';
import { TENSOR_RULES } from './rules-tensor';
import { TSN_RULES } from './rules-tsn';
import { V1_FORK_RULES } from './rules-v1-forks';
import { VIDEO_RULES } from './rules-video';
import type { ShapeRule } from './types';

/** The rules by layer type: a map, so that a type such as "constructor" finds no rule on a prototype. */
export const RULES: ReadonlyMap<string, ShapeRule> = new Map(
  Object.entries({
    ...DATA_RULES,
    ...CONV_RULES,
    ...POOL_RULES,
    ...TENSOR_RULES,
    ...POINTWISE_RULES,
    ...SSD_RULES,
    ...RECURRENT_RULES,
    ...RFCN_RULES,
    ...PSPNET_RULES,
    ...DEEPLAB_RULES,
    ...FORK_LAYER_RULES,
    ...SEGNET_RULES,
    ...TSN_RULES,
    ...CAFFEONSPARK_RULES,
    ...VIDEO_RULES,
    ...V1_FORK_RULES,
    ...SYNOPSYS_RULES,
    ...SYNOPSYS_SPACE_RULES,
  }),
);

/** True when shape inference has a rule for the layer type. */
export function hasShapeRule(type: string): boolean {
  return RULES.has(type);
}
