// Folding ranges: every block (`{ }`, `< >`) and list (`[ ]`) that spans lines, and every run of two or
// more consecutive whole-line `#` comments. A closing bracket alone on its line stays visible. A client
// that keeps at most `rangeLimit` ranges gets the outermost ones only.

import { FoldingRangeKind, type FoldingRange, type FoldingRangeParams } from 'vscode-languageserver';
import type { FieldNode, MessageNode, ListNode } from '../../parser/ast';
import { DerivedResult, type AnalyzedDocument } from '../context';

const FOLDING = new DerivedResult<FoldingRange[]>('foldingRange');

/** The folding ranges of a version, made once (VS Code asks again after every edit and on every view). */
export function provideFoldingRanges(input: AnalyzedDocument, _params?: FoldingRangeParams): FoldingRange[] {
  return input.derived(FOLDING, () => foldingRanges(input));
}

function foldingRanges(input: AnalyzedDocument): FoldingRange[] {
  const { text, lines, ast } = input.doc;
  // Blocks in text order: a block's range is listed when it opens, so the list is in the order of
  // the ranges' starts (an outer block before the blocks inside it), and completed when it closes.
  // Openings come in increasing order, and so do closings: each line is found by walking on from the
  // line found before (on a large net a search per bracket is most of the time).
  const listed: FoldingRange[] = [];
  let openLine = 0;
  let closeLine = 0;
  /** `closeAt`: the closing bracket's offset; undefined for a block left open (it ends at its last token). */
  const block = (node: MessageNode | ListNode, closeAt: number | undefined): void => {
    openLine = lines.lineFrom(node.start, openLine);
    const range: FoldingRange = { startLine: openLine, endLine: openLine };
    listed.push(range);
    if (node.kind === 'message') fields(node.fields);
    else items(node);
    const last = node.kind === 'message' ? node.fields.at(-1) : node.items.at(-1);
    closeLine = lines.lineFrom(closeAt ?? last?.end ?? node.start, closeLine);
    const onOwnLine = closeAt !== undefined && text.slice(lines.lineStart(closeLine), closeAt).trim() === '';
    range.endLine = onOwnLine ? closeLine - 1 : closeLine;
  };
  const items = (list: ListNode): void => {
    for (const item of list.items) if (item.kind === 'message') block(item, item.close);
  };
  // The parser nests blocks at most MAX_NESTING (100) deep: the recursion is as shallow.
  const fields = (all: readonly FieldNode[]): void => {
    for (const field of all) {
      const value = field.value;
      if (value?.kind === 'message') block(value, value.close);
      else if (value?.kind === 'list') block(value, text[value.end - 1] === ']' ? value.end - 1 : undefined);
    }
  };
  fields(ast.fields);
  const out = mergeByStart(
    listed.filter((r) => r.endLine > r.startLine),
    commentRuns(input),
  );
  const limit = input.client.foldingRangeLimit;
  return limit !== undefined && out.length > limit ? outermost(out, limit) : out;
}

/** Two lists of ranges, each sorted by start (outer first), as one (a comment run shares no line with a block's start). */
function mergeByStart(a: readonly FoldingRange[], b: readonly FoldingRange[]): FoldingRange[] {
  const out: FoldingRange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x.startLine < y.startLine || (x.startLine === y.startLine && x.endLine >= y.endLine)) {
      out.push(x);
      i++;
    } else {
      out.push(y);
      j++;
    }
  }
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}

/**
 * At most `limit` of the ranges (sorted, nested): whole nesting levels from the outermost while they
 * fit, then ranges of the next level in text order up to the limit, which is what a client that keeps
 * `limit` ranges shows (VS Code keeps the outer levels): the rest need not be sent.
 */
export function outermost(ranges: readonly FoldingRange[], limit: number): FoldingRange[] {
  const levels = new Array<number>(ranges.length);
  const perLevel: number[] = [];
  const open: FoldingRange[] = [];
  ranges.forEach((r, i) => {
    // Inside the last open range when it ends no earlier than this one (they are sorted by start).
    while (open.length > 0 && (open.at(-1) as FoldingRange).endLine < r.endLine) open.pop();
    levels[i] = open.length;
    perLevel[open.length] = (perLevel[open.length] ?? 0) + 1;
    open.push(r);
  });
  let whole = 0;
  let kept = 0;
  while (whole < perLevel.length && kept + perLevel[whole] <= limit) kept += perLevel[whole++];
  let room = limit - kept;
  return ranges.filter((_, i) => levels[i] < whole || (levels[i] === whole && room-- > 0));
}

/** Runs of 2+ comments on consecutive lines, each alone on its line. */
function commentRuns(input: AnalyzedDocument): FoldingRange[] {
  const { text, lines, ast } = input.doc;
  const out: FoldingRange[] = [];
  let first = -1;
  let last = -1;
  const flush = () => {
    if (first >= 0 && last > first)
      out.push({ startLine: first, endLine: last, kind: FoldingRangeKind.Comment });
  };
  for (const comment of ast.comments) {
    const line = lines.positionAt(comment.start).line;
    if (text.slice(lines.lineStart(line), comment.start).trim() !== '') continue;
    if (line === last + 1 && first >= 0) last = line;
    else {
      flush();
      first = last = line;
    }
  }
  flush();
  return out;
}
