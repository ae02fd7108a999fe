// Deprecated solver settings: `solver_type: SGD` became `type: "SGD"` (Caffe upgrades it on load).

import { ownEntry } from '../../../../common/tables';
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

function checkBlock(ctx: CheckContext, block: ResolvedBlock): void {
  const fields = block.node.fields;
  for (let i = 0; i < fields.length; i++) {
    const node = fields[i];
    if (!block.fieldDef(i) || node.name !== 'solver_type') continue;
    const v = node.value;
    const replacement =
      v?.kind === 'identifier'
        ? solverTypeOf(v.name)
        : v?.kind === 'number'
          ? solverTypeOf(v.text)
          : undefined;
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
