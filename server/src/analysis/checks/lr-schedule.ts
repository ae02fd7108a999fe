// The learning-rate schedule of a solver: a missing or unknown lr_policy, parameters the policy needs
// but lacks (or has out of range, where Caffe stops with a failed check), stepvalues out of order or
// past max_iter, and parameters the policy never reads.

import { isLrPolicy, scheduleProblems } from '../../../../common/training/lr-schedule';
import { readSolverSchedule, problemSpan } from '../../training/solver-params';
import type { FieldNode } from '../../parser/ast';
import { forkLabel, listed, quotedList, type Check, type CheckContext } from './context';

export const checkLrSchedule: Check = (ctx) => {
  for (let b = 0; b < ctx.blocks.length; b++) {
    const block = ctx.blocks[b];
    if (block.def.fullName !== 'caffe.SolverParameter' || block.node.fields.length === 0) continue;
    const solver = readSolverSchedule(block.node.fields);
    // A value of the wrong kind is the value check's to report; guessing past it would mislead.
    if (solver.unreadable.length > 0) continue;
    const first = block.node.fields[0].nameSpan;
    const policy = solver.input.lrPolicy;
    const unknown = policy !== undefined && !isLrPolicy(policy);
    // The sources of the schema's Caffe checkout say which policies its solver knows.
    const known = ctx.checkoutSolvers?.lrPolicies;
    if (unknown && known?.has(policy)) continue;
    // Under a proto of the user's, a fork may implement more policies than BVLC's solver; so may the
    // fork whose fields a solver sets when no caffe.proto was found.
    const forksUsed = unknown && ctx.schemaKind === 'bundled' ? forksOfFields(ctx, block.node.fields) : [];
    const forkMayKnow = (ctx.schemaKind === 'user' && unknown && known === undefined) || forksUsed.length > 0;
    for (const problem of scheduleProblems(solver.input)) {
      const span = problemSpan(problem, solver, first);
      const about = problem.field === 'lr_policy' && unknown;
      const checkout = about && known !== undefined;
      const near = checkout && known ? sameButCase(policy, known) : problem.replacement;
      const message = checkout
        ? checkoutLacks(policy, near, [...(known ?? [])], ctx.checkoutSolvers?.label ?? '')
        : forkMayKnow && about
          ? `${problem.message} ${forksUsed.length > 0 ? forkSolverNote(ctx, forksUsed) : 'A fork of Caffe may add it.'}`
          : problem.message;
      // A script that steps the solver itself decides how long training runs, not max_iter.
      const stepper = problem.pastEnd ? ctx.solverStepper?.() : undefined;
      // A template solver that a script completes: `echo "base_lr: $lr" >> $solverfile` after a copy.
      const appender =
        problem.field === 'base_lr' && solver.input.baseLr === undefined
          ? ctx.fieldAppender?.('base_lr')
          : undefined;
      if (appender !== undefined) {
        ctx.report({
          severity: 'information',
          code: 'lr-schedule',
          message:
            `No base_lr here: ${appender} appends a base_lr line to a solver it writes from a template, ` +
            'which may be this file. Trained as it is, every rate is 0.',
          start: span.start,
          end: span.end,
        });
        continue;
      }
      ctx.report({
        severity: stepper ? 'information' : forkMayKnow && about ? 'warning' : problem.severity,
        code: 'lr-schedule',
        message:
          stepper && problem.pastEnd
            ? `${problem.pastEnd} is past max_iter ${solver.input.maxIter}, where \`caffe train\` and solve() stop; ` +
              `${stepper} builds this solver and runs its iterations itself, which max_iter does not end, so there it comes.`
            : message,
        start: span.start,
        end: span.end,
        ...(near !== undefined ? { suggestions: [`"${near}"`] } : {}),
      });
    }
  }
};

/** The names of the forks that define fields of `fields` the main schema lacks, each once. */
function forksOfFields(ctx: CheckContext, fields: readonly FieldNode[]): string[] {
  const names = new Set<string>();
  for (const field of fields) for (const name of ctx.resolved.forkFields.get(field) ?? []) names.add(name);
  return [...names];
}

/** Said of a policy BVLC lacks in a solver that sets fields of `forks`. */
function forkSolverNote(ctx: CheckContext, forks: readonly string[]): string {
  const labels = forks.map((n) => forkLabel(ctx, n));
  return `This solver sets fields of ${listed(labels)}, whose ${labels.length === 1 ? 'solver' : 'solvers'} may know it: choose the schema of your Caffe (prototxt.schema.paths or --schema).`;
}

/** The name in `known` that `name` spells in other case (or with spaces around it). */
function sameButCase(name: string, known: ReadonlySet<string>): string | undefined {
  const lower = name.trim().toLowerCase();
  return [...known].find((k) => k.toLowerCase() === lower);
}

/** A policy the checkout's solver does not know: what it knows instead. */
function checkoutLacks(
  policy: string,
  near: string | undefined,
  known: readonly string[],
  label: string,
): string {
  return (
    `The Caffe checkout at ${label}, whose caffe.proto this file is checked against, has no learning rate ` +
    `policy "${policy}"${near ? `; did you mean "${near}"?` : ''}: its solver stops at the first update ` +
    `("Unknown learning rate policy: ${policy}"). Its sources know ${quotedList(known)}.`
  );
}
