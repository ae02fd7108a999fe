// Solver settings: the deprecated `solver_type: SGD` became `type: "SGD"` (Caffe upgrades it on load,
// and stops when both are given); a solver `type` or `regularization_type` Caffe has no implementation
// of (the names are case-sensitive), an `average_loss` below 1, and what AdaGrad and RMSProp refuse
// when they are made (a momentum; RMSProp's rms_decay outside [0, 1)), each of which stops Caffe; and
// an iter_size below 1, with which Caffe trains on but learns nothing (or makes the weights NaN).

import { ownEntry } from '../../../../common/tables';
import type { FieldNode } from '../../parser/ast';
import { numberValue } from '../model/net-read';
import type { ResolvedBlock } from '../model/resolve';
import type { Check, CheckContext } from './context';

/** SolverParameter.SolverType names -> the `type` strings that replace them. */
const SOLVER_TYPE_NAMES: Readonly<Record<string, string>> = {
  SGD: 'SGD',
  NESTEROV: 'Nesterov',
  ADAGRAD: 'AdaGrad',
  RMSPROP: 'RMSProp',
  ADADELTA: 'AdaDelta',
  ADAM: 'Adam',
};
const SOLVER_TYPE_NUMBERS = ['SGD', 'NESTEROV', 'ADAGRAD', 'RMSPROP', 'ADADELTA', 'ADAM'];

/** The `type` string that replaces `solver_type` written as `text` (a name or a number), if Caffe knows it. */
export function solverTypeOf(text: string): string | undefined {
  const name = /^[0-9]+$/.test(text) ? SOLVER_TYPE_NUMBERS[Number(text)] : text;
  return name !== undefined ? ownEntry(SOLVER_TYPE_NAMES, name) : undefined;
}

export const checkSolverFields: Check = (ctx) => {
  for (let b = 0; b < ctx.blocks.length; b++) {
    const block = ctx.blocks[b];
    if (block.def.fullName === 'caffe.SolverParameter') checkBlock(ctx, block);
  }
};

/** The solvers BVLC Caffe registers, and the weight decays its SGD family applies. */
export const SOLVER_TYPES = ['SGD', 'Nesterov', 'AdaGrad', 'RMSProp', 'AdaDelta', 'Adam'];
const REGULARIZATIONS = ['L2', 'L1'];

function checkBlock(ctx: CheckContext, block: ResolvedBlock): void {
  const fields = block.node.fields;
  checkSanity(ctx, block);
  for (let i = 0; i < fields.length; i++) {
    const node = fields[i];
    if (!block.fieldDef(i)) continue;
    if (node.name === 'type' || node.name === 'regularization_type') checkName(ctx, node, fields);
    else if (node.name === 'average_loss') checkAverageLoss(ctx, node);
    else if (node.name === 'iter_size') checkIterSize(ctx, node);
    // A Caffe whose solver has no string `type` (SegNet's) names its solver by solver_type alone.
    if (node.name !== 'solver_type' || !block.def.fields.some((f) => f.name === 'type')) continue;
    const typeField = writtenField(block, 'type');
    if (typeField !== undefined) {
      ctx.report({
        severity: 'error',
        code: 'solver-type',
        message:
          'solver_type and type are both given: Caffe stops as it reads the solver ("old solver_type field (enum) and new type field (string) cannot be both specified"). Keep type and remove solver_type.',
        start: node.start,
        end: node.end,
        related: [{ start: typeField.start, end: typeField.end, message: 'the solver type' }],
      });
      continue;
    }
    const replacement = oldSolverType(node);
    const suggestion = replacement ? `type: "${replacement}"` : undefined;
    ctx.report({
      severity: 'information',
      code: 'deprecated-field',
      message: `"solver_type" is deprecated: Caffe still reads it, but ${suggestion ? `write ${suggestion}` : 'use the string field "type" ("SGD", "Nesterov", "AdaGrad", "RMSProp", "AdaDelta" or "Adam")'} instead.`,
      start: node.start,
      end: node.end,
      ...(suggestion ? { suggestions: [suggestion] } : {}),
    });
  }
}

/**
 * A solver `type` or `regularization_type` Caffe knows no implementation of: an error, with the
 * known name of other case as the fix. Under the proto of a Caffe checkout whose sources name its
 * solvers, those names decide; under another proto of the user's it is a warning (a fork may
 * register more solvers).
 */
