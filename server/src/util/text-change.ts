// What an edit changed between two versions of a text: the one region outside of which both are the
// same. Both the incremental parse and the line index of the new version start from it, so it is
// found once per version.

/** [from, oldEnd) of the old text became [from, newEnd) of the new one; the rest is the same. */
export interface ChangedRegion {
  from: number;
  oldEnd: number;
  newEnd: number;
}

/** Compared a block at a time (one native comparison) before the characters of the last block. */
const BLOCK = 1024;

/**
 * The region of `old` that `text` changed, as small as the common start and end allow (the start is
 * taken first); undefined when the texts are equal.
 */
export function changedRegion(old: string, text: string): ChangedRegion | undefined {
  if (old === text) return undefined;
  const limit = Math.min(old.length, text.length);
  let from = 0;
  while (from + BLOCK <= limit && old.slice(from, from + BLOCK) === text.slice(from, from + BLOCK))
    from += BLOCK;
  while (from < limit && old.charCodeAt(from) === text.charCodeAt(from)) from++;
  // The common end, never overlapping the common start.
  const room = limit - from;
  let tail = 0;
  while (
    tail + BLOCK <= room &&
    old.slice(old.length - tail - BLOCK, old.length - tail) ===
      text.slice(text.length - tail - BLOCK, text.length - tail)
  )
    tail += BLOCK;
  while (tail < room && old.charCodeAt(old.length - 1 - tail) === text.charCodeAt(text.length - 1 - tail))
    tail++;
  return { from, oldEnd: old.length - tail, newEnd: text.length - tail };
}

/**
 * Where the text [start, end) of this version started in the previous one, when the edit left it as
 * it was (wholly before the changed region, or wholly after it); else undefined.
 */
export function startBefore(
  change: ChangedRegion | undefined,
  start: number,
  end: number,
): number | undefined {
  if (change === undefined || end <= change.from) return start;
  if (start >= change.newEnd) return start - (change.newEnd - change.oldEnd);
  return undefined;
}
