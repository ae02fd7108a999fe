// What a hover adds in training files: a solver's learning rates (lr-schedule/lr-schedule.ts) and
// where its net files and snapshot folder are (shared/solver-paths.ts).

import type { FieldNameQuery, FieldValueQuery } from '../../analysis/query';
import type { AnalyzedDocument, Services } from '../context';
import { scheduleHover } from '../lr-schedule/lr-schedule';
import { solverPathHover } from '../shared/solver-paths';

/** Paragraphs to put before the field's own hover text, if any. */
export function trainingHover(
  input: AnalyzedDocument,
  q: FieldNameQuery | FieldValueQuery,
  services: Services | undefined,
): string | undefined {
  const markdown = input.client.markdown;
  const parts = [
    q.kind === 'fieldValue' ? solverPathHover(input, q.offset, services?.roots ?? [], markdown) : undefined,
    scheduleHover(input, q, markdown),
  ].filter((p): p is string => p !== undefined);
  return parts.length > 0 ? parts.join('\n\n') : undefined;
}
