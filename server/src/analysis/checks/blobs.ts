// The blob graph as Caffe builds it (net.cpp): every bottom must be a top of an earlier layer kept in
// the same net state (or a legacy `input`), and a top may be written twice only in place.
// Checked for TRAIN and TEST, with no stage and with each stage the rules mention, skipping a phase
// in which nothing produces data (a train-only or test-only file). `blobProblemsIn` checks one exact
// state, such as a solver's with several stages or a level (analysis/net-problems.ts).

import { blobIds } from '../model/blob-ids';
import { isInPlaceTop } from '../model/net-blobs';
import { type NetLayer, type NetModel, type Phase, type StateRule } from '../model/net';
import { layersInPhase, sameLayers } from '../model/net-filter';
import { describeState, layersInState, type NetState } from '../model/net-state';
import type { AnalysisDiagnostic } from '../diagnostic';
import type { Check, CheckContext } from './context';
import { relatedLayer } from './duplicate-layers';
import { writtenLossWeights } from '../shapes/per-blob-settings';

interface CheckedState {
  phase: Phase;
  stages: string[];
}

/**
 * Each stage a net's rules mention is one more blob graph to check: past this many stages the rest
 * are left out (and a note says so), so that a net naming thousands of stages stays linear.
 */
export const MAX_STAGES_CHECKED = 32;

export const checkBlobs: Check = (ctx) => {
  for (const net of ctx.nets) checkNet(ctx, net);
};

function checkNet(ctx: CheckContext, net: NetModel): void {
  if (net.layers.length === 0) return;
  // One diagnostic per range, with every phase it occurs in; reported once all states are checked.
  const found = new Map<number, { d: AnalysisDiagnostic; phases: Set<Phase> }>();
  const checked: { layers: readonly NetLayer[]; problems: number[] }[] = [];
  const checkedPhases = new Set<Phase>();
  let index: ProducerIndex | undefined;
  const add = (state: CheckedState, d: AnalysisDiagnostic, problems: number[]) => {
    const known = found.get(d.start);
    if (known) known.phases.add(state.phase);
    else found.set(d.start, { d, phases: new Set([state.phase]) });
    problems.push(d.start);
  };
  const { states, skippedStages } = statesOf(net);
  if (skippedStages > 0) {
    const at = net.layers[0].node;
    ctx.report({
      severity: 'information',
      code: 'stages-not-checked',
      message: `The rules name ${MAX_STAGES_CHECKED + skippedStages} stages: bottoms and tops are checked with no stage and with each of the first ${MAX_STAGES_CHECKED} only.`,
      start: at.start,
      end: at.start + at.name.length,
    });
  }
  for (const state of states) {
    const layers = layersInPhase(net, state.phase, { stages: state.stages });
    if (!hasSource(net, layers) && !builtWithoutSource(net, state, states)) continue;
    checkedPhases.add(state.phase);
    // The same layers as a state already checked (a net without rules, in TEST after TRAIN) give the
    // same blob graph, with the same problems at the same places: they occur in this phase too.
    const same = checked.find((other) => sameLayers(other.layers, layers));
    if (same) {
      for (const start of same.problems) found.get(start)?.phases.add(state.phase);
      continue;
    }
    const problems: number[] = [];
    checked.push({ layers, problems });
    const producers = () => (index ??= producerIndex(net));
    // Found in an earlier state: this state adds its phase, the message stays the first one.
    const known = (start: number) => found.has(start);
    for (const d of graphProblems(net, layers, phaseText(state, net), producers, known))
      add(state, d, problems);
  }
  const checkedList = PHASE_ORDER.filter((p) => checkedPhases.has(p));
  for (const { d, phases } of found.values()) {
    ctx.report({ ...d, phases: { found: PHASE_ORDER.filter((p) => phases.has(p)), checked: checkedList } });
  }
}

/**
 * The problems of the blob graph of `layers` (the net kept in one state, which `where` names, e.g.
 * " in the TEST phase"): bottoms no earlier top produces, tops produced twice. A problem at a place
 * `known` already holds is passed on without its message (made once per place).
 */
