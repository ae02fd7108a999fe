// Static shape inference: walks the layers of one phase in order, applying Caffe's arithmetic for each
// layer type to the shapes of its bottoms. An unknown type (or a Python layer) makes its tops unknown and
// inference goes on, unless the caller learned a Python layer's tops by running its reshape for exactly
// these bottom shapes (`InferOptions.pythonTops`). Rules also run on partly known bottoms (a dim is NaN
// where nothing tells it, see arith.ts) and give what they can tell: `64×20×?×?` after a data layer whose
// image size is read from its files; a count that depends on an unknown dim is null. Problems are
// reported as diagnostics with offsets.

import type { Span } from '../../parser/ast';
import type { Schema } from '../../schema/schema';
import type { AnalysisDiagnostic, Severity } from '../diagnostic';
import { type NetLayer, type NetModel, type Phase } from '../model/net';
import { layersInPhase, type NetStateOptions } from '../model/net-filter';
import { formatShape, isComplete, isKnownDim } from './arith';
import { blobIds } from '../model/blob-ids';
import { automaticTops } from './automatic-tops';
import { BlobShapes } from './blob-shapes';
import { mergeStated, type StatedShapes } from './input-shapes';
import { applyStated } from './stated-tops';
import { LayerParams } from './params';
import { hasValuelessBottom, nonBvlcParam, UnreadableParam } from './readable-params';
import { afterSetupProblem, setupProblem } from './layer-setup';
import { weightsClearedBySplit, writesLossWeight } from './per-blob-settings';
import { negativeInput } from './negative-input';
import { rewrittenLayers, underAssumedSizes, underChangedSources } from './changed-sources';
import { sharesParams } from './shared-params';
import { phaseProblems } from './phase-problems';
import { SHAPE_KEEPING } from './rules-pointwise';
import { RULES } from './rule-table';
import { firstOversizedWindow } from './oversized-windows';
import { oversizedParams, TopSizes } from './blob-limit';
import type { PhaseRuns } from './phase-runs';
import { TwinLayers } from './twin-layers';
import { sameAsBefore, type RuleResults, type RuleRun } from './rule-results';
import type { LayerShapes, RuleContext, RuleOutput, Shape, ShapeResult, ShapeRule } from './types';
import { NO_OUTPUT } from './types';

/** Top shapes of a Python layer learned by running it, and its learnable parameter count when known. */
export interface LearnedTops {
  tops: Shape[];
  params?: number;
}

/**
 * What is known of a Python layer's tops for these (all known) bottom shapes in `phase`; undefined
 * when its reshape was not run for exactly them.
 */
export type PythonTopsLookup = (
  layer: NetLayer,
  bottoms: readonly Shape[],
  phase: Phase,
) => LearnedTops | undefined;

export interface InferOptions {
  /** Consulted for `type: "Python"` layers whose bottom shapes are all known. */
  pythonTops?: PythonTopsLookup;
  /** Shapes stated for inputs (e.g. `--input-shape`); they win over the file's `# input-shape:` lines. */
  inputShapes?: StatedShapes;
  /** The rules' results of the document's previous version, to take over, and to keep for the next. */
  rules?: RuleResults;
  /** Without `rules`: the runs of the net's other phase, to take over, and to keep for it (phase-runs.ts). */
  runs?: PhaseRuns;
  /** The document's text: a layer written as an earlier one is shaped as it was (twin-layers.ts). */
  text?: string;
}

/**
 * Shapes, parameter counts and MACs of every layer Caffe keeps in `phase`. Parameter counts cover
 * the learnable blobs (weights and biases); BatchNorm's mean/variance/factor are counted apart as
 * `stats`; a layer whose named `param`s were all declared by an earlier layer shares them and adds
 * nothing to the totals. Never throws.
 */
export function inferShapes(
  net: NetModel,
  phase: Phase,
  schema?: Schema,
  options?: NetStateOptions,
  infer?: InferOptions,
): ShapeResult {
  return inferLayerShapes(net, layersInPhase(net, phase, options), phase, schema, infer);
}

