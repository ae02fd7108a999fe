// Folding ranges: every block (`{ }`, `< >`) and list (`[ ]`) that spans lines, and every run of two or
// more consecutive whole-line `#` comments. A closing bracket alone on its line stays visible. A client
// that keeps at most `rangeLimit` ranges gets the outermost ones only.

import { pushAll } from '../../../../common/arrays';
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
  const out: FoldingRange[] = [];
  /** `closeAt`: the closing bracket's offset; undefined for a block left open (it ends at its last token). */
  const block = (node: MessageNode | ListNode, closeAt: number | undefined) => {
    const startLine = lines.positionAt(node.start).line;
    const last = node.kind === 'message' ? node.fields.at(-1) : node.items.at(-1);
    const close = lines.positionAt(closeAt ?? last?.end ?? node.start);
    const onOwnLine = closeAt !== undefined && text.slice(lines.lineStart(close.line), closeAt).trim() === '';
    const endLine = onOwnLine ? close.line - 1 : close.line;
    if (endLine > startLine) out.push({ startLine, endLine });
  };
  const stack: FieldNode[] = [...ast.fields];
  while (stack.length > 0) {
    const value = (stack.pop() as FieldNode).value;
    if (value?.kind === 'message') {
      block(value, value.close);
      pushAll(stack, value.fields);
    } else if (value?.kind === 'list') {
      block(value, text[value.end - 1] === ']' ? value.end - 1 : undefined);
      for (const item of value.items) {
        if (item.kind !== 'message') continue;
        block(item, item.close);
        pushAll(stack, item.fields);
      }
    }
  }
  pushAll(out, commentRuns(input));
  out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  const limit = input.client.foldingRangeLimit;
  return limit !== undefined && out.length > limit ? outermost(out, limit) : out;
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
