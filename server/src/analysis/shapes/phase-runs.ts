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
import { SHAPE_KEEPING } from './rules-pointwise';
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
   * `resultFor` on the bottoms' shapes as `blobs` holds them now, without a list of them, or else
   * `resultOnOtherBatch`: undefined when neither applies, and when a bottom is not produced yet (the
   * caller reports it, then asks `resultFor`).
   */
  resultOn(layer: NetLayer, blobs: BlobShapes, problems: AnalysisDiagnostic[]): LayerShapes | undefined {
    const first = this.results[layer.index];
    if (first === undefined || first.layer !== layer) return undefined;
    const was = first.bottoms;
    const ids = blobs.ids;
    for (let i = 0; i < was.length; i++) {
      const shape = blobs.shapes[ids.bottom(layer, i)];
      if (shape === undefined) return undefined;
      if (!sameShape(was[i], shape)) return this.resultOnOtherBatch(layer, blobs);
    }
    const found = this.resultProblems.get(layer.index);
    if (found) for (const p of found) problems.push(p);
    return first;
  }

  /**
   * The first phase's result of `layer` for bottoms that differ from its own in their batch alone (a
   * train_val net whose TEST batch is smaller than TRAIN's), with the batch of its tops changed the same
   * way and its multiply-accumulates scaled; undefined when that would not be the rule's own answer.
   * Only for types whose rule passes the first axis through untouched (BATCH_FREE), never told an axis,
   * whose first run found no problem; with a batch no larger than the first's, so no top can grow past
   * Caffe's size limit; every bottom and top of the first run had the same batch, and every bottom now
   * has the same new one (a bottom whose first axis is not the batch, as a Scale layer's [C], keeps it).
   */
  private resultOnOtherBatch(layer: NetLayer, blobs: BlobShapes): LayerShapes | undefined {
    const i = layer.index;
    const first = this.results[i];
    if (first === undefined || first.layer !== layer || this.resultProblems.has(i)) return undefined;
    if (first.status !== 'rule' || !BATCH_FREE.has(layer.type) || layer.format !== 'v2') return undefined;
    if (first.automaticTops.length > 0 || first.topSources !== undefined || first.bottoms.length === 0)
      return undefined;
    const was = first.bottoms;
    const ids = blobs.ids;
    const batch = was[0]?.[0];
    const now = blobs.shapes[ids.bottom(layer, 0)]?.[0];
    if (batch === undefined || now === undefined || !(now < batch) || !(now >= 1)) return undefined;
    const bottoms: Shape[] = new Array<Shape>(was.length);
    for (let b = 0; b < was.length; b++) {
      const before = was[b];
      const shape = blobs.shapes[ids.bottom(layer, b)];
      if (!before || !shape || !otherBatch(before, shape, batch, now)) return undefined;
      bottoms[b] = shape;
    }
    const tops: (Shape | null)[] = new Array<Shape | null>(first.tops.length);
    for (let t = 0; t < tops.length; t++) {
      const top = first.tops[t];
      if (!top || top.length === 0 || top[0] !== batch) return undefined;
      // A top that was a bottom itself (in place, or passed on) is that bottom now: the same array as
      // `blobs` holds, so the caller's setTops sees the layer work in place.
      const same = was.indexOf(top);
      tops[t] = same >= 0 ? bottoms[same] : [now, ...top.slice(1)];
    }
    if (hasAxisSetting(layer)) return undefined;
    const macs = first.macs;
    if (macs !== null && macs % batch !== 0) return undefined;
    return { ...first, bottoms, tops, macs: macs === null ? null : (macs / batch) * now };
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

/**
 * Layer types whose rule makes each top's first axis the bottoms' (their common batch) and reads nothing
 * else of it, with what it counts per sample times the batch: the types whose top has their bottom's
 * shape, convolutions, pooling, Eltwise, Split, and Concat and InnerProduct along their default axis 1.
 * Any axis written in their parameters leaves them out (see hasAxisSetting).
 */
const BATCH_FREE: ReadonlySet<string> = new Set([
  ...SHAPE_KEEPING,
  'Convolution',
  'Deconvolution',
  'Pooling',
  'Eltwise',
  'Split',
  'Concat',
  'InnerProduct',
]);

/** `now` is `before` with batch `batch` changed to `other`: the same rank and the same other axes. */
function otherBatch(before: Shape, now: Shape, batch: number, other: number): boolean {
  if (before.length !== now.length || before.length === 0 || before[0] !== batch || now[0] !== other)
    return false;
  for (let a = 1; a < before.length; a++) if (before[a] !== now[a]) return false;
  return true;
}

/** Whether any of the layer's parameter blocks names an axis (`axis`, Concat's legacy `concat_dim`). */
function hasAxisSetting(layer: NetLayer): boolean {
  // Asked of every layer a second phase takes over: plain loops, no closure per layer.
  if (layer.paramBlocks.size === 0) return false;
  for (const block of layer.paramBlocks.values()) {
    const fields = block.fields;
    for (let i = 0; i < fields.length; i++) {
      const name = fields[i].name;
      if (name === 'axis' || name === 'concat_dim') return true;
    }
  }
  return false;
}
