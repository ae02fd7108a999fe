// The formatter: text in, canonically laid-out text out (see format-print.ts for the layout).
// Pure; never changes what the document means, keeps every comment, and is idempotent. A document
// with syntax errors is not formatted (undefined) rather than guessed at.
//
//   formatText(text, options, ast?)             -> string | undefined
//   formatRange(text, start, end, options, ast?) -> TextChange | undefined (whole top-level fields)
//   minimalChange(before, after)                -> TextChange | undefined (undefined when equal)

import type { DocumentNode } from '../../parser/ast';
import { parse } from '../../parser/parse';
import { printLayout, type PrintOptions } from './format-print';
import { layoutTopFields, layoutTree } from './format-tree';

export interface FormatOptions {
  /** One level of indentation: spaces or a tab. */
  indent: string;
  /** Line break; by default the document's first one (or '\n'). */
  eol?: string;
}

/** Replace [start, end) of the old text by `newText`. */
export interface TextChange {
  start: number;
  end: number;
  newText: string;
}

/** The indentation unit: `prototxt.format.indent` spaces, or the editor's options when it is 0. */
export function indentUnit(
  settingIndent: number,
  editor?: { tabSize: number; insertSpaces: boolean },
): string {
  if (settingIndent > 0 || !editor) return ' '.repeat(settingIndent > 0 ? settingIndent : 2);
  if (!editor.insertSpaces) return '\t';
  return ' '.repeat(Math.max(1, Math.min(16, Math.round(editor.tabSize) || 2)));
}

/** The line break the document uses (its first one), '\n' when it has none. */
export function lineBreakOf(text: string): string {
  const i = text.search(/[\r\n]/);
  if (i < 0) return '\n';
  if (text[i] === '\n') return '\n';
  return text[i + 1] === '\n' ? '\r\n' : '\r';
}

/** The whole document formatted; undefined when it has syntax errors. */
export function formatText(
  text: string,
  options: FormatOptions,
  ast: DocumentNode = parse(text),
): string | undefined {
  if (ast.errors.length > 0) return undefined;
  return printLayout(layoutTree(text, ast), printOptions(text, options));
}

/**
 * Formats the smallest run of whole top-level fields that covers [start, end]: the change replaces
 * them (from the start of the first one's line to the end of the last one, its trailing comment
 * included). Undefined when the document has syntax errors or no field meets the range.
 */
export function formatRange(
  text: string,
  start: number,
  end: number,
  options: FormatOptions,
  ast: DocumentNode = parse(text),
): TextChange | undefined {
  if (ast.errors.length > 0) return undefined;
  const tops = ast.fields;
  const meets = (f: { start: number; end: number }) =>
    start === end ? f.start <= start && start <= f.end : f.start < end && f.end > start;
  const first = tops.findIndex(meets);
  if (first < 0) return undefined;
  let last = first;
  while (last + 1 < tops.length && meets(tops[last + 1])) last++;
  const chosen = layoutTopFields(text, ast, first, last);
  chosen[0] = { ...chosen[0], leading: [], blankBefore: false };
  let from = tops[first].start;
  const lineStart = Math.max(text.lastIndexOf('\n', from - 1), text.lastIndexOf('\r', from - 1)) + 1;
  if (/^[ \t]*$/.test(text.slice(lineStart, from))) from = lineStart;
  const to = endWithTrailingComment(text, ast, tops[last].end);
  const opts = printOptions(text, options);
  const printed = printLayout({ fields: chosen, closing: [] }, opts);
  const newText = printed.endsWith(opts.eol) ? printed.slice(0, -opts.eol.length) : printed;
  return text.slice(from, to) === newText ? undefined : { start: from, end: to, newText };
}

/** One change turning `before` into `after`: what lies between their common prefix and suffix. */
export function minimalChange(before: string, after: string): TextChange | undefined {
  if (before === after) return undefined;
  let prefix = 0;
  const max = Math.min(before.length, after.length);
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < max - prefix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix++;
  }
  // Never split a CRLF pair or a surrogate pair between the kept and the replaced text.
  while (prefix > 0 && (splits(before, prefix) || splits(after, prefix))) prefix--;
  while (suffix > 0 && (splits(before, before.length - suffix) || splits(after, after.length - suffix)))
    suffix--;
  return { start: prefix, end: before.length - suffix, newText: after.slice(prefix, after.length - suffix) };
}

function splits(text: string, at: number): boolean {
  const prev = text.charCodeAt(at - 1);
  const next = text.charCodeAt(at);
  return (
    (prev === 13 && next === 10) || (prev >= 0xd800 && prev <= 0xdbff && next >= 0xdc00 && next <= 0xdfff)
  );
}

function printOptions(text: string, options: FormatOptions): PrintOptions {
  return { indent: options.indent, eol: options.eol ?? lineBreakOf(text) };
}

/** `end`, moved past a comment that follows on the same line (only blanks and separators before it). */
function endWithTrailingComment(text: string, ast: DocumentNode, end: number): number {
  const comment = ast.comments.find((c) => c.start >= end);
  if (comment && /^[ \t\f\v;,]*$/.test(text.slice(end, comment.start))) return comment.end;
  return end;
}