function checkName(ctx: CheckContext, node: FieldNode, fields: readonly FieldNode[]): void {
  const v = node.value;
  if (v?.kind !== 'string') return;
  const solver = node.name === 'type';
  // The sources of the schema's Caffe checkout say which names its solvers know.
  const checkout = ctx.checkoutSolvers;
  const read = solver ? checkout?.solverTypes : checkout?.regularizations;
  const known = read ? [...read] : solver ? SOLVER_TYPES : REGULARIZATIONS;
  if (known.includes(v.value)) return;
  const sameButCase = known.find((k) => k.toLowerCase() === v.value.toLowerCase());
  const names = known.map((k) => `"${k}"`).join(solver ? ', ' : ' or ');
  const fork = ctx.schemaKind === 'user' && sameButCase === undefined && read === undefined;
  const who = read && checkout ? `The Caffe checkout at ${checkout.label}` : 'Caffe';
  // The decay is applied (and its type read) only when the solver has a weight decay.
  const decays =
    solver || (numberValue(fields.filter((f) => f.name === 'weight_decay').pop()?.value) ?? 0) !== 0;
  const caffe = solver
    ? `Caffe stops before training ("Unknown solver type: ${v.value}")`
    : decays
      ? `Caffe stops at the first update ("Unknown regularization type: ${v.value}")`
      : `unread while weight_decay is 0, Caffe stops at the first update once it is set ("Unknown regularization type: ${v.value}")`;
  ctx.report({
    severity: fork || !decays ? 'warning' : 'error',
    code: 'solver-type',
    message:
      `${who} has no ${solver ? 'solver' : 'regularization'} "${v.value}": it knows ${names}` +
      `${sameButCase ? ' (the names are case-sensitive)' : ''}; ${caffe}.${fork ? ' A fork of Caffe may add it.' : ''}`,
    start: v.start,
    end: v.end,
    ...(sameButCase ? { suggestions: [`"${sameButCase}"`] } : {}),
  });
}

/** The last field of the block named `name` that its schema defines, if written. */
function writtenField(block: ResolvedBlock, name: string): FieldNode | undefined {
  const fields = block.node.fields;
  for (let i = fields.length - 1; i >= 0; i--)
    if (fields[i].name === name && block.fieldDef(i)) return fields[i];
  return undefined;
}

/** The solver Caffe makes of the block: its `type`, else its `solver_type`'s, else SGD. */
function solverKind(block: ResolvedBlock): string | undefined {
  const type = writtenField(block, 'type');
  if (type !== undefined) return type.value?.kind === 'string' ? type.value.value : undefined;
  const old = writtenField(block, 'solver_type');
  return old === undefined ? 'SGD' : oldSolverType(old);
}

/** The `type` string a `solver_type` field (a name or a number) stands for, if Caffe knows it. */
function oldSolverType(field: FieldNode): string | undefined {
  const v = field.value;
  if (v?.kind === 'identifier') return solverTypeOf(v.name);
  return v?.kind === 'number' ? solverTypeOf(v.text) : undefined;
}

/**
 * What AdaGrad and RMSProp check when they are made (sgd_solvers.hpp): no momentum other than 0, and
 * RMSProp's rms_decay in [0, 1) (its default is 0.99).
 */
function checkSanity(ctx: CheckContext, block: ResolvedBlock): void {
  const kind = solverKind(block);
  if (kind !== 'AdaGrad' && kind !== 'RMSProp') return;
  const momentum = writtenField(block, 'momentum');
  const m = numberValue(momentum?.value);
  if (momentum?.value !== undefined && m !== undefined && m !== 0) {
    ctx.report({
      severity: 'error',
      code: 'solver-type',
      message: `${kind} takes no momentum: Caffe stops as it makes the solver ("Momentum cannot be used with ${kind}."). Remove momentum or set it to 0.`,
      start: momentum.value.start,
      end: momentum.value.end,
    });
  }
  const decay = kind === 'RMSProp' ? writtenField(block, 'rms_decay') : undefined;
  const d = numberValue(decay?.value);
  if (decay?.value !== undefined && d !== undefined && !(d >= 0 && d < 1)) {
    ctx.report({
      severity: 'error',
      code: 'solver-type',
      message: `rms_decay ${d} is outside [0, 1) (the weight of the running mean of squared gradients; 0.99 when not given): Caffe stops as it makes the solver ("rms_decay should lie between 0 and 1.").`,
      start: decay.value.start,
      end: decay.value.end,
    });
  }
}

/**
 * Solver::Step runs iter_size forward and backward passes per update and divides the summed gradients
 * by iter_size: below 1 no pass runs, and 0 makes every weight NaN at the first update (1 / 0 times a
 * zero gradient); below 0 the net learns nothing. Caffe trains on without a word either way.
 */
function checkIterSize(ctx: CheckContext, node: FieldNode): void {
  const n = numberValue(node.value);
  if (n === undefined || n >= 1 || node.value === undefined) return;
  const what =
    n === 0
      ? 'the update then divides a zero gradient by 0, and every weight becomes NaN at the first update'
      : 'nothing is learned (only weight decay changes the weights)';
  ctx.report({
    severity: 'error',
    code: 'solver-type',
    message: `iter_size ${n} runs no forward or backward pass per iteration (it is how many batches each update sums, at least 1; 1 when not given): ${what}. Caffe trains on without a word.`,
    start: node.value.start,
    end: node.value.end,
  });
}

/** Solver::Init: the loss shown is the mean of the last `average_loss` iterations, at least one. */
function checkAverageLoss(ctx: CheckContext, node: FieldNode): void {
  const n = numberValue(node.value);
  if (n === undefined || n >= 1 || node.value === undefined) return;
  ctx.report({
    severity: 'error',
    code: 'solver-type',
    message: `average_loss ${n} must be at least 1 (the loss shown is the mean of the last average_loss iterations); Caffe stops before training ("average_loss should be non-negative.")`,
    start: node.value.start,
    end: node.value.end,
  });
}
