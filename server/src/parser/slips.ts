// What a problem adds to protobuf's words when a hand-written slip explains it: a second value after a
// field's value and a comma (`top: "data", "label"`, `phase: TRAIN, TEST`). A field has one value; the
// author meant to repeat the field.

import type { FieldNode } from './ast';

/**
 * The field `last` (the one before, in the same block) when the word at `at` follows its scalar value
 * and a comma only; undefined otherwise.
 */
export function valueBeforeComma(
  text: string,
  last: FieldNode | undefined,
  at: number,
): FieldNode | undefined {
  const value = last?.value;
  if (value === undefined || value.kind === 'message' || value.kind === 'list') return undefined;
  return /^\s*,\s*$/.test(text.slice(value.end, at)) ? last : undefined;
}

/**
 * The words that end such a problem: the field repeated with `word` (the fix, for a string or number).
 * A bare `word` may as well be the next field's name missing its colon: then the words say "if".
 */
export function repeatTheField(field: FieldNode, word: string, bare = false): { end: string; again: string } {
  const again = `${field.name}: ${word}`;
  const end = bare
    ? `: if ${word} is another value of ${field.name}, a field has one value; repeat the field (${again}).`
    : `: a field has one value; for another, repeat the field (${again}).`;
  return { end, again };
}