function graphProblems(
  net: NetModel,
  layers: readonly NetLayer[],
  where: string,
  producers: () => ProducerIndex,
  known: (start: number) => boolean = () => false,
): AnalysisDiagnostic[] {
  const out: AnalysisDiagnostic[] = [];
  const ids = blobIds(net);
  // By blob number: the layer that last wrote it, null for a net input, undefined when none has yet.
  const producer = new Array<NetLayer | null | undefined>(ids.count).fill(undefined);
  // By blob number, for what its last producer wrote: how many times it is used (read as a bottom,
  // or weighed as a loss), and the first layer that read it.
  const uses = new Uint32Array(ids.count);
  const firstReader = new Array<NetLayer | undefined>(ids.count);
  for (const input of legacyInputs(net)) producer[ids.idOf(input) as number] = null;
  for (let l = 0; l < layers.length; l++) {
    const layer = layers[l];
    for (let b = 0; b < layer.bottoms.length; b++) {
      const id = ids.bottom(layer, b);
      if (producer[id] !== undefined) {
        if (uses[id]++ === 0) firstReader[id] = layer;
        continue;
      }
      const bottom = layer.bottoms[b];
      out.push({
        severity: 'error',
        code: 'undefined-bottom',
        message: known(bottom.span.start) ? '' : undefinedMessage(producers(), layer, bottom.name, where),
        start: bottom.span.start,
        end: bottom.span.end,
      });
    }
    for (let slot = 0; slot < layer.tops.length; slot++) {
      const id = ids.top(layer, slot);
      const first = producer[id];
      if (first !== undefined && !isInPlaceTop(layer, slot)) {
        const top = layer.tops[slot];
        const by =
          first === layer ? 'an earlier top of this layer' : first ? `layer "${first.name}"` : 'a net input';
        out.push({
          severity: 'error',
          code: 'duplicate-top',
          message: `Top blob "${top.name}" is already produced by ${by}${where}; Caffe rejects a blob produced by multiple sources unless the layer works in place (the same name as its bottom at the same position).`,
          start: top.span.start,
          end: top.span.end,
          ...(first ? { related: relatedLayer(first, `"${top.name}" is produced here`) } : {}),
        });
      } else if (first !== undefined && uses[id] > 1) {
        out.push(splitInPlace(layer, slot, firstReader[id], where));
      }
      producer[id] = layer;
      uses[id] = 0;
      firstReader[id] = undefined;
    }
    if (layer.perBlobFields.length > 0) {
      // Caffe's split counts only weights written, not a loss layer's own.
      const weights = writtenLossWeights(layer);
      for (let slot = 0; slot < weights.length && slot < layer.tops.length; slot++)
        if (weights[slot] !== 0) uses[ids.top(layer, slot)]++;
    }
  }
  return out;
}

/**
 * A layer in place over a blob that is used more than once as its producer wrote it (read by another
 * layer before this one, read twice by this one, or weighed as a loss): Caffe gives each use its own
 * copy through a Split layer (insert_splits.cpp), this layer then reads a copy and its top is a
 * second producer of the blob.
 */
function splitInPlace(
  layer: NetLayer,
  slot: number,
  reader: NetLayer | undefined,
  where: string,
): AnalysisDiagnostic {
  const top = layer.tops[slot];
  const name = top.name;
  const other = reader !== layer ? reader : undefined;
  const before = other
    ? `layer "${other.name}" reads "${name}" before it`
    : reader === layer
      ? `it reads "${name}" more than once`
      : `"${name}" has a loss weight`;
  const fix = other
    ? `Put this layer before "${other.name}", or give its top a name of its own.`
    : 'Give its top a name of its own.';
  return {
    severity: 'error',
    code: 'in-place-split',
    message: `Layer "${layer.name}" works on "${name}" in place, but ${before}${where}: Caffe gives every use of a blob used more than once its own copy (a Split layer), so this top becomes a second producer of "${name}" and Caffe stops ("Top blob '${name}' produced by multiple sources"). ${fix}`,
    start: top.span.start,
    end: top.span.end,
    ...(other ? { related: relatedLayer(other, `"${name}" is read here first`) } : {}),
  };
}

/**
 * The blob-graph problems of `net` built in exactly `state` (as a solver builds it, the file's own
 * state already merged in); undefined when nothing makes data in that state, where it is not checked.
 */
export function blobProblemsIn(net: NetModel, state: NetState): AnalysisDiagnostic[] | undefined {
  const layers = layersInState(net, state);
  if (!hasSource(net, layers)) return undefined;
  let index: ProducerIndex | undefined;
  return graphProblems(
    net,
    layers,
    ` when built in ${describeState(state)}`,
    () => (index ??= producerIndex(net)),
  );
}

const PHASE_ORDER: readonly Phase[] = ['TRAIN', 'TEST'];

/**
 * The states to check: the file's own phase if it sets one, else both; no stage, then each stage (the
 * first MAX_STAGES_CHECKED of them; `skippedStages` counts the others).
 */
function statesOf(net: NetModel): { states: CheckedState[]; skippedStages: number } {
  const phases: Phase[] = net.state.phase ? [net.state.phase] : ['TRAIN', 'TEST'];
  const stages = new Set<string>();
  for (let l = 0; l < net.layers.length; l++) {
    const layer = net.layers[l];
    if (layer.include.length > 0) addStages(layer.include, stages);
    if (layer.exclude.length > 0) addStages(layer.exclude, stages);
  }
  const checked = [...stages].slice(0, MAX_STAGES_CHECKED);
  const out: CheckedState[] = [];
  for (const phase of phases) {
    out.push({ phase, stages: [] });
    for (const s of checked) out.push({ phase, stages: [s] });
  }
  return { states: out, skippedStages: stages.size - checked.length };
}

