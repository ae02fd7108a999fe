// Selection ranges (expand / shrink selection): from the token under the cursor outward — the text
// inside a string's quotes, the value, the field, the block's contents, the block, the enclosing
// field, ... up to the whole document. Each range strictly contains the one before it.

import type { SelectionRange, SelectionRangeParams } from 'vscode-languageserver';
import type { DocumentNode, FieldNode, ScalarNode, Span, ValueNode } from '../../parser/ast';
import type { AnalyzedDocument } from '../context';

export function provideSelectionRanges(
  input: AnalyzedDocument,
  params: SelectionRangeParams,
): SelectionRange[] {
  const { doc } = input;
  return params.positions.map((position) => {
    const spans = spansAt(doc.ast, doc.text, doc.lines.offsetAt(position));
    let range: SelectionRange | undefined;
    for (const span of spans) range = { range: doc.lines.rangeOf(span.start, span.end), parent: range };
    return range as SelectionRange;
  });
}

/** The nested spans around `offset`, outermost first, each strictly inside the one before. */
export function spansAt(ast: DocumentNode, text: string, offset: number): Span[] {
  const found: Span[] = [{ start: 0, end: text.length }];
  const comment = ast.comments.find((c) => c.start <= offset && offset <= c.end);
  if (comment) found.push(comment);
  else descend(ast.fields, offset, found);
  const out: Span[] = [];
  for (const span of found) {
    const outer = out[out.length - 1];
    if (!outer) out.push(span);
    else if (contains(outer, span) && (outer.start !== span.start || outer.end !== span.end)) out.push(span);
  }
  return out;
}

function descend(fields: readonly FieldNode[], offset: number, out: Span[]): void {
  for (;;) {
    const field = pick(fields, offset);
    if (!field) return;
    out.push(field);
    if (within(field.nameSpan, offset)) {
      out.push(field.nameSpan);
      return;
    }
    const value = field.value;
    if (!value || !within(value, offset)) return;
    const next = valueSpans(value, offset, out);
    if (!next) return;
    fields = next;
  }
}

/** Pushes the spans of a value around the offset; returns the fields to descend into, if any. */
function valueSpans(value: ValueNode, offset: number, out: Span[]): readonly FieldNode[] | undefined {
  out.push(value);
  if (value.kind === 'message') return blockInside(value.fields, offset, out);
  if (value.kind === 'list') {
    const item = pick(value.items, offset);
    if (!item) return undefined;
    out.push(item);
    if (item.kind === 'message') return blockInside(item.fields, offset, out);
    scalarInside(item, out);
    return undefined;
  }
  scalarInside(value, out);
  return undefined;
}

/** The block's contents (first field to last), when the cursor is among them. */
function blockInside(fields: readonly FieldNode[], offset: number, out: Span[]): readonly FieldNode[] {
  const first = fields[0];
  const last = fields[fields.length - 1];
  if (first && last && first.start <= offset && offset <= last.end)
    out.push({ start: first.start, end: last.end });
  return fields;
}

/** Inside the quotes of a single string literal. */
function scalarInside(value: ScalarNode, out: Span[]): void {
  if (value.kind !== 'string' || value.pieces.length !== 1) return;
  const piece = value.pieces[0];
  if (piece.end - piece.start >= 3 && value.offsets[value.value.length] === piece.end - 1) {
    out.push({ start: piece.start + 1, end: piece.end - 1 });
  }
}

/** The node containing the offset; at a boundary between two, the one that starts there. */
function pick<T extends Span>(nodes: readonly T[], offset: number): T | undefined {
  let hit: T | undefined;
  for (const node of nodes) {
    if (node.start > offset) break;
    if (offset <= node.end) hit = node;
  }
  return hit;
}

function within(span: Span, offset: number): boolean {
  return span.start <= offset && offset <= span.end;
}

function contains(outer: Span, inner: Span): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}
