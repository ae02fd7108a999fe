// The nets of a document with the states they are built in, for the phase rule (phase-rule.ts): a net
// file with the states the workspace's solvers build it in (workspace/solver-uses.ts), a solver with
// the nets it embeds (`net_param` in TRAIN and in TEST per test net, `train_net_param` in TRAIN,
// `test_net_param` in TEST), each state made as Caffe's solver makes it (model/net-state.ts).

import path from 'node:path';
import { embeddedNet } from '../../analysis/model/embedded-nets';
import { buildNet, type NetModel } from '../../analysis/model/net';
import { defaultState, solverBuildState, type NetState } from '../../analysis/model/net-state';
import { netProblemsIn, type StateProblemsInput } from '../../analysis/net-problems';
import { mergeStated } from '../../analysis/shapes/input-shapes';
import { SOLVER } from '../../analysis/model/top-message';
import { solverNets, solverStates } from '../../training/solver-nets';
import { statedInSettings, type AnalyzedDocument } from '../../workspace/analyses';
import type { SolverUse } from '../../workspace/solver-uses';
import type { NetBuild, NetScope } from './phase-rule';

/** Where the workspace's solvers that build a file are found. */
export interface SolverLookup {
  usesOf(file: string): readonly SolverUse[];
}

/** The document's nets: its own (a net file) or those it embeds (a solver). */
export function netScopes(input: AnalyzedDocument, solvers: SolverLookup | undefined): NetScope[] {
  const { analysis, doc } = input;
  const net = analysis.net;
  if (net) {
    const file = doc.path;
    const uses = file && solvers ? solvers.usesOf(file) : [];
    const builds = uses.map((u) => ({
      state: solverBuildState(u.phase, net.state, u),
      by: `${path.basename(u.solver)}: ${u.field}`,
    }));
    const problems: StateProblemsInput = {
      net,
      schema: input.schema.schema,
      shapes: input.shapes.net,
      infer: {
        pythonTops: input.shapes.pythonTops,
        inputShapes: analysis.inputShapes,
        ...(analysis.rules ? { rules: analysis.rules } : {}),
      },
    };
    return [scope(0, doc.text.length, net, builds, problems)];
  }
  if (analysis.topMessage.name !== SOLVER) return [];
  const states = solverStates(doc.ast.fields);
  const out: NetScope[] = [];
  for (const each of solverNets(doc.ast.fields)) {
    const embedded = embeddedNet(each.field);
    if (!embedded) continue;
    const inner = analysis.embeddedNets?.get(each.field) ?? buildNet(embedded, input.schema.schema);
    const by = `this solver: ${each.source}`;
    const builds: NetBuild[] = [];
    if (each.train) builds.push({ state: solverBuildState('TRAIN', inner.state, states.train), by });
    for (const id of each.testNets) {
      builds.push({ state: solverBuildState('TEST', inner.state, states.tests[id]), by });
    }
    // As the analysis inferred it: the net's own `# input-shape:` lines over the settings'. The
    // analysis's shapes are taken over where the state keeps the layers of a phase it inferred (see
    // netProblemsIn), its rule results for the layers whose bottoms have the same shapes.
    const stated = mergeStated(inner.inputShapes, statedInSettings(input.settings));
    const shapes = analysis.embeddedShapes?.get(inner);
    const problems: StateProblemsInput = {
      net: inner,
      schema: input.schema.schema,
      ...(shapes ? { shapes } : {}),
      infer: {
        ...(stated ? { inputShapes: stated } : {}),
        ...(analysis.rules ? { rules: analysis.rules } : {}),
      },
    };
    out.push(scope(embedded.start, embedded.end, inner, builds, problems));
  }
  return out;
}

/** Whether a solver's state could bring a problem the checks do not see: only a net with rules can. */
export function hasStateRules(input: AnalyzedDocument): boolean {
  const { analysis } = input;
  if (analysis.net) return anyRules(analysis.net);
  return analysis.topMessage.name === SOLVER && input.doc.ast.fields.some((f) => embeddedNet(f));
}

function anyRules(net: NetModel): boolean {
  return net.layers.some((l) => l.include.length > 0 || l.exclude.length > 0);
}

function scope(
  start: number,
  end: number,
  net: NetModel,
  builds: NetBuild[],
  problems: StateProblemsInput,
): NetScope {
  const phases = net.state.phase ? [net.state.phase] : (['TRAIN', 'TEST'] as const);
  return {
    start,
    end,
    builds,
    defaults: phases.map((p) => defaultState(p, net.state)),
    problemsIn: (state: NetState) => netProblemsIn(problems, state),
  };
}
