// The one place where offsets become line/character positions and back.
// Lines and characters are 0-based; characters count UTF-16 code units (LSP's default encoding).

import type { ChangedRegion } from './text-change';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export class LineIndex {
  /** Offset at which each line starts. */
  private readonly lineStarts: number[];

  /** `starts`: the line starts of `text` when they are known already. */
  constructor(
    private readonly text: string,
    starts?: number[],
  ) {
    if (starts === undefined) {
      starts = [0];
      scanLineStarts(text, 0, text.length, starts);
    }
    this.lineStarts = starts;
  }

  /**
   * The line index of `text`, made from the index of the text before an edit: the line starts before
   * the changed region are kept, those in it found again, and those after it moved.
   */
  static afterEdit(previous: LineIndex, text: string, region: ChangedRegion): LineIndex {
    const old = previous.lineStarts;
    const { from, oldEnd, newEnd } = region;
    // A line starts at s when the character before s ends a line: "\n", or "\r" not followed by "\n".
    // So a start depends on the characters at s - 1 and s only: those before `from` are kept, and a
    // scan from `from - 1` finds those from `from` on.
    const starts: number[] = [];
    let i = 0;
    while (i < old.length && old[i] < from) starts.push(old[i++]);
    if (starts.length === 0) starts.push(0);
    scanLineStarts(text, Math.max(0, from - 1), newEnd, starts);
    // Starts after the region: the characters at s - 1 and s are past its end in both texts.
    const delta = newEnd - oldEnd;
    while (i < old.length && old[i] <= oldEnd) i++;
    for (; i < old.length; i++) starts.push(old[i] + delta);
    return new LineIndex(text, starts);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: clamped - this.lineStarts[lo] };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[position.line];
    const next =
      position.line + 1 < this.lineStarts.length ? this.lineStarts[position.line + 1] : this.text.length;
    let lineEnd = next;
    while (
      lineEnd > start &&
      (this.text.charCodeAt(lineEnd - 1) === 10 || this.text.charCodeAt(lineEnd - 1) === 13)
    ) {
      lineEnd--;
    }
    return Math.min(start + Math.max(0, position.character), lineEnd);
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))];
  }
}

/** Pushes onto `starts` the line starts s with from < s <= to (a scan may begin at any offset). */
function scanLineStarts(text: string, from: number, to: number, starts: number[]): void {
  const end = Math.min(to, text.length);
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */) {
      starts.push(i + 1);
    } else if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      if (i + 1 <= to) starts.push(i + 1);
    }
  }
}
