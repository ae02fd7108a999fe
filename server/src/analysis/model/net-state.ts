// The exact state Caffe builds a net in (NetState: phase, level, stages) and how it is made: a solver
// starts from the phase of the net it makes (TRAIN for the train net, TEST for a test net), merges
// the net's own `state { }` into it, then its `train_state` or the test net's `test_state`
// (solver.cpp InitTrainNet/InitTestNets). A merge works as protobuf's MergeFrom does: a phase or
// level that is set replaces the one before, stages are appended.

import { type NetLayer, type NetModel, type NetStateInfo, type Phase } from './net';
import { layersKept } from './net-filter';

export interface NetState {
  phase: Phase;
  level: number;
  stages: readonly string[];
}

/** What a solver's `train_state` / `test_state` sets (nothing when the solver has none). */
export interface SolverStateFields {
  level?: number;
  stages: readonly string[];
}

/** The state a solver builds a net in: `phase` with the net's own state, then the solver's merged in. */
export function solverBuildState(
  phase: Phase,
  own: NetStateInfo,
  solver: SolverStateFields = { stages: [] },
): NetState {
  return {
    phase: own.phase ?? phase,
    level: solver.level ?? own.level ?? 0,
    stages: [...own.stages, ...solver.stages],
  };
}

/** The state a tool builds a net in when it sets only the phase (`caffe test`, `caffe.Net(file, TEST)`). */
export function defaultState(phase: Phase, own: NetStateInfo): NetState {
  return solverBuildState(phase, own);
}

/** One key per distinct state (stage order does not matter to Caffe's rules). */
export function stateKey(state: NetState): string {
  return [state.phase, state.level, ...[...new Set(state.stages)].sort()].join('\u0000');
}

/** The state in words: `TRAIN`, `TEST with stage "val"`, `TEST with stages "a", "b" at level 2`. */
export function describeState(state: NetState): string {
  const stages = [...new Set(state.stages)];
  const s =
    stages.length === 0
      ? ''
      : ` with stage${stages.length > 1 ? 's' : ''} ${stages.map((x) => `"${x}"`).join(', ')}`;
  return `${state.phase}${s}${state.level !== 0 ? ` at level ${state.level}` : ''}`;
}

/** The layers Caffe keeps in `state` (net.cpp FilterNet). */
export function layersInState(net: NetModel, state: NetState): readonly NetLayer[] {
  return layersKept(net, state.phase, state.level, state.stages);
}
