// The shapes of a whole net: shape inference in every phase Caffe can build the net in, and the
// problems it finds there as diagnostics, once per range (a problem of one phase says which).
//
//   inferNetShapes(net, schema)      -> the ShapeResult of every phase worth inferring
//   shapeDiagnostics(shapes, bottoms) -> the problems of those phases, merged across phases

import type { Schema } from '../../schema/schema';
import type { AnalysisDiagnostic } from '../diagnostic';
import { type NetLayer, type NetModel, type Phase } from '../model/net';
import { layersInPhase, sameLayers } from '../model/net-filter';
import { inferLayerShapes, type InferOptions } from './infer';
import { PhaseRuns } from './phase-runs';
import type { ShapeResult } from './types';

/** The shapes of one net: one result per phase Caffe can build it in (absent phases are not inferred). */
export interface NetShapes {
  TRAIN?: ShapeResult;
  TEST?: ShapeResult;
}

export const PHASES: readonly Phase[] = ['TRAIN', 'TEST'];

/**
 * Infers the phases of a net worth inferring: the file's own `state { phase }` if it sets one, else
 * both, leaving out a phase in which nothing makes data (a train-only file read in TEST), where every
 * shape would be unknown and every bottom would be reported. `infer.pythonTops` gives the learned tops of
 * Python layers (which may differ per phase).
 */
export function inferNetShapes(net: NetModel, schema?: Schema, infer: InferOptions = {}): NetShapes {
  const out: NetShapes = {};
  const phases = net.state.phase ? [net.state.phase] : PHASES;
  let trainLayers: readonly NetLayer[] | undefined;
  // A layer both phases keep with the same bottoms runs its rule once (phase-runs.ts).
  const each =
    phases.length > 1 && !infer.rules ? { ...infer, runs: new PhaseRuns(net.layers.length) } : infer;
  for (const phase of phases) {
    const layers = layersInPhase(net, phase);
    if (!hasSource(net, layers)) continue;
    // Most deploy nets keep the same layers in both phases: the second inference would repeat the first.
    // Not with learned Python tops: they are learned per phase.
    const other = phase === 'TEST' && !infer.pythonTops ? out.TRAIN : undefined;
    out[phase] =
      other && trainLayers && sameLayers(trainLayers, layers)
        ? { ...other, phase, problems: withoutTraining(other.problems, net.forceBackward === true) }
        : inferLayerShapes(net, layers, phase, schema, each);
    if (phase === 'TRAIN') trainLayers = layers;
  }
  return out;
}

/**
 * TRAIN's problems as TEST's: without those of training's forward pass (dropout.ts) and, unless the
 * net forces a backward pass in every phase, of its backward pass (backward.ts).
 */
function withoutTraining(problems: AnalysisDiagnostic[], forceBackward: boolean): AnalysisDiagnostic[] {
  const trainingOnly = (p: AnalysisDiagnostic) =>
    p.code === 'train-forward' || (!forceBackward && p.code === 'backward-refused');
  return problems.some(trainingOnly) ? problems.filter((p) => !trainingOnly(p)) : problems;
}

/** A net input with a shape, or a layer kept in the phase that makes tops from no bottoms. */
function hasSource(net: NetModel, layers: readonly NetLayer[]): boolean {
  if (net.inputs.some((i) => i.shape !== null)) return true;
  return layers.some((l) => l.bottoms.length === 0 && l.tops.length > 0);
}

/**
 * The problems of every inferred phase, one per (code, range): a problem found in both phases with
 * the same words is reported once; one found in a single phase of a two-phase net, or worded
 * differently per phase (shapes with different batch sizes), says which phase. `shape-unknown-bottom`
 * is left out where validation reports the same bottom as undefined.
 */
export function shapeDiagnostics(
  shapes: NetShapes,
  undefinedBottoms: ReadonlySet<number> | (() => ReadonlySet<number>) = new Set(),
): AnalysisDiagnostic[] {
  const isUndefined = (start: number) =>
    (typeof undefinedBottoms === 'function' ? undefinedBottoms() : undefinedBottoms).has(start);
  const phases = PHASES.filter((p) => shapes[p] !== undefined);
  const byKey = new Map<string, { first: AnalysisDiagnostic; messages: Map<Phase, string> }>();
  for (const phase of phases) {
    for (const d of shapes[phase]?.problems ?? []) {
      if (d.code === 'shape-unknown-bottom' && isUndefined(d.start)) continue;
      const key = `${d.code}\u0000${d.start}\u0000${d.end}`;
      let entry = byKey.get(key);
      if (!entry) byKey.set(key, (entry = { first: d, messages: new Map() }));
      if (!entry.messages.has(phase)) entry.messages.set(phase, d.message);
    }
  }
  const out: AnalysisDiagnostic[] = [];
  for (const { first, messages } of byKey.values()) {
    const found = phases.filter((p) => messages.has(p));
    out.push({
      ...first,
      message: phasedMessage(messages, phases.length),
      phases: { found, checked: phases },
    });
  }
  return out;
}

function phasedMessage(messages: ReadonlyMap<Phase, string>, inferredPhases: number): string {
  const distinct = new Set(messages.values());
  const [[phase, message]] = [...messages];
  if (distinct.size === 1 && messages.size === inferredPhases) return message;
  if (distinct.size === 1) return `${message} (in the ${phase} phase)`;
  return [...messages].map(([p, m]) => `${p}: ${m}`).join('; ');
}
