// What the shape rules gave for the layers of one version of a document, for the next version to take
// over: a keystroke changes one layer, and every other layer whose text and bottom shapes are the same
// gets the same tops, counts and problems (moved with the layer) without its rule running again.
//
// A layer's text decides all a rule reads (its fields, parameter blocks, names; the rule is given no
// phase and no other layer), but only in a tree parsed without problems, where a block is parsed the
// same wherever it stands: results are neither kept nor looked up in a tree with syntax problems.
// The text is known to be the same without comparing it: a layer wholly before the region the edit
// changed is where it was, one wholly after it has moved by what the edit added. A result whose
// problems lie outside its layer is not kept. Only the previous version's results are consulted, so
// what is kept stays the size of one version.
//
// A layer before the edit is the very same layer object in the new version's net (buildNet takes it
// over): on bottoms of the same shapes, its whole result (tops, counts, problems) is the last version's,
// with nothing made for it (`PhaseResults`, `sameAsBefore`); its run is carried on for a later version.

import type { DocumentNode } from '../../parser/ast';
import type { Schema } from '../../schema/schema';
import { changedRegion, startBefore, type ChangedRegion } from '../../util/text-change';
import type { AnalysisDiagnostic } from '../diagnostic';
import type { NetLayer, Phase } from '../model/net';
import type { BlobShapes } from './blob-shapes';
import type { LayerShapes, RuleOutput, Shape } from './types';

/** What running a layer's rule came to (the rule not run is part of it). */
export interface RuleRun {
  /** The layer's `*_param` blocks hold a field BVLC's definitions lack. */
  forkParams: boolean;
  /** A value the rule read was no number it could use. */
  unreadable: boolean;
  out: RuleOutput;
}

interface Kept {
  bottoms: readonly (Shape | null)[];
  run: RuleRun;
  /** The problems found, their offsets from the layer's start. */
  problems: readonly AnalysisDiagnostic[];
}

/** A layer's runs: one in most nets (both phases give it the same bottoms), an array when they differ. */
type Runs = Kept | Kept[];

/**
 * One phase's inference of a version: each layer's result, and the problems reported while its turn
 * ran (`problems[starts[l], starts[l + 1])` for the `l`th layer kept in the phase).
 */
export interface PhaseResults {
  phase: Phase;
  layers: readonly LayerShapes[];
  problems: readonly AnalysisDiagnostic[];
  starts: readonly number[];
}

/** Kept for a run without problems (most of them), instead of an empty array each. */
const NO_PROBLEMS: readonly AnalysisDiagnostic[] = Object.freeze([]);

export class RuleResults {
  /** Runs by the offset their layer starts at. */
  private readonly made = new Map<number, Runs>();
  /** Each phase's inference of this version (one per phase and first layer). */
  private readonly phases: PhaseResults[] = [];
  /** The previous version's runs and inferences, and what changed since (undefined when nothing did). */
  private readonly earlier?: {
    made: ReadonlyMap<number, Runs>;
    phases: readonly PhaseResults[];
    change: ChangedRegion | undefined;
  };
  /** False when the tree has syntax problems: nothing is kept or looked up. */
  private readonly usable: boolean;

  /** `previous`: the results of the document's version before this one, when they are known. */
  constructor(
    private readonly text: string,
    ast: DocumentNode,
    readonly schema: Schema | undefined,
    previous?: RuleResults,
  ) {
    this.usable = ast.errors.length === 0;
    if (this.usable && previous?.usable && previous.schema === schema)
      this.earlier = {
        made: previous.made,
        phases: previous.phases,
        change: changedRegion(previous.text, text),
      };
  }

  /**
   * The run for `layer` with these bottoms: taken over when known, else made by `run` (which reports
   * into `problems` past their current end); either way `problems` ends with the layer's problems.
   */
  runFor(
    layer: NetLayer,
    bottoms: readonly (Shape | null)[],
    problems: AnalysisDiagnostic[],
    run: () => RuleRun,
  ): RuleRun {
    if (!this.usable) return run();
    const base = layer.node.start;
    let known = find(this.made.get(base), bottoms);
    if (known === undefined && this.earlier) {
      const was = startBefore(this.earlier.change, base, layer.node.end);
      known = was === undefined ? undefined : find(this.earlier.made.get(was), bottoms);
      if (known) this.keep(base, known);
    }
    if (known) {
      for (const p of known.problems) problems.push({ ...p, start: p.start + base, end: p.end + base });
      return known.run;
    }
    const reported = problems.length;
    const made = run();
    let found = NO_PROBLEMS;
    if (problems.length > reported) {
      const moved: AnalysisDiagnostic[] = [];
      for (let i = reported; i < problems.length; i++) {
        const p = problems[i];
        if (p.start < base || p.end > layer.node.end) return made;
        moved.push({ ...p, start: p.start - base, end: p.end - base });
      }
      found = moved;
    }
    // The bottoms array is the caller's own for this layer and phase, never changed after the rule ran.
    this.keep(base, { bottoms, run: made, problems: found });
    return made;
  }

