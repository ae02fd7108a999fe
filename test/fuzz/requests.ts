// Every request kind the server answers, with params at a position in a document, and the check of
// each answer's ranges against the text the request was made for.

import type { Position, Range } from 'vscode-languageserver-protocol';
import type { Random } from './mutate';
import { int, pick } from './mutate';

export interface Lines {
  /** Length of each line, without its line break. */
  lengths: number[];
  /** Length of each line's break (1, or 2 for \r\n); the last line has none. */
  breaks: number[];
}

/** Lines as LSP counts them: broken at \r\n, \r and \n. */
export function linesOf(text: string): Lines {
  const lengths: number[] = [];
  const breaks: number[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 10 && c !== 13) continue;
    lengths.push(i - start);
    const crlf = c === 13 && text.charCodeAt(i + 1) === 10;
    breaks.push(crlf ? 2 : 1);
    if (crlf) i++;
    start = i + 1;
  }
  lengths.push(text.length - start);
  return { lengths, breaks };
}

export function randomPosition(lines: Lines, random: Random): Position {
  const line = int(random, lines.lengths.length);
  return { line, character: int(random, lines.lengths[line] + 1) };
}

export const REQUEST_KINDS = [
  'textDocument/completion',
  'textDocument/hover',
  'textDocument/definition',
  'textDocument/references',
  'textDocument/prepareRename',
  'textDocument/rename',
  'textDocument/documentSymbol',
  'textDocument/foldingRange',
  'textDocument/selectionRange',
  'textDocument/formatting',
  'textDocument/rangeFormatting',
  'textDocument/codeAction',
  'textDocument/codeLens',
  'textDocument/inlayHint',
  'prototxt/graph',
  'prototxt/upgradeNet',
  'prototxt/listSchemas',
] as const;

export type RequestKind = (typeof REQUEST_KINDS)[number];

/** The params of a `kind` request about `uri` at a random place in it. */
export function requestParams(kind: RequestKind, uri: string, lines: Lines, random: Random): unknown {
  const textDocument = { uri };
  const position = randomPosition(lines, random);
  const a = randomPosition(lines, random);
  const b = randomPosition(lines, random);
  const range: Range =
    a.line < b.line || (a.line === b.line && a.character <= b.character)
      ? { start: a, end: b }
      : { start: b, end: a };
  switch (kind) {
    case 'textDocument/references':
      return { textDocument, position, context: { includeDeclaration: random() < 0.5 } };
    case 'textDocument/rename':
      return { textDocument, position, newName: pick(random, ['renamed', 'x', 'a b', '"q"']) };
    case 'textDocument/selectionRange':
      return { textDocument, positions: [position, randomPosition(lines, random)] };
    case 'textDocument/formatting':
      return { textDocument, options: { tabSize: 2, insertSpaces: true } };
    case 'textDocument/rangeFormatting':
      return { textDocument, range, options: { tabSize: 4, insertSpaces: random() < 0.5 } };
    case 'textDocument/codeAction':
      return { textDocument, range, context: { diagnostics: [] } };
    case 'textDocument/documentSymbol':
    case 'textDocument/foldingRange':
    case 'textDocument/codeLens':
      return { textDocument };
    case 'textDocument/inlayHint':
      return { textDocument, range };
    case 'prototxt/graph':
      return { uri, phase: random() < 0.5 ? 'TRAIN' : 'TEST' };
    case 'prototxt/upgradeNet':
    case 'prototxt/listSchemas':
      return { uri };
    default:
      return { textDocument, position };
  }
}

/** Problems with the ranges in an answer: each must lie in the document (an end may sit at a line's end). */
export function rangeProblems(result: unknown, uri: string, lines: Lines): string[] {
  const problems: string[] = [];
  const checkPosition = (p: Position, where: string) => {
    if (!Number.isInteger(p.line) || !Number.isInteger(p.character) || p.line < 0 || p.character < 0)
      problems.push(`${where}: ${JSON.stringify(p)} is not a position`);
    else if (p.line >= lines.lengths.length) problems.push(`${where}: line ${p.line} past the last line`);
    else if (p.character > lines.lengths[p.line])
      problems.push(`${where}: character ${p.character} past the end of line ${p.line}`);
  };
  const visit = (value: unknown, where: string, sameDocument: boolean, depth: number): void => {
    if (depth > 64 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${where}[${i}]`, sameDocument, depth + 1));
      return;
    }
    const record = value as Record<string, unknown>;
    // A Location or LocationLink elsewhere is not checked against this text.
    const target =
      typeof record.uri === 'string'
        ? record.uri
        : typeof record.targetUri === 'string'
          ? record.targetUri
          : undefined;
    const here = target === undefined ? sameDocument : target === uri;
    if (isRange(record) && here) {
      checkPosition(record.start as Position, `${where}.start`);
      checkPosition(record.end as Position, `${where}.end`);
      const s = record.start as Position;
      const e = record.end as Position;
      if (s.line > e.line || (s.line === e.line && s.character > e.character))
        problems.push(`${where}: start after end`);
    }
    if (isPosition(record) && here && where.endsWith('position'))
      checkPosition(record as unknown as Position, where);
    if (typeof record.startLine === 'number' && here && typeof record.endLine === 'number') {
      if (record.startLine < 0 || record.endLine >= lines.lengths.length || record.startLine > record.endLine)
        problems.push(`${where}: folding ${record.startLine}-${record.endLine} outside the document`);
    }
    for (const [key, v] of Object.entries(record)) {
      if (key === 'documentChanges' || key === 'changes') continue; // edits may name other documents
      visit(v, `${where}.${key}`, here, depth + 1);
    }
  };
  visit(result, 'result', true, 0);
  return problems;
}

function isRange(v: Record<string, unknown>): boolean {
  return isPositionLike(v.start) && isPositionLike(v.end);
}

function isPosition(v: Record<string, unknown>): boolean {
  return typeof v.line === 'number' && typeof v.character === 'number';
}

function isPositionLike(v: unknown): boolean {
  return v !== null && typeof v === 'object' && isPosition(v as Record<string, unknown>);
}
