// Python layer errors graded by the states the net is built in, as phase-rule.ts grades the net's own
// errors: Caffe imports a Python layer's module only when the state it builds keeps the layer, so a
// missing module or class of a layer that no built state keeps (an `include { phase: TRAIN }` layer
// in a file only tested) is a warning that says why, and stays an error where a built state keeps it.

import type { AnalysisDiagnostic } from '../../analysis/diagnostic';
import type { NetLayer, NetModel } from '../../analysis/model/net';
import { layerKept } from '../../analysis/model/net-filter';
import { describeState, stateKey } from '../../analysis/model/net-state';
import { NO_SOLVER_WITH_STAGE, noSolverInPhase, type NetScope } from './phase-rule';

/** `diagnostics` (of the net's Python layers) with the errors of layers no built state keeps graded. */
export function gradePythonByState(
  diagnostics: readonly AnalysisDiagnostic[],
  net: NetModel,
  scopesOf: () => readonly NetScope[],
): AnalysisDiagnostic[] {
  const hasRules = net.layers.some((l) => l.include.length > 0 || l.exclude.length > 0);
  if (!hasRules || !diagnostics.some((d) => d.severity === 'error')) return [...diagnostics];
  const scope = scopesOf()[0];
  if (!scope) return [...diagnostics];
  const built = scope.builds.length > 0;
  const states = built ? scope.builds.map((b) => b.state) : scope.defaults;
  return diagnostics.map((d) => {
    const layer = d.severity === 'error' ? layerAt(net, d.start) : undefined;
    if (!layer) return d;
    const keeping = states.filter((s) => layerKept(layer, s.phase, s.level, s.stages));
    if (keeping.length === states.length || (built && keeping.length > 0)) return d;
    if (built)
      return warning(
        d,
        `the solvers of the workspace build this net only in ${builtStates(scope)}, which leave this layer out, so Caffe never imports its module.`,
      );
    if (keeping.length === 0)
      return warning(d, `only a stage brings this layer, and ${NO_SOLVER_WITH_STAGE}.`);
    const phase = keeping[0].phase;
    return warning(d, `only the ${phase} phase has this layer, and ${noSolverInPhase(phase)}.`);
  });
}

function layerAt(net: NetModel, offset: number): NetLayer | undefined {
  return net.layers.find((l) => l.node.start <= offset && offset < l.node.end);
}

function builtStates(scope: NetScope): string {
  const seen = new Map<string, string[]>();
  for (const b of scope.builds) {
    const key = stateKey(b.state);
    const by = seen.get(key);
    if (by) by.push(b.by);
    else seen.set(key, [describeState(b.state), b.by]);
  }
  return [...seen.values()].map(([state, ...by]) => `${state} (${by.join('; ')})`).join(' and ');
}

function warning(d: AnalysisDiagnostic, why: string): AnalysisDiagnostic {
  return { ...d, severity: 'warning', message: `${d.message} A warning, not an error: ${why}` };
}
