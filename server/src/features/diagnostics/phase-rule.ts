// The phase rule for problems of the net Caffe builds (a missing bottom, a top produced twice, a shape
// error). Many real files are built in some states only: a deploy net read by a script in TEST, a
// train.prototxt a solver names as `train_net`, a net whose layers are split by stage. A problem is
// judged in the states the net is really built in:
// - when solvers build it (a file a solver names, a net a solver embeds), in exactly the states they
//   build it in (phase, level, stages; net-scopes.ts): a problem of one of those states is an error,
//   and so is a problem only such a state has (several stages at once, a level); a problem no such
//   state has is a warning that names the states built and says why;
// - otherwise in the states a tool builds it in when it sets only the phase: the file's own phase,
//   else TRAIN and TEST, with no stage. A problem of one phase only, while the other phase builds
//   cleanly, is a warning that names the phase; one that only a stage brings is a warning too.
//   Problems of both phases stay errors.

import type { AnalysisDiagnostic } from '../../analysis/diagnostic';
import { describeState, stateKey, type NetState } from '../../analysis/model/net-state';
import { problemKey } from '../../analysis/net-problems';

/** One way a solver builds a net: the state, and who builds it so (`solver.prototxt: test_net`). */
export interface NetBuild {
  state: NetState;
  by: string;
}

/** A net of the document and how it is built. */
export interface NetScope {
  /** The part of the document the net is written in (the whole file, or a solver's `net_param`). */
  start: number;
  end: number;
  /** How solvers build it; empty when none does. */
  builds: readonly NetBuild[];
  /** The states a tool builds it in when it sets only the phase (the file's phase, else both). */
  defaults: readonly NetState[];
  /** The problems of the net in one state; undefined when nothing makes data there (not checked). */
  problemsIn(state: NetState): readonly AnalysisDiagnostic[] | undefined;
}

/** A state with the keys of its error problems (only states that are checked). */
interface Judged {
  state: NetState;
  by: string[];
  problems: readonly AnalysisDiagnostic[];
  errors: Set<string>;
}

/**
 * The diagnostics with the phase rule applied. `scopesOf` gives the document's nets (asked only
 * when some net problem is an error or `always` says a solver state may add one).
 */
export function applyPhaseRule(
  diagnostics: readonly AnalysisDiagnostic[],
  scopesOf: () => readonly NetScope[],
  always = false,
): AnalysisDiagnostic[] {
  const isNetError = (d: AnalysisDiagnostic) => d.severity === 'error' && d.phases !== undefined;
  if (!always && !diagnostics.some(isNetError)) return [...diagnostics];
  let out = [...diagnostics];
  for (const scope of scopesOf()) {
    const inScope = (d: AnalysisDiagnostic) => d.start >= scope.start && d.end <= scope.end;
    const errors = out.filter((d) => isNetError(d) && inScope(d));
    if (errors.length === 0 && scope.builds.length === 0) continue;
    const built = judge(scope, scope.builds);
    const graded = new Map<AnalysisDiagnostic, AnalysisDiagnostic>();
    if (built.length > 0) {
      for (const d of errors) {
        if (!built.some((s) => s.errors.has(problemKey(d)))) graded.set(d, notBuiltWarning(d, built));
      }
      out = out.map((d) => graded.get(d) ?? d);
      // A layer that gets no gradient in a state no solver builds (no stage, when every solver sets
      // one) is told so only where the solvers build the net.
      const builtKeys = new Set(built.flatMap((s) => s.problems.map(problemKey)));
      out = out.filter((d) => !(d.code === 'no-gradient' && inScope(d) && !builtKeys.has(problemKey(d))));
      const added = onlyInBuiltStates(out, built);
      if (added.length > 0) out = [...out, ...added].sort((a, b) => a.start - b.start || a.end - b.end);
    } else {
      const defaults = judge(
        scope,
        scope.defaults.map((state) => ({ state, by: '' })),
      );
      // Broken in every phase (by one problem or another): whichever phase is used, it fails.
      const keys = errors.map(problemKey);
      const everyPhaseFails = defaults.every((s) => keys.some((k) => s.errors.has(k)));
      for (const d of errors) {
        const w = defaultGrade(d, everyPhaseFails, defaults);
        if (w) graded.set(d, w);
      }
      out = out.map((d) => graded.get(d) ?? d);
    }
  }
  return out;
}

