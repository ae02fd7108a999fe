// The phase a graph opens on: the one the file is used in. The file's own `state { phase }`; else how
// the workspace's solvers build it (a solver's `train_net` or `net` is trained: TRAIN; a `test_net`
// only tested: TEST); else TRAIN when some layers run only in TRAIN (a train/val net's data and loss
// layers), else TEST — what a deploy net runs in.

import { type NetModel, type Phase } from '../../analysis/model/net';
import { layersInPhase } from '../../analysis/model/net-filter';
import type { GraphPhase } from '../../../../common/graph/types';

/** One way a solver builds the file (structurally what the workspace's solver index answers). */
export interface SolverUseOfNet {
  /** The solver file. */
  solver: string;
  phase: Phase;
  /** `net`, `train_net` or `test_net`. */
  field: string;
}

/** Which solvers build a net file (the workspace's solver index, services.solvers). */
export interface SolverUsesLookup {
  usesOf(netPath: string): readonly SolverUseOfNet[];
}

export interface PhaseChoice {
  phase: GraphPhase;
  /** Why, in a few words for a tooltip ("train_net of solver.prototxt"). */
  reason: string;
}

export function initialPhase(net: NetModel, uses: readonly SolverUseOfNet[] = []): PhaseChoice {
  if (net.state.phase) return { phase: net.state.phase, reason: "the file's state { phase }" };
  const use = uses.find((u) => u.phase === 'TRAIN') ?? uses[0];
  if (use) return { phase: use.phase, reason: `${use.field} of ${baseName(use.solver)}` };
  const test = new Set(layersInPhase(net, 'TEST'));
  const trainOnly = layersInPhase(net, 'TRAIN').filter((l) => !test.has(l));
  if (trainOnly.length > 0) {
    const names = trainOnly.slice(0, 3).map((l) => l.name || l.type || '(unnamed)');
    const more = trainOnly.length > names.length ? `, +${trainOnly.length - names.length} more` : '';
    return { phase: 'TRAIN', reason: `layers only in TRAIN: ${names.join(', ')}${more}` };
  }
  return { phase: 'TEST', reason: 'the same layers in both phases: TEST, as a deploy net runs' };
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
