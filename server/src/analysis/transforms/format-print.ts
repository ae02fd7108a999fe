// Prints a layout tree in the canonical layout: one field per line, `name: value`, `name {` with
// its fields indented and `}` on its own line, lists as `[a, b]`, comments where they were, at
// most one blank line in a row and none at the start or end of a block.
//
// A block stays on one line (`include { phase: TEST }`) only when it was written on one line, holds
// only scalar fields and no comments, and fits in MAX_ONE_LINE columns; an empty block is `name {}`.

import type { LayoutComment, LayoutDocument, LayoutField, LayoutMessage, LayoutValue } from './format-tree';

export interface PrintOptions {
  /** One level of indentation: spaces or a tab. */
  indent: string;
  /** Line break: '\n' or '\r\n'. */
  eol: string;
}

export const MAX_ONE_LINE = 100;

/** The printed document, ending with one line break (empty when there is nothing to print). */
export function printLayout(doc: LayoutDocument, options: PrintOptions): string {
  const lines: string[] = [];
  printFields(doc.fields, doc.closing, 0, lines, options);
  return lines.length === 0 ? '' : lines.join(options.eol) + options.eol;
}

function printFields(
  fields: readonly LayoutField[],
  closing: readonly LayoutComment[],
  depth: number,
  lines: string[],
  options: PrintOptions,
): void {
  const pad = options.indent.repeat(depth);
  const startLength = lines.length;
  const blank = (wanted: boolean) => {
    if (wanted && lines.length > startLength && lines[lines.length - 1] !== '') lines.push('');
  };
  const comment = (c: LayoutComment) => {
    blank(c.blankBefore);
    lines.push(pad + c.text);
  };
  for (const field of fields) {
    field.leading.forEach(comment);
    blank(field.blankBefore);
    printField(field, depth, lines, options);
  }
  closing.forEach(comment);
}

function printField(field: LayoutField, depth: number, lines: string[], options: PrintOptions): void {
  const pad = options.indent.repeat(depth);
  const tail = field.trailing ? ` ${field.trailing}` : '';
  const value = field.value;
  if (value.kind === 'message') {
    const inline = oneLine(value);
    if (
      inline !== undefined &&
      pad.length + field.name.length + 1 + inline.length + tail.length <= MAX_ONE_LINE
    ) {
      lines.push(`${pad}${field.name} ${inline}${tail}`);
      return;
    }
    printBlock(`${pad}${field.name} `, value, depth, lines, options);
    lines[lines.length - 1] += tail;
    return;
  }
  if (value.kind === 'scalar') {
    lines.push(`${pad}${field.name}: ${value.text}${tail}`);
    return;
  }
  if (value.items.every((i) => i.kind === 'scalar')) {
    lines.push(`${pad}${field.name}: [${value.items.map((i) => i.text).join(', ')}]${tail}`);
    return;
  }
  // A list of messages: one item per block, each block on its own lines.
  lines.push(`${pad}${field.name}: [`);
  const inner = options.indent.repeat(depth + 1);
  value.items.forEach((item, i) => {
    const comma = i < value.items.length - 1 ? ',' : '';
    if (item.kind === 'scalar') {
      lines.push(inner + item.text + comma);
      return;
    }
    const inline = oneLine(item);
    if (inline !== undefined) lines.push(inner + inline + comma);
    else {
      printBlock(inner, item, depth + 1, lines, options);
      lines[lines.length - 1] += comma;
    }
  });
  lines.push(`${pad}]${tail}`);
}

/** `{`, the fields one level deeper, `}` on its own line; `head` is what precedes the `{`. */
function printBlock(
  head: string,
  value: LayoutMessage,
  depth: number,
  lines: string[],
  options: PrintOptions,
): void {
  const open = value.openTrailing ? `{ ${value.openTrailing}` : '{';
  lines.push(head + open);
  printFields(value.fields, value.closing, depth + 1, lines, options);
  lines.push(options.indent.repeat(depth) + '}');
}

/** The block on one line (`{ a: 1 b: 2 }`, `{}`), when the rule allows it. */
function oneLine(value: LayoutMessage): string | undefined {
  if (value.openTrailing || value.closing.length > 0) return undefined;
  if (value.fields.length === 0) return '{}';
  if (!value.oneLine) return undefined;
  const parts: string[] = [];
  for (const f of value.fields) {
    const flat = flatText(f.value);
    if (f.leading.length > 0 || f.trailing || flat === undefined) return undefined;
    parts.push(`${f.name}: ${flat}`);
  }
  return `{ ${parts.join(' ')} }`;
}

/** A scalar's text or a list of scalars as `[a, b]`; undefined for anything holding a block. */
function flatText(value: LayoutValue): string | undefined {
  if (value.kind === 'scalar') return value.text;
  if (value.kind === 'message') return undefined;
  const texts: string[] = [];
  for (const item of value.items) {
    if (item.kind !== 'scalar') return undefined;
    texts.push(item.text);
  }
  return `[${texts.join(', ')}]`;
}
