// What a hover adds in training files: before the field's own text, a solver's learning rates
// (lr-schedule/lr-schedule.ts) and where its net files and snapshot folder are (shared/solver-paths.ts);
// after it, what a net's parameters learn and which solvers build the net (hover/learning.ts).

import type { FieldNameQuery, FieldValueQuery } from '../../analysis/query';
import type { AnalyzedDocument, Services } from '../context';
import { scheduleHover } from '../lr-schedule/lr-schedule';
import { learningHover } from './learning';
import { solverPathHover } from '../shared/solver-paths';

/** Paragraphs to put before and after the field's own hover text, if any. */
export function trainingHover(
  input: AnalyzedDocument,
  q: FieldNameQuery | FieldValueQuery,
  services: Services | undefined,
): { before?: string; after?: string } {
  const markdown = input.client.markdown;
  const before = [
    q.kind === 'fieldValue' ? solverPathHover(input, q.offset, services?.roots ?? [], markdown) : undefined,
    scheduleHover(input, q, markdown),
  ].filter((p): p is string => p !== undefined);
  const after = learningHover(input, q, services);
  return {
    ...(before.length > 0 ? { before: before.join('\n\n') } : {}),
    ...(after !== undefined ? { after } : {}),
  };
}