/** `inferShapes` over layers already filtered for the phase (`layersInPhase(net, phase, ...)`). */
export function inferLayerShapes(
  net: NetModel,
  kept: readonly NetLayer[],
  phase: Phase,
  schema?: Schema,
  infer: InferOptions = {},
): ShapeResult {
  const problems: AnalysisDiagnostic[] = [];
  const sizes = new TopSizes(schema, net);
  // Results of an earlier version, for the rules the schema they were made with; else of another phase.
  const memo = infer.rules ? (infer.rules.schema === schema ? infer.rules : undefined) : infer.runs;
  const ids = blobIds(net);
  const blobs = new BlobShapes(ids);
  const cleared = weightsClearedBySplit(kept, ids);
  const stated = mergeStated(infer.inputShapes, net.inputShapes);
  for (const input of net.inputs) {
    const shape = stated?.get(input.name)?.shape ?? input.shape;
    blobs.shapes[ids.idOf(input.name) as number] = negativeInput(input, shape, problems) ? null : shape;
  }
  const seenParams = new Set<string>();
  const layers: LayerShapes[] = [];
  const totals = { params: 0, stats: 0, macs: 0, incomplete: 0, unknownTops: 0 };

  // The rules' results of the previous version: its inference of this phase, for the layers it had.
  const rules = memo !== undefined && memo === infer.rules ? infer.rules : undefined;
  const earlier = rules?.earlierPhase(phase, kept[0]);
  // Layer types the schema's checkout changed: their problems are told apart once every layer is done.
  const rewritten = rewrittenLayers(schema);
  const changed = rewritten?.files;
  const changes = changed !== undefined && changed.size > 0 && kept.some((l) => changed.has(l.type));
  // Image sizes taken from a deploy net beside this one: the problems they lead to are told apart too.
  const fills = stated !== undefined && [...stated.values()].some((s) => s.fill === true);
  const starts: number[] | undefined =
    rules || changes || fills ? new Array<number>(kept.length + 1) : undefined;
  /** A result made before (by the other phase or the previous version) becomes this layer's. */
  const takeOver = (layer: NetLayer, bottoms: readonly (Shape | null)[] | undefined, made: LayerShapes) => {
    const shared = layer.paramSpecs.length > 0 && sharesParams(layer.paramSpecs, seenParams);
    const result = shared === made.sharedParams ? made : { ...made, sharedParams: shared };
    blobs.setTops(layer, bottoms, result.tops);
    if (result.automaticTops.length > 0) blobs.automatic = result.automaticTops[0];
    addToTotals(totals, result);
    layers.push(result);
  };

  const twins = infer.text !== undefined ? new TwinLayers(infer.text) : undefined;
  // One reporter for every layer (it reads the current layer's params): no closure per layer.
  let params: LayerParams | undefined;
  const report = (
    message: string,
    at?: Span | string,
    code = 'shape-invalid',
    severity: Severity = 'error',
  ) => {
    const current = params as LayerParams;
    const span = typeof at === 'string' ? current.where(at) : (at ?? current.where());
    problems.push({ severity, message, code, start: span.start, end: span.end });
  };
  for (let l = 0; l < kept.length; l++) {
    const layer = kept[l];
    const first = problems.length;
    if (starts) starts[l] = first;
    // Made anew (as learned tops are): stated tops, and weights a split may clear (layers after decide).
    const fixed =
      (stated !== undefined && layer.bottoms.length === 0) ||
      (cleared !== undefined && writesLossWeight(layer));
    if (earlier !== undefined && !fixed && !isLearnable(infer, layer)) {
      const same = sameAsBefore(earlier, l, layer, blobs, problems);
      if (same !== undefined) {
        takeOver(layer, same.bottoms, same);
        rules?.carry(layer, same.bottoms);
        continue;
      }
    }
    // The other phase's whole result, when it came from these bottoms' shapes alone.
    // Shaped from its fields and its bottoms' shapes alone (not stated or learned tops).
    const free = !fixed && !isLearnable(infer, layer);
    const reusable = infer.runs !== undefined && free;
    const taken = reusable ? infer.runs?.resultOn(layer, blobs, problems) : undefined;
    if (taken !== undefined) {
      takeOver(layer, undefined, taken);
      continue;
    }
    const bottoms: (Shape | null)[] = new Array(layer.bottoms.length);
    for (let i = 0; i < bottoms.length; i++) {
      const b = layer.bottoms[i];
      // Shapes are arrays or null, never undefined: one look-up tells "unknown" from "not produced".
      const shape = blobs.shapes[ids.bottom(layer, i)];
      if (shape === undefined) {
        report(
          `no earlier layer produces '${b.name}' in phase ${phase}`,
          b.span,
          'shape-unknown-bottom',
          'warning',
        );
      }
      bottoms[i] = shape ?? null;
    }
    // The same, with a bottom no earlier layer produces (reported above).
    const before = problems.length;
    const other = reusable ? infer.runs?.resultFor(layer, bottoms, problems) : undefined;
    if (other !== undefined) {
      takeOver(layer, bottoms, other);
      continue;
    }
    // A layer written as an earlier one, on bottoms of the same shapes.
    const twinKey =
      twins !== undefined && free && layer.type !== 'Python' ? twins.key(layer, bottoms) : undefined;
    const twin = twinKey === undefined ? undefined : twins?.find(twinKey, layer, bottoms);
    if (twin !== undefined) {
      takeOver(layer, bottoms, twin);
      infer.runs?.keepResult(twin, problems, before);
      continue;
    }
    // Made past the other phase's result, which reads no parameter (`report` is given spans there).
    params = new LayerParams(layer, schema);
    const rule = layer.type === 'Python' ? undefined : RULES.get(layer.type);
    let out: RuleOutput = NO_OUTPUT;
    const learned = layer.type === 'Python' ? learnedTops(infer, layer, bottoms, phase) : undefined;
    if (learned) out = { tops: learned.tops.map((s) => [...s]), params: learned.params ?? null, macs: null };
    let forkParams = false;
    // A field no schema defines for the layer (a misspelling, reported by validation) may be the one
    // that would have set it up: nothing is said of it and its tops are unknown.
    const misspelt = layer.unknownField !== undefined;
    let unreadable = misspelt;
    // Caffe checks the bottom and top counts and some parameters before anything else, and stops there;
    // once the layer is set up, its loss weights and `param { }` specs are matched to its blobs.
    const from = problems.length;
    const setup = misspelt ? undefined : setupProblem(layer, params, kept);
    if (setup !== undefined) report(setup.message, setup.at, setup.code, setup.warning ? 'warning' : 'error');
    if (rule !== undefined && (setup === undefined || setup.warning) && !misspelt) {
      const ctx: RuleContext = { layer, bottoms, params, report };
      const run = (forkParams?: boolean) => runRule(rule, ctx, problems, forkParams);
      const done = memo ? memo.runFor(layer, bottoms, problems, run) : run();
      forkParams = done.forkParams;
      unreadable = done.unreadable;
      out = done.out;
    }
    const specs = misspelt
      ? undefined
      : afterSetupProblem(layer, params, problems, from, cleared?.has(layer) === true, kept);
    if (specs !== undefined) report(specs.message, specs.at, specs.code, specs.warning ? 'warning' : 'error');
    // A shape-keeping layer with parameters BVLC lacks still passes its bottom's shape on.
    const keepsShape = forkParams && SHAPE_KEEPING.has(layer.type);
    // Kept with the result: an array of exactly its length (one grown by push keeps spare room).
    const tops: (Shape | null)[] = new Array<Shape | null>(layer.tops.length);
    for (let i = 0; i < layer.tops.length; i++) {
      const t = layer.tops[i];
      let s = out.tops[i] ?? null;
      if (s !== null && !allPositiveIntegers(s)) {
        // A learned empty top (a 0 dim) is what the layer does, not a mistake in the net: just unknown.
        if (!learned)
          report(`top '${t.name}' would be ${formatShape(s)}: every dim must be a positive integer`, t.span);
        s = null;
      }
      tops[i] = s === null ? null : sizes.checked(t, s, report);
    }
    const sources =
      stated && layer.bottoms.length === 0 ? applyStated(stated, layer, tops, params) : undefined;
    blobs.setTops(layer, bottoms, tops);
    const automatic = automaticTops(layer);
    if (automatic.length > 0) blobs.automatic = automatic[0];

    const shared = layer.paramSpecs.length > 0 && sharesParams(layer.paramSpecs, seenParams);
    const known = rule !== undefined && !unreadable;
    // One object shape for every result (`topSources` undefined where no shape was stated).
    const result: LayerShapes = {
      layer,
      bottoms,
      tops,
      params: keepsShape ? null : known ? countOf(out.params) : countOf(out.params ?? null),
      // Statistics of an unknown size are left out (they are never learned nor in the totals' params).
      stats: countOf(out.stats) ?? 0,
      macs: known ? countOf(out.macs) : null,
      status: known ? 'rule' : unreadable ? 'unread-params' : learned ? 'learned' : 'unknown-type',
      sharedParams: shared,
      automaticTops: automatic,
      topSources: sources,
    };
    const oversized = known ? oversizedParams(layer, bottoms, params, result.params) : undefined;
    if (oversized !== undefined) report(oversized);
    layers.push(result);
    addToTotals(totals, result);
    if (reusable) infer.runs?.keepResult(result, problems, before);
    if (twinKey !== undefined && problems.length === first) twins?.keep(twinKey, result);
  }
  if (starts) starts[kept.length] = problems.length;
  if (rules && starts) rules.keepPhase({ phase, layers, problems, starts });
  // Kept for the next version as the rules found them: the checkout may change before it.
  let found =
    changes && starts && rewritten
      ? underChangedSources(kept, ids, rewritten, problems, starts).slice()
      : problems;
  if (fills && stated && starts) {
    const assumed = underAssumedSizes(kept, ids, layers, stated, found, starts);
    if (assumed !== found) found = assumed.slice();
  }
  phaseProblems({ kept, layers, phase, net, schema, ids, sharesParams: seenParams.size > 0 }, found);
  // Caffe drops `input:` fields that come without any shape (a legacy weights file's net).
  const shaped = net.inputs.some((i) => i.shape !== null);
  const inputs = shaped
    ? net.inputs.map((i) => {
        const given = stated?.get(i.name);
        return given
          ? { name: i.name, shape: given.shape, source: given.source }
          : { name: i.name, shape: i.shape };
      })
    : [];
  return { phase, inputs, layers, blobs, problems: firstOversizedWindow(found), totals };
}

