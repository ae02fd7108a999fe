// The problems of a net built in one exact state (phase, level, stages): its blob graph and its
// shapes, as Caffe would meet them when a solver builds it so. The checks look at TRAIN and TEST and
// at each stage alone; a solver may build a net with several stages or at a level, which only this
// evaluation sees. Pure.

import type { Schema } from '../schema/schema';
import { blobProblemsIn } from './checks/blobs';
import type { AnalysisDiagnostic } from './diagnostic';
import { type NetModel } from './model/net';
import { layersInPhase, sameLayers } from './model/net-filter';
import { layersInState, type NetState } from './model/net-state';
import { inferLayerShapes, type InferOptions } from './shapes/infer';
import type { NetShapes } from './shapes/net-shapes';

export interface StateProblemsInput {
  net: NetModel;
  schema?: Schema;
  /** The shapes already inferred per phase (with the file's own state): reused when the layers agree. */
  shapes?: NetShapes;
  infer?: InferOptions;
}

/**
 * Every problem of the net in `state`: bottoms and tops (checks/blobs.ts) and shape errors (a shape
 * the layer cannot take). Undefined when nothing makes data in that state: it is not checked.
 */
export function netProblemsIn(input: StateProblemsInput, state: NetState): AnalysisDiagnostic[] | undefined {
  const { net } = input;
  const blobs = blobProblemsIn(net, state);
  if (!blobs) return undefined;
  const layers = layersInState(net, state);
  const known = input.shapes?.[state.phase];
  const shapes =
    known && sameLayers(layersInPhase(net, state.phase), layers)
      ? known
      : inferLayerShapes(net, layers, state.phase, input.schema, input.infer);
  const undefinedBottoms = new Set(blobs.filter((d) => d.code === 'undefined-bottom').map((d) => d.start));
  const shapeProblems = shapes.problems.filter(
    (d) => !(d.code === 'shape-unknown-bottom' && undefinedBottoms.has(d.start)),
  );
  return [...blobs, ...shapeProblems];
}

/** The place and kind of a problem: the same problem found in two states has the same key. */
export function problemKey(d: AnalysisDiagnostic): string {
  return `${d.code}\u0000${d.start}\u0000${d.end}`;
}
