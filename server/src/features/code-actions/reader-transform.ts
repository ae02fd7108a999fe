// The quick fix of a data reader's transformation fields written in its own block, where a current
// `layer { }` never reads them (`reader-transform`): they move into transform_param (after its last
// field, or in a new transform_param after the reader's block), those transform_param sets already
// are left where they are. Offered when at least one field can move.

import type { CodeAction, Diagnostic } from 'vscode-languageserver';
import { unreadTransformFields } from '../../analysis/checks/reader-transform';
import type { AnalysisDiagnostic } from '../../analysis/diagnostic';
import { indentUnit, lineBreakOf } from '../../analysis/transforms/format';
import type { FieldNode, MessageNode } from '../../parser/ast';
import {
  endsLine,
  indentAt,
  insertAfter,
  mergeEdits,
  removeItem,
  type Edit,
} from '../../training/text-edits';
import type { AnalyzedDocument } from '../context';
import { preferredQuickFix, v2LayerAt } from './param-specs';

export function moveToTransformParam(
  input: AnalyzedDocument,
  d: AnalysisDiagnostic,
  lsp: Diagnostic,
): CodeAction | undefined {
  const layer = v2LayerAt(input, d.start);
  const found = layer && unreadTransformFields(layer);
  if (!found) return undefined;
  const { own, transform } = found;
  const set = new Set(transform?.fields.map((f) => f.name));
  const moving = found.fields.filter((f) => !set.has(f.name));
  if (moving.length === 0) return undefined;
  const text = input.doc.text;
  const written = moving.map((f) => text.slice(f.start, f.end).trim());
  const ownField = layer.body?.fields.find((f) => f.value === own);
  if (!ownField) return undefined;
  const eol = lineBreakOf(text);
  const unit = indentUnit(input.settings.format.indent);
  let insert: Edit;
  if (transform !== undefined) {
    insert = intoBlock(text, transform, written, unit, eol);
  } else {
    // A new block after the reader's own, laid out as that block is (on lines of its own, or one line).
    const indent = indentAt(text, ownField.start);
    const lines = endsLine(text, own.start + 1)
      ? ['transform_param {', ...written.map((w) => unit + w), '}']
      : [`transform_param { ${written.join(' ')} }`];
    insert = insertAfter(text, ownField.end, lines, indent, eol);
  }
  let edits: Edit[];
  try {
    edits = mergeEdits([insert, ...moving.map((f) => removeItem(text, f.start, f.end))]);
  } catch {
    // Fields laid out so that the edits would overlap: no fix rather than a broken one.
    return undefined;
  }
  const names = moving.map((f) => f.name).join(', ');
  return preferredQuickFix(input, `Move ${names} into transform_param`, lsp, edits);
}

/** The fields written at the end of an existing block (after its last field, else after its opener). */
function intoBlock(
  text: string,
  block: MessageNode,
  written: readonly string[],
  unit: string,
  eol: string,
): Edit {
  const last: FieldNode | undefined = block.fields[block.fields.length - 1];
  if (last) return insertAfter(text, last.end, written, indentAt(text, last.start), eol);
  return insertAfter(text, block.start + 1, written, indentAt(text, block.start) + unit, eol);
}
