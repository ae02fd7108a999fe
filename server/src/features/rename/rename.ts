// Rename a blob, a layer or a shared param name: every occurrence of the same thing in the same net
// is rewritten. The new name is the name itself (not an escaped literal); a backslash in it is
// written as `\\`. Only the text between the quotes changes, so each value keeps its quote style.
// Refused with a message: positions that hold no name, empty or invalid names (quotes, whitespace,
// control characters) and names that another blob / layer / param of the net already has.

import {
  LSPErrorCodes,
  ResponseError,
  type PrepareRenameParams,
  type Range,
  type RenameParams,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import {
  namesOfKind,
  occurrenceAt,
  occurrencesOf,
  type NameKind,
  type NameOccurrence,
} from '../../analysis/model/names';
import { namesOf } from '../shared/name-index';
import type { ScalarNode, Span } from '../../parser/ast';
import type { AnalyzedDocument } from '../context';

const KIND_LABEL: Record<NameKind, string> = { blob: 'blob', layer: 'layer', param: 'shared param' };
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function providePrepareRename(
  input: AnalyzedDocument,
  params: PrepareRenameParams,
): { range: Range; placeholder: string } {
  const occ = nameAt(input, params.position);
  const span = contentSpan(input.doc.text, occ.value);
  return { range: input.doc.lines.rangeOf(span.start, span.end), placeholder: occ.name };
}

export function provideRename(input: AnalyzedDocument, params: RenameParams): WorkspaceEdit {
  const { doc } = input;
  const index = namesOf(input);
  const occ = occurrenceAt(index, doc.lines.offsetAt(params.position));
  if (!occ) throw refusal(NOT_A_NAME);
  const newName = params.newName;
  const invalid = invalidName(newName);
  if (invalid) throw refusal(`Cannot rename to ${JSON.stringify(newName)}: ${invalid}`);
  if (newName === occ.name) return editOf(input, []);
  if (namesOfKind(index, occ.scope, occ.kind).has(newName)) {
    const what = KIND_LABEL[occ.kind];
    throw refusal(
      `Cannot rename ${what} "${occ.name}" to "${newName}": a ${what} named "${newName}" already exists in this net, and the two would become one.`,
    );
  }
  const edits = occurrencesOf(index, occ).map((o) => editFor(doc.text, o, newName, doc.lines));
  return editOf(input, edits);
}

/**
 * The edits as a workspace edit: tied to the document version they were computed for when the
 * client supports it (the client then refuses them if the text changed meanwhile).
 */
function editOf(input: AnalyzedDocument, edits: TextEdit[]): WorkspaceEdit {
  const { uri, version } = input.doc;
  if (input.client.versionedEdits) return { documentChanges: [{ textDocument: { uri, version }, edits }] };
  return { changes: { [uri]: edits } };
}

const NOT_A_NAME =
  'Only a blob name (top, bottom or input), a layer name or a shared param name can be renamed here.';

function nameAt(input: AnalyzedDocument, position: PrepareRenameParams['position']): NameOccurrence {
  const occ = occurrenceAt(namesOf(input), input.doc.lines.offsetAt(position));
  if (!occ) throw refusal(NOT_A_NAME);
  return occ;
}

function refusal(message: string): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestFailed, message);
}

/** Why a new name cannot be used, or undefined when it can. */
export function invalidName(name: string): string | undefined {
  if (name.length === 0) return 'a name cannot be empty.';
  if (/["']/.test(name)) return 'a name cannot contain quotes.';
  if (/[\r\n]/.test(name)) return 'a name cannot contain line breaks.';
  if (/\s/.test(name)) return 'a name cannot contain whitespace (Caffe reads it as a separator).';
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(name)) return 'a name cannot contain control characters.';
  return undefined;
}

/** The new name as the inside of a string literal. Quotes and control characters are refused earlier. */
function escaped(name: string): string {
  return name.replace(/\\/g, '\\\\');
}

/**
 * The part of a value that a rename replaces: inside the quotes of a single, closed string literal;
 * otherwise the whole value (rewritten as one literal).
 */
function contentSpan(text: string, value: ScalarNode): Span {
  if (value.kind === 'string' && isSingleClosedLiteral(text, value)) {
    return { start: value.start + 1, end: value.end - 1 };
  }
  return { start: value.start, end: value.end };
}

function isSingleClosedLiteral(text: string, value: ScalarNode): boolean {
  if (value.kind !== 'string' || value.pieces.length !== 1) return false;
  const piece = value.pieces[0];
  const quote = text[piece.start];
  return piece.end - piece.start >= 2 && text[piece.end - 1] === quote;
}

function editFor(
  text: string,
  occ: NameOccurrence,
  newName: string,
  lines: AnalyzedDocument['doc']['lines'],
): TextEdit {
  const value = occ.value;
  let newText: string;
  if (isSingleClosedLiteral(text, value)) newText = escaped(newName);
  else if (value.kind === 'string') {
    const quote = text[value.start] === "'" ? "'" : '"';
    newText = quote + escaped(newName) + quote;
  } else if (value.kind === 'identifier' && IDENTIFIER.test(newName)) newText = newName;
  else newText = `"${escaped(newName)}"`;
  const span = contentSpan(text, value);
  return { range: lines.rangeOf(span.start, span.end), newText };
}
