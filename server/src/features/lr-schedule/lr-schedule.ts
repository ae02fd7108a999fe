// A solver's learning-rate schedule in the editor: `prototxt/lrSchedule` (the points the schedule view
// draws), the lens above `lr_policy` that opens that view, and the rates a hover on a schedule field
// shows (at the iteration the hovered value names, where it names one).

import type { CodeLens } from 'vscode-languageserver';
import {
  makeSchedule,
  multistepIterations,
  schedulePoints,
  type LrSchedule,
} from '../../../../common/training/lr-schedule';
import { Commands, type LrScheduleResult, type ShowLrScheduleArgs } from '../../../../common/protocol';
import { SOLVER } from '../../analysis/model/top-message';
import type { FieldValueQuery, FieldNameQuery } from '../../analysis/query';
import { describeSchedule, readSolverSchedule, type SolverSchedule } from '../../training/solver-params';
import type { AnalyzedDocument } from '../context';
import { Doc } from '../shared/field-docs';
import { grouped } from '../../../../common/numbers';

/** When max_iter is not set, the view shows this many iterations past the last step. */
const DEFAULT_RANGE = 10_000;

interface SolverView {
  solver: SolverSchedule;
  schedule?: LrSchedule;
  /** The first error that keeps Caffe from computing rates, when there is one. */
  problem?: string;
}

function solverView(input: AnalyzedDocument): SolverView | undefined {
  if (input.analysis.topMessage.name !== SOLVER) return undefined;
  const solver = readSolverSchedule(input.doc.ast.fields);
  if (solver.unreadable.length > 0)
    return { solver, problem: `${solver.unreadable.join(', ')}: a value of the wrong kind` };
  const { schedule, problems } = makeSchedule(solver.input);
  const error = problems.find((p) => p.severity === 'error');
  if (schedule) return { solver, schedule };
  return { solver, problem: error?.message ?? 'No lr_policy is set.' };
}

/** The iterations to show: [0, max_iter], or a range that covers the steps when max_iter is not set. */
export function scheduleRange(solver: SolverSchedule): { end: number; note?: string } {
  const i = solver.input;
  if (i.maxIter !== undefined && i.maxIter > 0) return { end: i.maxIter };
  const steps = [...i.stepvalue, ...(i.stepsize && i.stepsize > 0 ? [i.stepsize * 4] : [])];
  const end = steps.length > 0 ? Math.ceil((Math.max(...steps) * 1.25) / 10) * 10 : DEFAULT_RANGE;
  return { end, note: `max_iter is not set: showing iterations 0 to ${grouped(end)}.` };
}

export function provideLrSchedule(input: AnalyzedDocument): LrScheduleResult {
  const view = solverView(input);
  if (!view) return { description: '', points: [], end: 0, note: 'This file is not a solver.' };
  const description = describeSchedule(view.solver);
  if (!view.schedule) return { description, points: [], end: 0, note: view.problem };
  const { end, note } = scheduleRange(view.solver);
  const points = schedulePoints(view.schedule, end).map((p) => ({
    iter: p.iter,
    lr: Number.isFinite(p.lr) ? p.lr : null,
  }));
  return { description, policy: view.schedule.policy, points, end, ...(note ? { note } : {}) };
}

/** "Learning rate schedule" above `lr_policy`, with where the rate starts and ends. */
export function scheduleLenses(input: AnalyzedDocument): CodeLens[] {
  const view = solverView(input);
  const field = view?.solver.fields.lr_policy;
  if (!view || !field) return [];
  const args: ShowLrScheduleArgs = { uri: input.doc.uri };
  let title = 'Show learning rate schedule';
  if (view.schedule) {
    const { end } = scheduleRange(view.solver);
    const last = Math.max(0, end - 1);
    title += `: ${rate(view.schedule.rateAt(0))} → ${rate(view.schedule.rateAt(last))} at iteration ${grouped(last)}`;
  }
  return [
    {
      range: input.doc.lines.rangeOf(field.nameSpan.start, field.nameSpan.end),
      command: { title, command: Commands.showLrSchedule, arguments: [args] },
    },
  ];
}

