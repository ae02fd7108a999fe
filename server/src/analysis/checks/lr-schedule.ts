// The learning-rate schedule of a solver: a missing or unknown lr_policy, parameters the policy needs
// but lacks (or has out of range, where Caffe stops with a failed check), stepvalues out of order or
// past max_iter, and parameters the policy never reads.

import { isLrPolicy, scheduleProblems } from '../../../../common/training/lr-schedule';
import { readSolverSchedule, problemSpan } from '../../training/solver-params';
import type { Check } from './context';

export const checkLrSchedule: Check = (ctx) => {
  for (let b = 0; b < ctx.blocks.length; b++) {
    const block = ctx.blocks[b];
    if (block.def.fullName !== 'caffe.SolverParameter' || block.node.fields.length === 0) continue;
    const solver = readSolverSchedule(block.node.fields);
    // A value of the wrong kind is the value check's to report; guessing past it would mislead.
    if (solver.unreadable.length > 0) continue;
    const first = block.node.fields[0].nameSpan;
    const policy = solver.input.lrPolicy;
    // Under a proto of the user's, a fork may implement more policies than BVLC's solver.
    const forkMayKnow = ctx.schemaKind === 'user' && policy !== undefined && !isLrPolicy(policy);
    for (const problem of scheduleProblems(solver.input)) {
      const span = problemSpan(problem, solver, first);
      const fork = forkMayKnow && problem.field === 'lr_policy';
      ctx.report({
        severity: fork ? 'warning' : problem.severity,
        code: 'lr-schedule',
        message: fork ? `${problem.message} A fork of Caffe may add it.` : problem.message,
        start: span.start,
        end: span.end,
        ...(problem.replacement !== undefined ? { suggestions: [`"${problem.replacement}"`] } : {}),
      });
    }
  }
};
