// How many diagnostics one document shows, and how much of the text a message quotes: the editor and
// `caffe-prototxt check` both cut here, so that they keep showing the same problems. A broken 1 MB
// file can hold hundreds of thousands of problems; past the first ones they say nothing new and cost
// the editor seconds. And one problem can quote a 1 MB string.

import type { AnalysisDiagnostic, Severity } from './diagnostic';
import { grouped } from '../../../common/numbers';

/** A message quotes at most this much of one word of the text (a number, a name, a string)... */
export const MAX_QUOTED = 100;
/** ...and is at most this long in all. */
export const MAX_MESSAGE = 2000;

/** Diagnostics shown per document unless told otherwise (the CLI's --max-diagnostics). */
export const DEFAULT_MAX_DIAGNOSTICS = 1000;

const RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };
const NAMES: Record<Severity, [string, string]> = {
  error: ['error', 'errors'],
  warning: ['warning', 'warnings'],
  information: ['note', 'notes'],
  hint: ['hint', 'hints'],
};

/**
 * The first `max` diagnostics in text order and, when there are more, one more that counts them (placed
 * where the first one left out starts, as severe as the most severe one left out). `max` 0 keeps all.
 */
export function capDiagnostics(
  diagnostics: readonly AnalysisDiagnostic[],
  max = DEFAULT_MAX_DIAGNOSTICS,
): readonly AnalysisDiagnostic[] {
  return capCount(diagnostics, max).map(shortMessage);
}

/**
 * `message` with each word longer than MAX_QUOTED cut (saying how long it was), and the whole cut at
 * MAX_MESSAGE: a message that quotes an unterminated 1 MB string or a 100,000-digit number stays short.
 */
export function shortenMessage(message: string): string {
  let out = message.replace(
    new RegExp(`\\S{${MAX_QUOTED + 1},}`, 'g'),
    (word) => `${word.slice(0, MAX_QUOTED)}… (${grouped(word.length)} characters)`,
  );
  if (out.length > MAX_MESSAGE) out = `${out.slice(0, MAX_MESSAGE)}… (${grouped(out.length)} characters)`;
  return out;
}

function shortMessage(d: AnalysisDiagnostic): AnalysisDiagnostic {
  if (d.message.length <= MAX_QUOTED || (d.message.length <= MAX_MESSAGE && !hasLongWord(d.message)))
    return d;
  const message = shortenMessage(d.message);
  return message === d.message ? d : { ...d, message };
}

/**
 * True when `message` holds a word (a run of what `\S` matches) longer than MAX_QUOTED. Spaces end
 * words: only a stretch between two of them longer than that can hold one, and is looked at closely.
 */
function hasLongWord(message: string): boolean {
  for (let from = 0; ;) {
    const space = message.indexOf(' ', from);
    const end = space < 0 ? message.length : space;
    if (end - from > MAX_QUOTED && hasLongRun(message, from, end)) return true;
    if (space < 0) return false;
    from = space + 1;
  }
}

/**
 * Whether `message` from `from` to `end` holds a run of more than MAX_QUOTED characters other than
 * white space: one pass over them, where the search for such a word tries it from every one.
 */
function hasLongRun(message: string, from: number, end: number): boolean {
  let run = 0;
  for (let i = from; i < end; i++) {
    const c = message.charCodeAt(i);
    // ASCII white space is told apart here; any other character \s may match is asked of the pattern.
    const space = c < 128 ? c === 32 || (c >= 9 && c <= 13) : SPACE.test(message[i]);
    run = space ? 0 : run + 1;
    if (run > MAX_QUOTED) return true;
  }
  return false;
}

const SPACE = /\s/;

function capCount(diagnostics: readonly AnalysisDiagnostic[], max: number): readonly AnalysisDiagnostic[] {
  if (max <= 0 || diagnostics.length <= max) return diagnostics;
  const inOrder = (a: AnalysisDiagnostic, b: AnalysisDiagnostic) => a.start - b.start || a.end - b.end;
  // The analysis gives its list sorted; only what was added after it may be out of place.
  let sorted = diagnostics;
  for (let i = 1; i < diagnostics.length; i++) {
    if (inOrder(diagnostics[i - 1], diagnostics[i]) > 0) {
      sorted = [...diagnostics].sort(inOrder);
      break;
    }
  }
  const kept = sorted.slice(0, max);
  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  let worst: Severity = 'hint';
  let left = 0;
  for (let i = max; i < sorted.length; i++) {
    const severity = sorted[i].severity;
    const problems = sorted[i].omitted ?? 1;
    counts[severity] += problems;
    left += problems;
    if (RANK[severity] < RANK[worst]) worst = severity;
  }
  let total = left;
  for (const d of kept) total += d.omitted ?? 1;
  const parts = (Object.keys(counts) as Severity[])
    .filter((s) => counts[s] > 0)
    .map((s) => `${grouped(counts[s])} ${NAMES[s][counts[s] === 1 ? 0 : 1]}`);
  const first = sorted[max];
  kept.push({
    severity: worst,
    code: 'too-many-problems',
    message:
      `${grouped(total)} problems in all; only the first ${grouped(max)} are listed. ` +
      `The ${grouped(left)} left out (${parts.join(', ')}) start here.`,
    start: first.start,
    end: first.start,
  });
  return kept;
}
