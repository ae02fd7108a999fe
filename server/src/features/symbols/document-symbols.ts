// The outline: for a net, its name, legacy inputs and layers (`name (Type)`, its tops as detail; V2,
// V1 and V0 alike) with their bottoms, tops and parameter blocks as children; for a solver, its fields
// as properties, an embedded net listed like a net; anything else (a label map) as a plain tree of fields.

import { SymbolKind, type DocumentSymbol, type DocumentSymbolParams } from 'vscode-languageserver';
import { buildNet, type NetLayer, type NetModel } from '../../analysis/model/net';
import { firstField, scalarText } from '../../analysis/model/net-read';
import { SOLVER } from '../../analysis/model/top-message';
import type { DocumentNode, FieldNode, MessageNode, Span, ValueNode } from '../../parser/ast';
import type { LineIndex } from '../../util/ranges';
import type { AnalyzedDocument } from '../context';
import { embeddedNet } from '../../analysis/model/embedded-nets';

/** Nested blocks listed in the plain tree, below the top level. */
const MAX_DEPTH = 4;
const MAX_DETAIL = 60;

export function provideDocumentSymbols(
  input: AnalyzedDocument,
  _params?: DocumentSymbolParams,
): DocumentSymbol[] {
  const { analysis } = input;
  const lines = input.doc.lines;
  if (analysis.net) return netSymbols(analysis.net, analysis.ast, lines);
  if (analysis.topMessage.name === SOLVER) return analysis.ast.fields.map((f) => solverField(f, lines));
  return analysis.ast.fields.map((f) => plainField(f, lines, 0));
}

function netSymbols(net: NetModel, body: DocumentNode | MessageNode, lines: LineIndex): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  const nameField = firstField(body.fields, 'name');
  if (nameField?.value && net.name !== undefined) {
    out.push(symbol(net.name || '""', 'net name', SymbolKind.Module, nameField, nameField.value, lines));
  }
  for (const input of net.inputs) {
    const shape = input.shape ? ` ${input.shape.join('×')}` : '';
    out.push(symbol(input.name || '""', `input${shape}`, SymbolKind.Variable, input.span, input.span, lines));
  }
  for (const layer of net.layers) out.push(layerSymbol(layer, lines));
  return out.sort((a, b) => compare(a, b));
}

function layerSymbol(layer: NetLayer, lines: LineIndex): DocumentSymbol {
  const name = `${layer.name || '(unnamed)'} (${layer.type || '?'})`;
  // A name written as a block (recovery) has no text: select the `layer` keyword instead.
  const selection = layer.name !== '' && layer.nameSpan ? layer.nameSpan : layer.node.nameSpan;
  const phases = layer.include.map((r) => r.phase).filter((p) => p !== undefined);
  // The tops (what the layer makes) after the short label; the bottoms are among the children.
  const tops = layer.tops.map((t) => t.name).join(', ');
  const detail = phases.length > 0 ? `${tops} · ${[...new Set(phases)].join(', ')}` : tops;
  const children: DocumentSymbol[] = [];
  for (const b of layer.bottoms)
    children.push(symbol(b.name || '""', 'bottom', SymbolKind.Variable, b.span, b.span, lines));
  for (const t of layer.tops)
    children.push(symbol(t.name || '""', 'top', SymbolKind.Variable, t.span, t.span, lines));
  for (const f of layer.body?.fields ?? []) {
    if (!f.name.endsWith('_param') || f.value?.kind !== 'message') continue;
    children.push(plainField(f, lines, MAX_DEPTH - 1));
  }
  const sym = symbol(clip(name), clip(detail), SymbolKind.Function, layer.node, selection, lines);
  sym.children = children.sort(compare);
  return sym;
}

function solverField(field: FieldNode, lines: LineIndex): DocumentSymbol {
  const embedded = embeddedNet(field);
  if (embedded && field.value?.kind === 'message') {
    const body = field.value;
    const net = buildNet(embedded);
    const sym = symbol(field.name, net.name ?? 'net', SymbolKind.Module, field, field.nameSpan, lines);
    sym.children = netSymbols(net, body, lines);
    return sym;
  }
  return plainField(field, lines, 0, SymbolKind.Property);
}

/** A field with its scalar value as detail, or its block's fields as children. */
function plainField(field: FieldNode, lines: LineIndex, depth: number, kind?: SymbolKind): DocumentSymbol {
  const value = field.value;
  const blocks = messagesOf(value);
  if (blocks.length === 0) {
    const detail = valueText(value);
    return symbol(field.name || '?', detail, kind ?? SymbolKind.Property, field, field.nameSpan, lines);
  }
  // A block named by its own `name` (label map items, `layer`s outside a net) reads better that way.
  const own = scalarText(firstField(blocks[0].fields, 'name')?.value);
  const shown = scalarText(firstField(blocks[0].fields, 'display_name')?.value);
  const detail = own !== undefined ? (shown !== undefined ? `${own} (${shown})` : own) : '';
  const sym = symbol(
    field.name || '?',
    clip(detail),
    kind ?? SymbolKind.Object,
    field,
    field.nameSpan,
    lines,
  );
  if (depth < MAX_DEPTH) {
    sym.children = blocks.flatMap((b) => b.fields.map((f) => plainField(f, lines, depth + 1)));
  }
  return sym;
}

function messagesOf(value: ValueNode | undefined): MessageNode[] {
  if (value?.kind === 'message') return [value];
  if (value?.kind === 'list') return value.items.filter((i): i is MessageNode => i.kind === 'message');
  return [];
}

function valueText(value: ValueNode | undefined): string {
  if (value === undefined) return '';
  if (value.kind === 'list') return clip(`[${value.items.map((i) => scalarText(i) ?? '{…}').join(', ')}]`);
  return clip(scalarText(value) ?? '');
}

function clip(text: string): string {
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL - 1)}…` : text;
}

function symbol(
  name: string,
  detail: string,
  kind: SymbolKind,
  range: Span,
  selection: Span,
  lines: LineIndex,
): DocumentSymbol {
  // The selection must lie inside the range, even in a tree that error recovery cut short.
  const start = Math.min(range.start, selection.start);
  const end = Math.max(range.end, selection.end);
  return {
    name,
    detail,
    kind,
    range: lines.rangeOf(start, end),
    selectionRange: lines.rangeOf(selection.start, selection.end),
  };
}

function compare(a: DocumentSymbol, b: DocumentSymbol): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}