const SCHEDULE_FIELDS = new Set([
  'lr_policy',
  'base_lr',
  'gamma',
  'power',
  'stepsize',
  'stepvalue',
  'max_iter',
]);
/** Solver fields that name an iteration: a hover on their value gives the rate there. */
const ITERATION_FIELDS = new Set([
  'max_iter',
  'stepsize',
  'stepvalue',
  'test_interval',
  'snapshot',
  'display',
]);

/** The rates a hover on a solver's top-level schedule field adds; undefined elsewhere. */
export function scheduleHover(
  input: AnalyzedDocument,
  q: FieldNameQuery | FieldValueQuery,
  markdown: boolean,
): string | undefined {
  if (q.path.length !== 0) return undefined;
  const name = q.field.name;
  if (!SCHEDULE_FIELDS.has(name) && !(ITERATION_FIELDS.has(name) && q.kind === 'fieldValue'))
    return undefined;
  const view = solverView(input);
  if (!view) return undefined;
  const doc = new Doc(markdown);
  const { schedule } = view;
  if (!schedule) {
    if (SCHEDULE_FIELDS.has(name))
      doc.text(`Learning rate: none can be computed. ${view.problem ?? ''}`.trim());
    return doc.empty ? undefined : doc.toString();
  }
  const at = (iter: number) => `${doc.c(rate(schedule.rateAt(iter)))} at iteration ${grouped(iter)}`;
  const { end } = scheduleRange(view.solver);
  const last = Math.max(0, end - 1);
  const hovered = q.kind === 'fieldValue' ? q.value : undefined;
  const value = hovered?.kind === 'number' ? hovered.value : undefined;
  const lines: string[] = [];
  if (name === 'stepvalue' && value !== undefined && schedule.policy === 'multistep') {
    const index = view.solver.stepvalues.findIndex((v) => v.start === hovered?.start);
    const iter = multistepIterations(view.solver.input.stepvalue)[index] ?? value;
    lines.push(`Step ${index + 1}: ${at(Math.max(0, iter - 1))}, then ${at(iter)}`);
  } else if (name === 'stepsize' && schedule.policy === 'step' && value !== undefined && value > 0) {
    const steps = [0, 1, 2, 3].map((k) => k * value).filter((i) => i <= last);
    lines.push(`Steps: ${steps.map(at).join('; ')}`);
  } else if (name === 'max_iter' && value !== undefined) {
    lines.push(`Last iteration run: ${at(Math.max(0, value - 1))}`);
  } else if (value !== undefined && ITERATION_FIELDS.has(name) && Number.isInteger(value) && value >= 0) {
    lines.push(`Learning rate ${at(value)}`);
  }
  if (SCHEDULE_FIELDS.has(name)) lines.push(`Schedule: ${overview(schedule, last).map(at).join('; ')}`);
  doc.raw(
    `**learning rate** (${doc.c(`lr_policy "${schedule.policy}"`)})`,
    `learning rate (lr_policy "${schedule.policy}")`,
  );
  for (const line of lines) doc.raw(line, line.replace(/`/g, ''));
  return doc.toString();
}

/** A few iterations that tell the schedule: the start, each step (at most 6), quarters, the end. */
function overview(schedule: LrSchedule, last: number): number[] {
  const jumps = schedule.jumpsUpTo(last);
  const iters =
    jumps.length > 0 && jumps.length <= 6
      ? [0, ...jumps]
      : [0, Math.round(last / 4), Math.round(last / 2), Math.round((3 * last) / 4)];
  return [...new Set([...iters, last])].sort((a, b) => a - b);
}

function rate(lr: number): string {
  return Number.isFinite(lr) ? String(lr) : 'not a number';
}