/**
 * A layer's rule on its bottoms: BVLC's rule says nothing of a layer with parameters BVLC lacks (its
 * tops are unknown, unless it keeps its bottom's shape), and a value it cannot read stops it.
 * `known`: whether the layer has such parameters, when an earlier run of it found out.
 */
function runRule(
  rule: ShapeRule,
  ctx: RuleContext,
  problems: AnalysisDiagnostic[],
  known?: boolean,
): RuleRun {
  const { layer, bottoms, report } = ctx;
  const forkParams = known ?? nonBvlcParam(layer, rule.ownBlocks) !== undefined;
  if (forkParams && !SHAPE_KEEPING.has(layer.type)) return { forkParams, unreadable: true, out: NO_OUTPUT };
  const need = rule.needs === Infinity ? Math.max(1, bottoms.length) : rule.needs;
  if (bottoms.length < need) {
    // A `bottom:` without a value (a template's placeholder) is a syntax error already.
    if (hasValuelessBottom(layer)) return { forkParams, unreadable: true, out: NO_OUTPUT };
    report(`${layer.type} needs ${need} bottom${need === 1 ? '' : 's'}, it has ${bottoms.length}`);
    return { forkParams, unreadable: false, out: NO_OUTPUT };
  }
  if (!knownUpTo(bottoms, need)) return { forkParams, unreadable: false, out: NO_OUTPUT };
  const reported = problems.length;
  try {
    return { forkParams, unreadable: false, out: rule.run(ctx) };
  } catch (e) {
    if (e instanceof UnreadableParam) {
      // Validation reports the value; what the rule said before reading it is dropped too.
      problems.length = reported;
      return { forkParams, unreadable: true, out: NO_OUTPUT };
    }
    // A rule bug must not take the editor down: the layer's tops become unknown.
    report(`shape rule for ${layer.type} failed: ${String(e)}`, undefined, 'shape-internal', 'hint');
    return { forkParams, unreadable: false, out: NO_OUTPUT };
  }
}

