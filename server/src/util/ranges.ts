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
  /** Offset at which each line starts, up to `scanned`. */
  private readonly lineStarts: number[];
  /**
   * How far the text has been scanned for line starts: a position is found by scanning only as far
   * as it (a large file's diagnostics near its top do not need every line), and a line's offset by
   * scanning as far as the line; the line count and an edit's index read them all.
   */
  private scanned: number;
  /** Where the first "\r" at or after `scanned` was found: -1 for none to the end of the text, -2 when not looked for yet. */
  private nextCr = -2;

  /** `starts`: the line starts of `text` when they are known already. */
  constructor(
    private readonly text: string,
    starts?: number[],
  ) {
    this.lineStarts = starts ?? [0];
    this.scanned = starts === undefined ? 0 : text.length;
  }

  /** Scans on to `offset` at least (on further, doubling what is scanned, so that scans stay linear). */
  private scanTo(offset: number): void {
    if (offset <= this.scanned) return;
    const to = Math.min(this.text.length, Math.max(offset, 2 * this.scanned + SCAN_STEP));
    if (this.nextCr !== -1 && this.nextCr < this.scanned) this.nextCr = this.text.indexOf('\r', this.scanned);
    // Without a "\r" in the way (most texts), each line ends at the next "\n", which indexOf finds
    // about twice as fast as a loop over the characters (a first hover deep in a 20 MB net scans half of it).
    if (this.nextCr === -1 || this.nextCr >= to) scanNewlines(this.text, this.scanned, to, this.lineStarts);
    else scanLineStarts(this.text, this.scanned, to, this.lineStarts);
    this.scanned = to;
  }

  /** Scans on until the starts of lines `line` and `line + 1` are known, or the text ends. */
  private scanToLine(line: number): number[] {
    while (this.lineStarts.length <= line + 1 && this.scanned < this.text.length)
      this.scanTo(this.scanned + 1);
    return this.lineStarts;
  }

  /** Every line start. */
  private get allStarts(): number[] {
    this.scanTo(this.text.length);
    return this.lineStarts;
  }

  /**
   * The line index of `text`, made from the index of the text before an edit: the line starts before
   * the changed region are kept, those in it found again, and those after it moved.
   */
  static afterEdit(previous: LineIndex, text: string, region: ChangedRegion): LineIndex {
    const old = previous.allStarts;
    const { from, oldEnd, newEnd } = region;
    // A line starts at s when the character before s ends a line: "\n", or "\r" not followed by "\n".
    // So a start depends on the characters at s - 1 and s only: those before `from` are kept, and a
    // scan from `from - 1` finds those from `from` on.
    let kept = 0;
    while (kept < old.length && old[kept] < from) kept++;
    const scanned: number[] = kept === 0 ? [0] : [];
    scanLineStarts(text, Math.max(0, from - 1), newEnd, scanned);
    // Starts after the region: the characters at s - 1 and s are past its end in both texts.
    const delta = newEnd - oldEnd;
    let after = kept;
    while (after < old.length && old[after] <= oldEnd) after++;
    // Written into a list of its final length: one grown by push for every line of a large file is
    // copied at each growth, and the copies are a large share of what a keystroke allocates.
    const starts = new Array<number>(kept + scanned.length + old.length - after);
    let n = 0;
    for (let i = 0; i < kept; i++) starts[n++] = old[i];
    for (let i = 0; i < scanned.length; i++) starts[n++] = scanned[i];
    for (let i = after; i < old.length; i++) starts[n++] = old[i] + delta;
    return new LineIndex(text, starts);
  }

  get lineCount(): number {
    return this.allStarts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    this.scanTo(clamped);
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: clamped - starts[lo] };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    const starts = this.scanToLine(position.line);
    if (position.line >= starts.length) return this.text.length;
    const start = starts[position.line];
    const next = position.line + 1 < starts.length ? starts[position.line + 1] : this.text.length;
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

  /**
   * The line of `offset` found by walking from line `from` (any line: the nearer, the shorter the
   * walk): for offsets asked in increasing order, each from the line of the one before, the walks add
   * up to one pass over the lines.
   */
  lineFrom(offset: number, from: number): number {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    this.scanTo(clamped);
    const starts = this.lineStarts;
    let line = Math.max(0, Math.min(from, starts.length - 1));
    while (line > 0 && starts[line] > clamped) line--;
    while (line + 1 < starts.length && starts[line + 1] <= clamped) line++;
    return line;
  }

  lineStart(line: number): number {
    const starts = this.scanToLine(Math.max(0, line));
    return starts[Math.max(0, Math.min(line, starts.length - 1))];
  }
}

/** What a position's first scan covers at least (a few thousand lines). */
const SCAN_STEP = 64 * 1024;

/** `scanLineStarts` for a stretch of text without "\r". */
function scanNewlines(text: string, from: number, to: number, starts: number[]): void {
  const end = Math.min(to, text.length);
  for (let i = text.indexOf('\n', from); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
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
