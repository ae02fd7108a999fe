// The rule runs of a net's first inferred phase, for its second phase to take over: a rule is given
// no phase (only the layer, its parameters and its bottoms' shapes), so a layer the second phase also
// keeps, with bottoms of the same shapes (a train_val net whose phases share their batch size), gets
// the same run and the same problems without its rule running again. What the editor keeps from one
// version to the next (rule-results.ts) does this too; this is the light form for one analysis:
// slots by layer index, no map and no object per layer, dropped with the inference.

import type { AnalysisDiagnostic } from '../diagnostic';
import type { NetLayer } from '../model/net';
import type { BlobShapes } from './blob-shapes';
import { sameShape, sameShapes, type RuleRun } from './rule-results';
import type { LayerShapes, Shape } from './types';

export class PhaseRuns {
  /** The first run of each layer, and the bottoms it ran on, by layer index. */
  private readonly runs: (RuleRun | undefined)[];
  private readonly bottoms: (readonly (Shape | null)[] | undefined)[];
  /** The problems a first run reported, for the few layers that have any. */
  private readonly problems = new Map<number, readonly AnalysisDiagnostic[]>();
  /** The first phase's whole result of each layer, and the problems found past its bottoms. */
  private readonly results: (LayerShapes | undefined)[];
  private readonly resultProblems = new Map<number, readonly AnalysisDiagnostic[]>();

  constructor(layerCount: number) {
    this.runs = new Array<RuleRun | undefined>(layerCount);
    this.bottoms = new Array<readonly (Shape | null)[] | undefined>(layerCount);
    this.results = new Array<LayerShapes | undefined>(layerCount);
  }

  /**
   * Keeps the first phase's result of a layer, with `problems[from, end)`: what was reported for it
   * once its bottoms were looked up. Only for a result that depends on nothing but the layer and its
   * bottoms' shapes (not one with stated or learned tops).
   */
  keepResult(result: LayerShapes, problems: readonly AnalysisDiagnostic[], from: number): void {
    const i = result.layer.index;
    if (this.results[i] !== undefined) return;
    this.results[i] = result;
    if (problems.length > from) this.resultProblems.set(i, problems.slice(from));
  }

  /**
   * The first phase's result of `layer` when it had bottoms of the same shapes (its problems are then
   * added to `problems`); undefined otherwise. Whether its params are shared is the caller's to check:
   * that depends on the layers before it in the phase.
   */
  resultFor(
    layer: NetLayer,
    bottoms: readonly (Shape | null)[],
    problems: AnalysisDiagnostic[],
  ): LayerShapes | undefined {
    const first = this.results[layer.index];
    if (first === undefined || first.layer !== layer || !sameShapes(first.bottoms, bottoms)) return undefined;
    const found = this.resultProblems.get(layer.index);
    if (found) for (const p of found) problems.push(p);
    return first;
  }

  /**
   * `resultFor` on the bottoms' shapes as `blobs` holds them now, without a list of them: undefined
   * too when a bottom is not produced yet (the caller reports it, then asks `resultFor`).
   */
  resultOn(layer: NetLayer, blobs: BlobShapes, problems: AnalysisDiagnostic[]): LayerShapes | undefined {
    const first = this.results[layer.index];
    if (first === undefined || first.layer !== layer) return undefined;
    const was = first.bottoms;
    const ids = blobs.ids;
    for (let i = 0; i < was.length; i++) {
      const shape = blobs.shapes[ids.bottom(layer, i)];
      if (shape === undefined || !sameShape(was[i], shape)) return undefined;
    }
    const found = this.resultProblems.get(layer.index);
    if (found) for (const p of found) problems.push(p);
    return first;
  }

  /**
   * The run for `layer` with these bottoms: the first run's when it had the same bottoms, else made
   * by `run` (which reports into `problems`; told whether the first run found parameters BVLC lacks,
   * which depends on the layer alone); either way `problems` ends with the layer's problems.
   */
  runFor(
    layer: NetLayer,
    bottoms: readonly (Shape | null)[],
    problems: AnalysisDiagnostic[],
    run: (forkParams?: boolean) => RuleRun,
  ): RuleRun {
    const i = layer.index;
    const first = this.runs[i];
    if (first !== undefined) {
      const firstBottoms = this.bottoms[i];
      if (firstBottoms !== undefined && sameShapes(firstBottoms, bottoms)) {
        const found = this.problems.get(i);
        if (found) for (const p of found) problems.push(p);
        return first;
      }
      return run(first.forkParams);
    }
    const reported = problems.length;
    const made = run();
    this.runs[i] = made;
    // The bottoms array is the caller's own for this layer and phase, never changed after the rule ran.
    this.bottoms[i] = bottoms;
    if (problems.length > reported) this.problems.set(i, problems.slice(reported));
    return made;
  }
}