/** The learned tops of a Python layer, when every bottom is known and as many tops were learned. */
function learnedTops(
  infer: InferOptions,
  layer: NetLayer,
  bottoms: readonly (Shape | null)[],
  phase: Phase,
): LearnedTops | undefined {
  if (!infer.pythonTops || !bottoms.every(isComplete)) return undefined;
  const found = infer.pythonTops(layer, bottoms as Shape[], phase);
  return found && found.tops.length === layer.tops.length ? found : undefined;
}

/** Every known dim a positive integer (unknown dims stay unknown). */
function allPositiveIntegers(shape: Shape): boolean {
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (isKnownDim(d) && (!Number.isInteger(d) || d <= 0)) return false;
  }
  return true;
}

/** A rule's count: 0 when it gives none, null when it depends on an unknown dim (NaN). */
function countOf(n: number | null | undefined): number | null {
  return n === undefined ? 0 : n === null || !isKnownDim(n) ? null : n;
}

function knownUpTo(bottoms: readonly (Shape | null)[], need: number): boolean {
  for (let i = 0; i < need && i < bottoms.length; i++) if (bottoms[i] === null) return false;
  return true;
}

function addToTotals(totals: ShapeResult['totals'], result: LayerShapes): void {
  if (result.params === null || result.macs === null) totals.incomplete++;
  if (!result.sharedParams) totals.params += result.params ?? 0;
  totals.stats += result.stats;
  totals.macs += result.macs ?? 0;
  const tops = result.tops;
  for (let i = 0; i < tops.length; i++) {
    if (!isComplete(tops[i])) {
      totals.unknownTops++;
      return;
    }
  }
}

/** A Python layer whose tops may be learned: learned per phase, so never taken from the other phase. */
function isLearnable(infer: InferOptions, layer: NetLayer): boolean {
  return layer.type === 'Python' && infer.pythonTops !== undefined;
}