/** The distinct states of `builds` that are checked, with their problems. */
function judge(scope: NetScope, builds: readonly NetBuild[]): Judged[] {
  const byKey = new Map<string, Judged | null>();
  for (const { state, by } of builds) {
    const key = stateKey(state);
    const known = byKey.get(key);
    if (known === null) continue;
    if (known) {
      if (by && !known.by.includes(by)) known.by.push(by);
      continue;
    }
    const problems = scope.problemsIn(state);
    if (!problems) {
      byKey.set(key, null);
      continue;
    }
    const errors = new Set(problems.filter((p) => p.severity === 'error').map(problemKey));
    byKey.set(key, { state, by: by ? [by] : [], problems, errors });
  }
  return [...byKey.values()].filter((j): j is Judged => j !== null);
}

/**
 * The problems of a built state that no check reported (several stages at once, a level): its errors,
 * and the layers it trains without a gradient.
 */
function onlyInBuiltStates(
  diagnostics: readonly AnalysisDiagnostic[],
  built: readonly Judged[],
): AnalysisDiagnostic[] {
  const seen = new Set(diagnostics.map(problemKey));
  const out: AnalysisDiagnostic[] = [];
  for (const s of built) {
    for (const p of s.problems) {
      const key = problemKey(p);
      if ((p.severity !== 'error' && p.code !== 'no-gradient') || seen.has(key)) continue;
      seen.add(key);
      out.push({ ...p, message: `${p.message} Built so by ${s.by.join('; ')}.` });
    }
  }
  return out;
}

/** States a message names one by one; past that, how many more. */
const LISTED_STATES = 3;

function notBuiltWarning(d: AnalysisDiagnostic, built: readonly Judged[]): AnalysisDiagnostic {
  const named = built.length > LISTED_STATES + 1 ? built.slice(0, LISTED_STATES) : built;
  const more = built.length - named.length;
  const states =
    named.map((s) => `${describeState(s.state)} (${s.by.join('; ')})`).join(' and ') +
    (more > 0 ? ` and ${more} more states` : '');
  return {
    ...d,
    severity: 'warning',
    message:
      `${d.message} A warning, not an error: the solvers of the workspace build this net only in ` +
      `${states}, where this problem does not occur.`,
  };
}

/** The grade of a net error when no solver builds the net: undefined to keep it an error. */
function defaultGrade(
  d: AnalysisDiagnostic,
  everyPhaseFails: boolean,
  defaults: readonly Judged[],
): AnalysisDiagnostic | undefined {
  const key = problemKey(d);
  const found = defaults.filter((s) => s.errors.has(key));
  if (found.length === 0) {
    // The default build has the stages the file's own state sets, if any.
    const own = [...new Set(defaults[0]?.state.stages ?? [])];
    const built =
      own.length === 0
        ? 'a net is built with no stage unless one is asked for'
        : `a net is built with only the ${own.length === 1 ? 'stage' : 'stages'} its own state sets (${own.map((x) => `"${x}"`).join(', ')}) unless another is asked for`;
    return {
      ...d,
      severity: 'warning',
      message:
        `${d.message} A warning, not an error: only a stage brings this problem, and ${NO_SOLVER_WITH_STAGE}; ` +
        `${built} (\`caffe --stage\`, pycaffe's \`stages=\`).`,
    };
  }
  if (found.length === defaults.length || everyPhaseFails) return undefined;
  const phase = found[0].state.phase;
  const other = phase === 'TRAIN' ? 'TEST' : 'TRAIN';
  return {
    ...d,
    severity: 'warning',
    message:
      `${d.message} A warning, not an error: only the ${phase} phase has this problem, the ${other} ` +
      `phase builds, and ${noSolverInPhase(phase)}.`,
  };
}

/** Why no solver makes a stage's problem an error (the stage phrase of the warnings). */
export const NO_SOLVER_WITH_STAGE =
  'no solver in the workspace builds this file with it (a solver whose `train_state` or `test_state` ' +
  'sets the stage makes this an error)';

/** Why no solver makes a problem of `phase` alone an error (the phase phrase of the warnings). */
export function noSolverInPhase(phase: 'TRAIN' | 'TEST'): string {
  const fields = phase === 'TRAIN' ? '`net` or `train_net`' : '`test_net` (or `net` with `test_iter`)';
  return `no solver in the workspace builds this file in ${phase} (a solver's ${fields} naming it makes this an error)`;
}
