// The blob graph as Caffe builds it (net.cpp): every bottom must be a top of an earlier layer kept in
// the same net state (or a legacy `input`), and a top may be written twice only in place.
// Checked for TRAIN and TEST, with no stage and with each stage the rules mention, skipping a phase
// in which nothing produces data (a train-only or test-only file).

import { isInPlaceTop } from '../model/net-blobs';
import {
  layersInPhase,
  sameLayers,
  type NetLayer,
  type NetModel,
  type Phase,
  type StateRule,
} from '../model/net';
import type { AnalysisDiagnostic } from '../diagnostic';
import type { Check, CheckContext } from './context';
import { relatedLayer } from './layers';

interface NetState {
  phase: Phase;
  stages: string[];
}

export const checkBlobs: Check = (ctx) => {
  for (const net of ctx.nets) checkNet(ctx, net);
};

function checkNet(ctx: CheckContext, net: NetModel): void {
  if (net.layers.length === 0) return;
  // One diagnostic per range, with every phase it occurs in; reported once all states are checked.
  const found = new Map<number, { d: AnalysisDiagnostic; phases: Set<Phase> }>();
  const checked: { layers: readonly NetLayer[]; problems: number[] }[] = [];
  const checkedPhases = new Set<Phase>();
  const add = (state: NetState, d: AnalysisDiagnostic, problems: number[]) => {
    const known = found.get(d.start);
    if (known) known.phases.add(state.phase);
    else found.set(d.start, { d, phases: new Set([state.phase]) });
    problems.push(d.start);
  };
  for (const state of statesOf(net)) {
    const layers = layersInPhase(net, state.phase, { stages: state.stages });
    if (!hasSource(net, layers)) continue;
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
    const producer = new Map<string, NetLayer | undefined>();
    for (const input of legacyInputs(net)) producer.set(input, undefined);
    for (const layer of layers) {
      for (const bottom of layer.bottoms) {
        if (producer.has(bottom.name)) continue;
        add(
          state,
          {
            severity: 'error',
            code: 'undefined-bottom',
            message: undefinedMessage(net, layer, bottom.name, state),
            start: bottom.span.start,
            end: bottom.span.end,
          },
          problems,
        );
      }
      layer.tops.forEach((top, slot) => {
        if (producer.has(top.name) && !isInPlaceTop(layer, slot)) {
          const first = producer.get(top.name);
          const by =
            first === layer
              ? 'an earlier top of this layer'
              : first
                ? `layer "${first.name}"`
                : 'a net input';
          add(
            state,
            {
              severity: 'error',
              code: 'duplicate-top',
              message: `Top blob "${top.name}" is already produced by ${by}${phaseText(state)}; Caffe rejects a blob produced by multiple sources unless the layer works in place (the same name as its bottom).`,
              start: top.span.start,
              end: top.span.end,
              ...(first ? { related: relatedLayer(first, `"${top.name}" is produced here`) } : {}),
            },
            problems,
          );
        }
        producer.set(top.name, layer);
      });
    }
  }
  const checkedList = PHASE_ORDER.filter((p) => checkedPhases.has(p));
  for (const { d, phases } of found.values()) {
    ctx.report({ ...d, phases: { found: PHASE_ORDER.filter((p) => phases.has(p)), checked: checkedList } });
  }
}

const PHASE_ORDER: readonly Phase[] = ['TRAIN', 'TEST'];

/** The states to check: the file's own phase if it sets one, else both; no stage, then each stage. */
function statesOf(net: NetModel): NetState[] {
  const phases: Phase[] = net.state.phase ? [net.state.phase] : ['TRAIN', 'TEST'];
  const stages = new Set<string>();
  const addStages = (rules: readonly StateRule[]) => {
    for (const rule of rules) {
      for (const s of rule.stages) stages.add(s);
      for (const s of rule.notStages) stages.add(s);
    }
  };
  for (const layer of net.layers) {
    addStages(layer.include);
    addStages(layer.exclude);
  }
  const out: NetState[] = [];
  for (const phase of phases) {
    out.push({ phase, stages: [] });
    for (const s of stages) out.push({ phase, stages: [s] });
  }
  return out;
}

/** Something makes data from nothing in this state: a net input or a layer without bottoms. */
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

function phaseText(state: NetState): string {
  const stage = state.stages.length > 0 ? ` with stage "${state.stages.join('", "')}"` : '';
  return ` in the ${state.phase} phase${stage}`;
}

function undefinedMessage(net: NetModel, layer: NetLayer, name: string, state: NetState): string {
  let text = `Bottom blob "${name}" of layer "${layer.name}" is not produced by any earlier layer${phaseText(state)}.`;
  const producers = net.layers.filter((l) => l.tops.some((t) => t.name === name));
  const later = producers.find((l) => l.index > layer.index);
  const earlier = producers.find((l) => l.index < layer.index);
  if (earlier) {
    text += ` Layer "${earlier.name}" produces it, but that layer is left out${phaseText(state)} by its include/exclude rules.`;
  } else if (later) {
    text += ` Layer "${later.name}" produces it later; Caffe needs a blob's producer before its consumers.`;
  } else if (producers.length === 0 && !net.inputs.some((i) => i.name === name)) {
    text += ' No layer or input declares it.';
  } else if (producers.length === 0) {
    text += ' It is declared as an `input`, but without input_shape or input_dim Caffe drops the inputs.';
  }
  return text;
}
