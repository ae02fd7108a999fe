// Shape inference as part of validation: the problems inferShapes finds in each phase (Concat or
// Eltwise inputs that disagree, a kernel larger than its padded input, a Reshape whose counts do not
// match...) become diagnostics, once per range. Also the per-analysis shape cache editor features share.
//
//   inferNetShapes(net, schema)  -> the ShapeResult of every phase worth inferring
//   checkShapes                  -> the Check added to analyze()'s CHECKS
//   new ShapeCache(store).shapesOf(analysis, schema) -> inferNetShapes of the analysis's net, computed
//                                once per analysis and per generation of the Python tops learned for it

import type { Schema } from '../schema/schema';
import type { Analysis } from './analyze';
import { checkBlobs } from './checks/blobs';
import type { Check, CheckContext } from './checks/context';
import type { EngineDiagnostic } from './diagnostic';
import { layersInPhase, sameLayers, type NetLayer, type NetModel, type Phase } from './model/net';
import { inferLayerShapes, type InferOptions, type PythonTopsLookup } from './shapes/infer';
import type { ShapeResult } from './shapes';

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
  for (const phase of phases) {
    const layers = layersInPhase(net, phase);
    if (!hasSource(net, layers)) continue;
    // Most deploy nets keep the same layers in both phases: the second inference would repeat the first.
    // Not with learned Python tops: they are learned per phase.
    const other = phase === 'TEST' && !infer.pythonTops ? out.TRAIN : undefined;
    out[phase] =
      other && trainLayers && sameLayers(trainLayers, layers)
        ? { ...other, phase }
        : inferLayerShapes(net, layers, phase, schema, infer);
    if (phase === 'TRAIN') trainLayers = layers;
  }
  return out;
}

/** A net input with a shape, or a layer kept in the phase that makes tops from no bottoms. */
function hasSource(net: NetModel, layers: readonly NetLayer[]): boolean {
  if (net.inputs.some((i) => i.shape !== null)) return true;
  return layers.some((l) => l.bottoms.length === 0 && l.tops.length > 0);
}

export const checkShapes: Check = (ctx) => {
  if (ctx.nets.length === 0) return;
  // Only asked for when a phase has an unknown bottom (rare): it runs the blob check again.
  let undefinedBottoms: Set<number> | undefined;
  const bottoms = () => (undefinedBottoms ??= reportedUndefinedBottoms(ctx));
  for (const net of ctx.nets) {
    for (const d of shapeDiagnostics(inferNetShapes(net, ctx.schema), bottoms)) ctx.report(d);
  }
};

/**
 * The problems of every inferred phase, one per (code, range): a problem found in both phases with
 * the same words is reported once; one found in a single phase of a two-phase net, or worded
 * differently per phase (shapes with different batch sizes), says which phase. `shape-unknown-bottom`
 * is left out where validation reports the same bottom as undefined.
 */
export function shapeDiagnostics(
  shapes: NetShapes,
  undefinedBottoms: ReadonlySet<number> | (() => ReadonlySet<number>) = new Set(),
): EngineDiagnostic[] {
  const isUndefined = (start: number) =>
    (typeof undefinedBottoms === 'function' ? undefinedBottoms() : undefinedBottoms).has(start);
  const phases = PHASES.filter((p) => shapes[p] !== undefined);
  const byKey = new Map<string, { first: EngineDiagnostic; messages: Map<Phase, string> }>();
  for (const phase of phases) {
    for (const d of shapes[phase]?.problems ?? []) {
      if (d.code === 'shape-unknown-bottom' && isUndefined(d.start)) continue;
      const key = `${d.code}\u0000${d.start}\u0000${d.end}`;
      let entry = byKey.get(key);
      if (!entry) byKey.set(key, (entry = { first: d, messages: new Map() }));
      if (!entry.messages.has(phase)) entry.messages.set(phase, d.message);
    }
  }
  const out: EngineDiagnostic[] = [];
  for (const { first, messages } of byKey.values()) {
    out.push({ ...first, message: phasedMessage(messages, phases.length) });
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

/** Start offsets of the bottoms the blob check reports as undefined (it runs again, reporting nowhere). */
function reportedUndefinedBottoms(ctx: CheckContext): Set<number> {
  const starts = new Set<number>();
  checkBlobs({
    ...ctx,
    report: (d) => {
      if (d.code === 'undefined-bottom') starts.add(d.start);
    },
  });
  return starts;
}

/** The Python layer tops learned per document (a `PythonShapeStore`), as the cache reads them. */
export interface LearnedTopsSource {
  /** Changes whenever something is learned for the document. */
  generation(uri: string): number;
  lookupFor(uri: string): PythonTopsLookup | undefined;
}

/**
 * Shape inference per analysis. An Analysis belongs to one document version (and one settings
 * generation), so a WeakMap keyed by it frees itself with the analysis; the generation of the Python
 * tops learned for its document (when the cache was given a source and knows the analysis's document,
 * see `track`) says whether a cached result is still current. One instance per server, created in
 * server.ts and handed to the features that show shapes.
 */
export class ShapeCache {
  private readonly results = new WeakMap<Analysis, { generation: number; shapes: NetShapes }>();
  private readonly owners = new WeakMap<Analysis, string>();

  constructor(private readonly learned?: LearnedTopsSource) {}

  /** Notes which document an analysis belongs to (so its learned Python tops apply); returns it. */
  track<T extends { analysis: Analysis }>(uri: string, analyzed: T | undefined): T | undefined {
    if (analyzed) this.owners.set(analyzed.analysis, uri);
    return analyzed;
  }

  /** The shapes of the analysis's net (empty for solvers and label maps). */
  shapesOf(analysis: Analysis, schema?: Schema, uri = this.owners.get(analysis)): NetShapes {
    const generation = uri !== undefined && this.learned ? this.learned.generation(uri) : 0;
    const hit = this.results.get(analysis);
    if (hit !== undefined && hit.generation === generation) return hit.shapes;
    const pythonTops = uri !== undefined ? this.learned?.lookupFor(uri) : undefined;
    const shapes = analysis.net ? inferNetShapes(analysis.net, schema, pythonTops ? { pythonTops } : {}) : {};
    this.results.set(analysis, { generation, shapes });
    return shapes;
  }
}
