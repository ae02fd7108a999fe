// The names a Caffe checkout's C++ sources compare strings against or register, read from the
// source text: the solver classes (REGISTER_SOLVER_CLASS), learning rate policies and regularizations
// its solvers know, and the fillers GetFiller makes; and the helpers that read C++ text for them.

/**
 * The names the checkout's sources know: the `lr_policy` strings SGDSolver compares against
 * (`lr_policy == "step"`), the solver classes registered (`REGISTER_SOLVER_CLASS(Adam)`), the
 * `regularization_type` strings compared against, and the fillers GetFiller makes. Each is absent
 * when the sources hold none (an older Caffe without a solver registry, or sources laid out
 * otherwise): nothing is judged by it then.
 */
export interface CheckoutSolverNames {
  lrPolicies?: ReadonlySet<string>;
  solverTypes?: ReadonlySet<string>;
  regularizations?: ReadonlySet<string>;
  /** The filler types GetFiller makes (`type == "xavier"` in the header that defines it). */
  fillers?: ReadonlySet<string>;
  /**
   * Whether the solver checks that it can write the snapshot prefix before training
   * (CheckSnapshotWritePermissions, which BVLC added in 2015; an older fork finds out at its first
   * snapshot). Absent when no solver source was read.
   */
  snapshotChecked?: boolean;
}

/** Whether a source text calls or defines CheckSnapshotWritePermissions (comments left out). */
export function checksSnapshotPrefix(text: string): boolean {
  return (
    text.includes('CheckSnapshotWritePermissions') &&
    /\bCheckSnapshotWritePermissions\b/.test(withoutComments(text))
  );
}

const SOLVER_REGISTRATION = /\bREGISTER_SOLVER_CLASS\w*\s*\(\s*([A-Za-z_]\w*)/g;
const LR_POLICY_TEST = /\blr_policy\s*==\s*"([^"\\\n]+)"/g;
const REGULARIZATION_TEST = /\bregularization_type\s*==\s*"([^"\\\n]+)"/g;
/** `type == "xavier"`, as GetFiller compares a filler's type. */
const FILLER_TEST = /\btype\s*==\s*"([^"\\\n]+)"/g;

/** Adds the solver names one source text registers or compares against (comments and macros left out). */
export function solverNamesIn(
  text: string,
  out: { lrPolicies: Set<string>; solverTypes: Set<string>; regularizations: Set<string> },
): void {
  const code = withoutComments(text);
  for (const [pattern, names] of [
    [SOLVER_REGISTRATION, out.solverTypes],
    [LR_POLICY_TEST, out.lrPolicies],
    [REGULARIZATION_TEST, out.regularizations],
  ] as const) {
    for (const match of code.matchAll(pattern))
      if (!inMacroDefinition(code, match.index ?? 0)) names.add(match[1]);
  }
}

/** Adds the filler types the header defining GetFiller compares against. */
export function fillerNamesIn(text: string, out: Set<string>): void {
  const code = withoutComments(text);
  const at = code.search(/\bGetFiller\s*\(/);
  if (at < 0) return;
  for (const match of code.slice(at).matchAll(FILLER_TEST)) out.add(match[1]);
}

/** Whether offset `at` of `code` is on a `#define` line (a macro's definition, not a use). */
export function inMacroDefinition(code: string, at: number): boolean {
  return /^\s*#\s*define\b/.test(code.slice(code.lastIndexOf('\n', at) + 1, at));
}

/** `text` with its C++ comments blanked out (line breaks kept, so lines still count). */
export function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (comment) => comment.replace(/[^\n]/g, ' '));
}
