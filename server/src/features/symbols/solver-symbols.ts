// The outline of a net file starts with the solvers of the workspace that build it, each with the
// phases it builds the net in (`TRAIN (net), TEST (net)`), placed on the net's name (or its first line).

import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import { firstField } from '../../analysis/model/net-read';
import type { AnalyzedDocument, Services } from '../context';
import { solverLabel, solverUsesOf, usesBySolver } from '../shared/net-solvers';

export function solverSymbols(input: AnalyzedDocument, services: Services | undefined): DocumentSymbol[] {
  const uses = solverUsesOf(input, services);
  if (uses.length === 0) return [];
  const name = firstField(input.analysis.ast.fields, 'name');
  const range = name
    ? input.doc.lines.rangeOf(name.start, name.end)
    : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return usesBySolver(uses).map(([solver, list]) => ({
    name: `solver ${solverLabel(solver, services?.roots ?? [])}`,
    detail: list.join(', '),
    kind: SymbolKind.Event,
    range,
    selectionRange: range,
  }));
}