  /** Keeps a phase's inference for the next version (the first made for its phase and first layer). */
  keepPhase(results: PhaseResults): void {
    if (!this.usable || this.phaseFor(this.phases, results.phase, results.layers[0]?.layer)) return;
    this.phases.push(results);
  }

  /** The previous version's inference of `phase` over layers that start with `first`. */
  earlierPhase(phase: Phase, first: NetLayer | undefined): PhaseResults | undefined {
    return this.earlier && first !== undefined ? this.phaseFor(this.earlier.phases, phase, first) : undefined;
  }

  private phaseFor(
    list: readonly PhaseResults[],
    phase: Phase,
    first: NetLayer | undefined,
  ): PhaseResults | undefined {
    for (const p of list) if (p.phase === phase && p.layers[0]?.layer === first) return p;
    return undefined;
  }

  /**
   * Keeps for the next version the run behind a result taken over whole from the previous one (its
   * layer did not move), as `runFor` keeps the runs it finds.
   */
  carry(layer: NetLayer, bottoms: readonly (Shape | null)[]): void {
    if (!this.usable || !this.earlier) return;
    const base = layer.node.start;
    const was = startBefore(this.earlier.change, base, layer.node.end);
    const known = was === undefined ? undefined : find(this.earlier.made.get(was), bottoms);
    if (known) this.keep(base, known);
  }

  private keep(start: number, kept: Kept): void {
    const runs = this.made.get(start);
    if (runs === undefined) this.made.set(start, kept);
    else if (Array.isArray(runs)) {
      if (!runs.includes(kept)) runs.push(kept);
    } else if (runs !== kept) this.made.set(start, [runs, kept]);
  }
}

/**
 * The previous version's result of the `l`th layer of the phase, when it was the same layer object (so
 * the same text at the same place) on bottoms of the same shapes, with its problems inside the layer
 * (added to `problems`); undefined otherwise. A rule sees nothing but the layer and its bottoms'
 * shapes, so its result would be the same. A bottom that was unknown (null) is not trusted: whether it
 * was produced at all is part of the problems. The caller leaves out the layers whose tops may be
 * stated or learned in this inference.
 */
export function sameAsBefore(
  earlier: PhaseResults,
  l: number,
  layer: NetLayer,
  blobs: BlobShapes,
  problems: AnalysisDiagnostic[],
): LayerShapes | undefined {
  const was = earlier.layers[l];
  if (was === undefined || was.layer !== layer) return undefined;
  // Tops stated (a setting, a comment) or learned by running the layer depend on more than the layer.
  if (was.topSources !== undefined || was.status === 'learned') return undefined;
  const ids = blobs.ids;
  for (let i = 0; i < layer.bottoms.length; i++) {
    const shape = was.bottoms[i];
    const now = blobs.shapes[ids.bottom(layer, i)];
    if (shape === null || now === undefined || !sameShape(now, shape)) return undefined;
  }
  const from = earlier.starts[l];
  const to = earlier.starts[l + 1];
  const { start, end } = layer.node;
  for (let p = from; p < to; p++) {
    const d = earlier.problems[p];
    if (d.start < start || d.end > end) return undefined;
  }
  for (let p = from; p < to; p++) problems.push(earlier.problems[p]);
  return was;
}

function find(runs: Runs | undefined, bottoms: readonly (Shape | null)[]): Kept | undefined {
  if (runs === undefined) return undefined;
  if (!Array.isArray(runs)) return sameShapes(runs.bottoms, bottoms) ? runs : undefined;
  for (const k of runs) if (sameShapes(k.bottoms, bottoms)) return k;
  return undefined;
}

export function sameShapes(a: readonly (Shape | null)[], b: readonly (Shape | null)[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameShape(a[i], b[i])) return false;
  return true;
}

export function sameShape(x: Shape | null, y: Shape | null): boolean {
  if (x === y) return true;
  if (x === null || y === null || x.length !== y.length) return false;
  // NaN (an unknown dim) is the same as NaN here.
  for (let d = 0; d < x.length; d++) if (!Object.is(x[d], y[d])) return false;
  return true;
}
