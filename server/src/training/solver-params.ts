// The learning-rate fields of a solver prototxt, read from its syntax tree with where each was written,
// for the schedule check, the CLI's `lr` command and editor features over a solver.

import {
  isLrPolicy,
  PARAMETERS_READ,
  type ScheduleField,
  type ScheduleInput,
  type ScheduleProblem,
} from '../../../common/training/lr-schedule';
import type { FieldNode, Span, ValueNode } from '../parser/ast';
import { firstField, numberValue, repeatedValues, scalarText } from '../analysis/model/net-read';

export interface SolverSchedule {
  input: ScheduleInput;
  /** The field each parameter was read from (the first one when a singular field is given twice). */
  fields: Partial<Record<Exclude<ScheduleField, 'stepvalue'>, FieldNode>>;
  /** Each `stepvalue` entry, in order (separate fields and `[a, b]` lists alike). */
  stepvalues: readonly ValueNode[];
  /** Fields written with a value of the wrong kind (the value check reports them); nothing else is said. */
  unreadable: ScheduleField[];
}

/** The fields through which a solver names the net it trains. */
const NET_FIELDS = ['net', 'net_param', 'train_net', 'train_net_param'];
const FLOATS = { base_lr: 'baseLr', gamma: 'gamma', power: 'power' } as const;
const INTEGERS = { stepsize: 'stepsize', max_iter: 'maxIter' } as const;

/** Reads lr_policy, base_lr, gamma, power, stepsize, stepvalue and max_iter from a solver's fields. */
export function readSolverSchedule(solverFields: readonly FieldNode[]): SolverSchedule {
  const input: { -readonly [K in keyof ScheduleInput]: ScheduleInput[K] } = { stepvalue: [] };
  const fields: SolverSchedule['fields'] = {};
  const unreadable: ScheduleField[] = [];
  const policy = firstField(solverFields, 'lr_policy');
  if (policy) {
    fields.lr_policy = policy;
    if (policy.value?.kind === 'string') input.lrPolicy = scalarText(policy.value);
    else unreadable.push('lr_policy');
  }
  for (const [name, key] of Object.entries(FLOATS) as [keyof typeof FLOATS, 'baseLr' | 'gamma' | 'power'][]) {
    const node = firstField(solverFields, name);
    if (!node) continue;
    fields[name] = node;
    const value = numberValue(node.value);
    if (value === undefined) unreadable.push(name);
    else input[key] = value;
  }
  for (const [name, key] of Object.entries(INTEGERS) as [keyof typeof INTEGERS, 'stepsize' | 'maxIter'][]) {
    const node = firstField(solverFields, name);
    if (!node) continue;
    fields[name] = node;
    const value = integerValue(node.value);
    if (value === undefined) unreadable.push(name);
    else input[key] = value;
  }
  const stepvalues = repeatedValues(solverFields, 'stepvalue');
  const steps: number[] = [];
  for (const node of stepvalues) {
    const value = integerValue(node);
    if (value === undefined) {
      if (!unreadable.includes('stepvalue')) unreadable.push('stepvalue');
    } else steps.push(value);
  }
  input.stepvalue = steps;
  // NVIDIA Caffe's warm-up and floor: only its schema has these fields.
  const rampupInterval = integerValue(firstField(solverFields, 'rampup_interval')?.value);
  const rampupLr = numberValue(firstField(solverFields, 'rampup_lr')?.value);
  const minLrField = firstField(solverFields, 'min_lr');
  if (minLrField) fields.min_lr = minLrField;
  const minLr = numberValue(minLrField?.value);
  if (rampupInterval !== undefined) input.rampupInterval = rampupInterval;
  if (rampupLr !== undefined) input.rampupLr = rampupLr;
  if (minLr !== undefined) input.minLr = minLr;
  input.runnable = NET_FIELDS.some((name) => firstField(solverFields, name) !== undefined);
  const initialization = firstField(solverFields, 'test_initialization')?.value;
  input.testsFirst =
    firstField(solverFields, 'test_iter') !== undefined &&
    !(initialization?.kind === 'identifier' && initialization.name === 'false');
  return { input, fields, stepvalues, unreadable };
}

/** An int32 value; undefined for anything else. */
function integerValue(value: ValueNode | undefined): number | undefined {
  const n = numberValue(value);
  return n !== undefined && Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 ? n : undefined;
}

/**
 * Where to show a schedule problem: the value of a field that is written (the `stepvalue` entry it
 * names), else the lr_policy field that asks for the missing one, else the start of the first field.
 */
export function problemSpan(problem: ScheduleProblem, solver: SolverSchedule, fallback: Span): Span {
  if (problem.field === 'stepvalue') {
    const entry = solver.stepvalues[problem.index ?? 0];
    if (entry) return { start: entry.start, end: entry.end };
  } else {
    const node = solver.fields[problem.field];
    if (node) return spanOf(problem.field === 'lr_policy' && node.value ? node.value : node);
  }
  const near = solver.fields.lr_policy ?? solver.fields.base_lr;
  return near ? spanOf(near) : fallback;
}

function spanOf(node: Span): Span {
  return { start: node.start, end: node.end };
}

/** The policy and the parameters it reads, as written. */
export function describeSchedule(solver: SolverSchedule): string {
  const i = solver.input;
  const parts = [`lr_policy "${i.lrPolicy}"`, `base_lr ${i.baseLr ?? 0}`];
  const values: Record<string, string | undefined> = {
    gamma: i.gamma?.toString(),
    power: i.power?.toString(),
    stepsize: i.stepsize?.toString(),
    stepvalue: i.stepvalue.length > 0 ? i.stepvalue.join(', ') : undefined,
  };
  const reads = i.lrPolicy !== undefined && isLrPolicy(i.lrPolicy) ? PARAMETERS_READ[i.lrPolicy] : [];
  for (const name of reads) {
    if (name !== 'max_iter') parts.push(`${name} ${values[name] ?? '(not set)'}`);
  }
  if (i.maxIter !== undefined) parts.push(`max_iter ${i.maxIter}`);
  // NVIDIA Caffe's warm-up and floor.
  if ((i.rampupInterval ?? 0) > 0)
    parts.push(`rampup_interval ${i.rampupInterval} from rampup_lr ${i.rampupLr ?? 0}`);
  if (i.minLr !== undefined) parts.push(`min_lr ${i.minLr}`);
  return parts.join(', ');
}