/** Adds the stages and not-stages the rules name to `stages`. */
function addStages(rules: readonly StateRule[], stages: Set<string>): void {
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r];
    for (let i = 0; i < rule.stages.length; i++) stages.add(rule.stages[i]);
    for (let i = 0; i < rule.notStages.length; i++) stages.add(rule.notStages[i]);
  }
}

/** Something makes data from nothing in this state: a net input or a layer without bottoms. */
/**
 * A phase the file sets for itself (`state { phase: TEST }`) is the one every build of it has (a
 * solver's state does not override it), even a build that leaves out every data layer: then its
 * bottoms are checked with no stage, unless a stage the rules name brings a data layer back (a
 * solver's test_state adds the stage) or no layer of any phase produces data (a piece of a net).
 */
function builtWithoutSource(net: NetModel, state: CheckedState, states: readonly CheckedState[]): boolean {
  if (net.state.phase === undefined || state.stages.length > 0 || !hasSource(net, net.layers)) return false;
  return !states.some(
    (s) =>
      s.phase === state.phase &&
      s.stages.length > 0 &&
      hasSource(net, layersInPhase(net, s.phase, { stages: s.stages })),
  );
}

function hasSource(net: NetModel, layers: readonly NetLayer[]): boolean {
  return legacyInputs(net).length > 0 || layers.some((l) => l.bottoms.length === 0 && l.tops.length > 0);
}

/**
 * The legacy inputs Caffe keeps: its upgrade turns `input` fields into an Input layer when the net
 * gives a shape (input_shape or input_dim) and drops them when it gives none (an old caffemodel).
 */
function legacyInputs(net: NetModel): string[] {
  return net.inputs.some((i) => i.shape !== null) ? net.inputs.map((i) => i.name) : [];
}

/**
 * Where a problem occurs: the phase, and the stage added to build it in. Caffe adds a stage asked for
 * to those the file's own `state { }` sets: they are named too, since the layers kept follow from all.
 */
function phaseText(state: CheckedState, net: NetModel): string {
  const quoted = (stages: readonly string[]) => `"${stages.join('", "')}"`;
  if (state.stages.length === 0) return ` in the ${state.phase} phase`;
  const own = [...new Set(net.state.stages)];
  const added =
    own.length === 0
      ? ''
      : ` (added to the net's own state's ${own.length === 1 ? 'stage' : 'stages'} ${quoted(own)})`;
  return ` in the ${state.phase} phase with stage ${quoted(state.stages)}${added}`;
}

/** Every layer (of any phase) that writes each blob, in net order, and the names declared as inputs. */
interface ProducerIndex {
  byBlob: Map<string, NetLayer[]>;
  inputs: Set<string>;
}

/** Made once per net, when the first undefined bottom needs it: one pass over every top. */
function producerIndex(net: NetModel): ProducerIndex {
  const byBlob = new Map<string, NetLayer[]>();
  for (let l = 0; l < net.layers.length; l++) {
    const layer = net.layers[l];
    for (let t = 0; t < layer.tops.length; t++) {
      const top = layer.tops[t];
      const list = byBlob.get(top.name);
      if (!list) byBlob.set(top.name, [layer]);
      else if (list[list.length - 1] !== layer) list.push(layer);
    }
  }
  return { byBlob, inputs: new Set(net.inputs.map((i) => i.name)) };
}

/** The first producer after `index` in a list in net order (binary search), if any. */
function firstAfter(producers: readonly NetLayer[], index: number): NetLayer | undefined {
  let lo = 0;
  let hi = producers.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (producers[mid].index > index) hi = mid;
    else lo = mid + 1;
  }
  return producers[lo];
}

function undefinedMessage(index: ProducerIndex, layer: NetLayer, name: string, where: string): string {
  let text = `Bottom blob "${name}" of layer "${layer.name}" is not produced by any earlier layer${where}.`;
  const producers = index.byBlob.get(name) ?? [];
  const earlier = producers[0] && producers[0].index < layer.index ? producers[0] : undefined;
  const later = firstAfter(producers, layer.index);
  if (earlier) {
    text += ` Layer "${earlier.name}" produces it, but that layer is left out${where} by its include/exclude rules.`;
  } else if (later) {
    text += ` Layer "${later.name}" produces it later; Caffe needs a blob's producer before its consumers.`;
  } else if (producers.length === 0 && !index.inputs.has(name)) {
    text += ' No layer or input declares it.';
  } else if (producers.length === 0) {
    text += ' It is declared as an `input`, but without input_shape or input_dim Caffe drops the inputs.';
  }
  return text;
}
