// What each learnable parameter blob of a net really learns with a given solver: its rate
// (base_lr × lr_mult) and weight decay (weight_decay × decay_mult), in Caffe's single precision, from
// the `param { }` specs written on the layer (lr_mult and decay_mult are 1 where none is written).
// The number of blobs follows BVLC Caffe's layers; a type it cannot know (Python, a fork's layer)
// lists only the blobs its specs name. Pure.

import { shortestFloat32 } from '../../../common/training/lr-schedule';
import type { NetLayer, NetModel, ParamSpecInfo } from '../analysis/model/net';
import { parameterBlobRoles } from '../analysis/shapes/param-blobs';
import { LayerParams } from '../analysis/shapes/params';
import type { Schema } from '../schema/schema';

export interface BlobRate {
  /** Which parameter blob of the layer (0: the weights for most layers). */
  index: number;
  /** Caffe's name for the blob's role, e.g. 'weights', 'bias'. */
  role: string;
  /** The `param { }` written for the blob, when there is one. */
  spec?: ParamSpecInfo;
  lrMult: number;
  decayMult: number;
  /** base_lr × lr_mult; multiply by the schedule's factor for a later iteration. */
  lr: number;
  /** weight_decay × decay_mult. */
  decay: number;
}

export interface LayerRates {
  layer: NetLayer;
  /** Every learnable blob, or (when the count is unknown) those the written specs name. */
  blobs: BlobRate[];
  /** Whether `blobs` is every parameter blob the layer has. */
  countKnown: boolean;
  /** Every blob has lr_mult 0 (BatchNorm's statistics always do). */
  frozen: boolean;
  /** Specs beyond the layer's blobs: Caffe stops with "Too many params specified for layer". */
  extraSpecs: readonly ParamSpecInfo[];
}

export interface SolverRates {
  baseLr?: number;
  weightDecay?: number;
}

/** The roles of a layer's parameter blobs in Caffe's order; undefined when the type is not known. */
export function parameterBlobs(layer: NetLayer, schema?: Schema): string[] | undefined {
  return parameterBlobRoles(layer, new LayerParams(layer, schema));
}

/** The rates of every layer that has (or declares) parameter blobs, in net order. */
export function effectiveRates(net: NetModel, solver: SolverRates, schema?: Schema): LayerRates[] {
  const out: LayerRates[] = [];
  for (const layer of net.layers) {
    const rates = layerRates(layer, solver, schema);
    if (rates.blobs.length > 0 || rates.extraSpecs.length > 0) out.push(rates);
  }
  return out;
}

export function layerRates(layer: NetLayer, solver: SolverRates, schema?: Schema): LayerRates {
  const roles = parameterBlobs(layer, schema);
  const countKnown = roles !== undefined;
  const count = roles?.length ?? layer.paramSpecs.length;
  const baseLr = Math.fround(solver.baseLr ?? 0);
  const weightDecay = Math.fround(solver.weightDecay ?? 0);
  // Caffe sets BatchNorm's statistics to lr_mult 0 itself (and stops if a spec says otherwise).
  const statistics = layer.type === 'BatchNorm';
  const blobs: BlobRate[] = [];
  for (let index = 0; index < count; index++) {
    const spec = layer.paramSpecs[index];
    const lrMult = statistics ? 0 : (spec?.lrMult ?? 1);
    const decayMult = spec?.decayMult ?? 1;
    blobs.push({
      index,
      role: roles?.[index] ?? `blob ${index}`,
      ...(spec ? { spec } : {}),
      lrMult,
      decayMult,
      lr: shortestFloat32(baseLr * Math.fround(lrMult)),
      decay: shortestFloat32(weightDecay * Math.fround(decayMult)),
    });
  }
  return {
    layer,
    blobs,
    countKnown,
    frozen: blobs.length > 0 && blobs.every((b) => b.lrMult === 0),
    extraSpecs: countKnown ? layer.paramSpecs.slice(count) : [],
  };
}
