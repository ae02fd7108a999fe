// Small edits of a prototxt's text that keep its layout: insert a field or block after another (on a
// line of its own when the other ends its line, else after a space on the same line) and remove one
// again the inverse way, so that removing what was inserted gives back the text byte for byte.
// Comments stay where they are: an insertion never goes between a value and the comment after it.

export interface Edit {
  start: number;
  end: number;
  newText: string;
}

/** The offset where the line holding `offset` starts. */
export function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** The offset where the line holding `offset` ends (before its line break). */
export function lineEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** The spaces and tabs that start the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  const start = lineStart(text, offset);
  let i = start;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return text.slice(start, i);
}

/** Only spaces and tabs between the start of its line and `offset`. */
export function startsLine(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStart(text, offset), offset));
}

/** Nothing but spaces, tabs and maybe a comment from `offset` to the end of its line. */
export function endsLine(text: string, offset: number): boolean {
  const rest = text.slice(offset, lineEnd(text, offset));
  return /^[ \t]*(#.*)?$/.test(rest);
}

/** The length of the line break before the line holding `offset` (0 on the first line). */
function breakBefore(text: string, lineStartOffset: number): number {
  if (lineStartOffset === 0) return 0;
  return text[lineStartOffset - 1] === '\n' && text[lineStartOffset - 2] === '\r' ? 2 : 1;
}

/**
 * Inserts items after the token ending at `anchorEnd`. When only a comment or nothing follows the anchor
 * on its line, each line of `lines` goes on a new line after that line, at `indent` (`lines` carry any
 * deeper indentation themselves); otherwise the lines go after a space on the anchor's line, trimmed
 * and joined with spaces.
 */
export function insertAfter(
  text: string,
  anchorEnd: number,
  lines: readonly string[],
  indent: string,
  eol: string,
): Edit {
  if (endsLine(text, anchorEnd)) {
    const at = lineEnd(text, anchorEnd);
    return { start: at, end: at, newText: lines.map((l) => eol + indent + l).join('') };
  }
  return { start: anchorEnd, end: anchorEnd, newText: ` ${lines.map((l) => l.trim()).join(' ')}` };
}

/**
 * Removes the item at [start, end): a line of its own goes with the line break before it; an item that
 * shares its line goes with the spaces before it (or, first on its line, with the spaces after it).
 */
export function removeItem(text: string, start: number, end: number): Edit {
  const first = lineStart(text, start);
  const last = lineEnd(text, end);
  const alone = startsLine(text, start) && /^[ \t]*$/.test(text.slice(end, last));
  if (alone && first > 0) return { start: first - breakBefore(text, first), end: last, newText: '' };
  if (alone) {
    const next = last < text.length ? last + (text.startsWith('\r\n', last) ? 2 : 1) : last;
    return { start: first, end: next, newText: '' };
  }
  if (startsLine(text, start)) {
    let after = end;
    while (text[after] === ' ' || text[after] === '\t') after++;
    return { start, end: after, newText: '' };
  }
  let before = start;
  while (before > 0 && (text[before - 1] === ' ' || text[before - 1] === '\t')) before--;
  return { start: before, end, newText: '' };
}

/** Edits sorted by position, those that touch merged into one; overlapping edits are a mistake. */
export function mergeEdits(edits: readonly Edit[]): Edit[] {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Edit[] = [];
  for (const e of sorted) {
    const last = out[out.length - 1];
    if (last && e.start < last.end) throw new Error(`overlapping edits at ${e.start}`);
    if (last && e.start === last.end) {
      out[out.length - 1] = { start: last.start, end: e.end, newText: last.newText + e.newText };
    } else out.push({ ...e });
  }
  return out;
}

/** The text after the edits (which must not overlap). */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  }
  return out;
}
