// The phase rule for problems of the net Caffe builds (a missing bottom, a top produced twice, a shape
// error). Many real files are built in one phase only: a deploy net read by a script in TEST, a
// train.prototxt a solver names as `train_net`. A problem that occurs in one phase only, while the
// other phase builds cleanly, stays an error when a solver of the workspace builds the file in that
// phase (`net` -> TRAIN, and TEST when it has test nets; `train_net` -> TRAIN; `test_net` -> TEST);
// otherwise it is a warning that names the phase and says why. Problems of both phases stay errors.

import type { AnalysisDiagnostic, NetPhase } from '../../analysis/diagnostic';
import type { SolverUse } from '../../workspace/solver-uses';

/**
 * The diagnostics with the phase rule applied. `usesOf` tells which solvers build the file (asked
 * only when some error is confined to one phase); undefined for a document without a file.
 */
export function applyPhaseRule(
  diagnostics: readonly AnalysisDiagnostic[],
  usesOf: (() => readonly SolverUse[]) | undefined,
): AnalysisDiagnostic[] {
  const failing = new Set<NetPhase>();
  for (const d of diagnostics) {
    if (d.severity === 'error' && d.phases) for (const p of d.phases.found) failing.add(p);
  }
  if (failing.size !== 1) return [...diagnostics];
  let uses: readonly SolverUse[] | undefined;
  return diagnostics.map((d) => {
    const phase = d.phases?.found.length === 1 ? d.phases.found[0] : undefined;
    if (d.severity !== 'error' || !phase || d.phases?.checked.length !== 2) return d;
    uses ??= usesOf?.() ?? [];
    if (uses.some((u) => u.phase === phase)) return d;
    const other = phase === 'TRAIN' ? 'TEST' : 'TRAIN';
    const fields = phase === 'TRAIN' ? '`net` or `train_net`' : '`test_net` (or `net` with `test_iter`)';
    return {
      ...d,
      severity: 'warning',
      message:
        `${d.message} A warning, not an error: only the ${phase} phase has this problem, the ${other} ` +
        `phase builds, and no solver in the workspace builds this file in ${phase} (a solver's ${fields} ` +
        'naming it makes this an error).',
    };
  });
}
