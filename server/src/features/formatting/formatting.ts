// textDocument/formatting and textDocument/rangeFormatting: the canonical layout of
// analysis/format.ts as one minimal edit. A document with syntax errors gets no edits.

import type {
  DocumentFormattingParams,
  DocumentRangeFormattingParams,
  FormattingOptions,
  TextEdit,
} from 'vscode-languageserver';
import {
  formatRange,
  formatText,
  indentUnit,
  minimalChange,
  type TextChange,
} from '../../analysis/transforms/format';
import type { AnalyzedDocument } from '../context';

export function provideDocumentFormatting(
  input: AnalyzedDocument,
  params: DocumentFormattingParams,
): TextEdit[] {
  const { doc } = input;
  const formatted = formatText(doc.text, { indent: indentOf(input, params.options) }, doc.ast);
  if (formatted === undefined) return [];
  return toEdits(input, minimalChange(doc.text, formatted));
}

export function provideDocumentRangeFormatting(
  input: AnalyzedDocument,
  params: DocumentRangeFormattingParams,
): TextEdit[] {
  const { doc } = input;
  const start = doc.lines.offsetAt(params.range.start);
  const end = doc.lines.offsetAt(params.range.end);
  const change = formatRange(doc.text, start, end, { indent: indentOf(input, params.options) }, doc.ast);
  if (!change) return [];
  // Narrow the replacement to what actually differs.
  const old = doc.text.slice(change.start, change.end);
  const inner = minimalChange(old, change.newText);
  return toEdits(
    input,
    inner && { ...inner, start: inner.start + change.start, end: inner.end + change.start },
  );
}

/** `prototxt.format.indent` spaces; when it is 0, the editor's tab size / tabs. */
function indentOf(input: AnalyzedDocument, options: FormattingOptions | undefined): string {
  const editor =
    options && typeof options.tabSize === 'number'
      ? { tabSize: options.tabSize, insertSpaces: options.insertSpaces !== false }
      : undefined;
  return indentUnit(input.settings.format.indent, editor);
}

function toEdits(input: AnalyzedDocument, change: TextChange | undefined): TextEdit[] {
  if (!change) return [];
  return [{ range: input.doc.lines.rangeOf(change.start, change.end), newText: change.newText }];
}
