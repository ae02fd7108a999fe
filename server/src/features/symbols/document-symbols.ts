// The outline: for a net, its name, legacy inputs and layers (`name (Type)`, its tops as detail; V2,
// V1 and V0 alike) with their bottoms, tops and parameter blocks as children; for a solver, its fields
// as properties, an embedded net listed like a net; a net file first names the solvers that build it
// (symbols/solver-symbols.ts); anything else (a label map) as a plain tree of fields.
//
// What helps navigation, not every field: a parameter block is one item (its fields are a click
// away), so a 14k-line net is an outline of its layers rather than tens of thousands of items. At
// most `MAX_OUTLINE_ITEMS` items are listed, the upper levels first (all layers before any of their
// blobs); past that, one last item says how many were left out and leads to the first of them. The
// outline of a version is made once: VS Code asks for it after every edit, for the outline view and
// the breadcrumbs, and again when either is shown (the solvers, which other files decide, are read anew).

import { SymbolKind, type DocumentSymbol, type DocumentSymbolParams } from 'vscode-languageserver';
import { buildNet, type NetLayer, type NetModel } from '../../analysis/model/net';
import { firstField, scalarText } from '../../analysis/model/net-read';
import { SOLVER } from '../../analysis/model/top-message';
import type { DocumentNode, FieldNode, MessageNode, Span, ValueNode } from '../../parser/ast';
import type { LineIndex } from '../../util/ranges';
import { DerivedResult, type AnalyzedDocument, type Services } from '../context';
import { solverSymbols } from './solver-symbols';
import { embeddedNet } from '../../analysis/model/embedded-nets';

/** Items listed at most, all levels together (VS Code's own JSON outline stops at 5,000 too). */
export const MAX_OUTLINE_ITEMS = 5000;
/** Nested blocks listed in the plain tree (label maps, solver fields), below the top level. */
const MAX_DEPTH = 4;
const MAX_DETAIL = 60;

/** The outline of a version, and the symbols of its layers for the next version to take over. */
interface Outline {
  symbols: DocumentSymbol[];
  layers: LayerSymbols;
}

/**
 * Layers' symbols (with their children) by the layer's text: the same text starting at the same line
 * and character gives the same symbols, since every position in them follows from those.
 */
type LayerSymbols = Map<string, { line: number; character: number; made: Made }>;

/** A symbol made with all its children, and how many symbols that is. */
interface Made {
  symbol: DocumentSymbol;
  count: number;
}

const OUTLINE = new DerivedResult<Outline>('documentSymbol', true);

export function provideDocumentSymbols(
  input: AnalyzedDocument,
  _params?: DocumentSymbolParams,
  services?: Services,
): DocumentSymbol[] {
  const outline = input.derivedAfter(OUTLINE, (before) =>
    outlineOf(input, MAX_OUTLINE_ITEMS, before?.layers),
  ).symbols;
  const solvers = input.analysis.net ? solverSymbols(input, services) : [];
  return solvers.length > 0 ? [...solvers, ...outline] : outline;
}

/** The outline of `input`, listing at most `limit` items. */
export function documentOutline(input: AnalyzedDocument, limit = MAX_OUTLINE_ITEMS): DocumentSymbol[] {
  return outlineOf(input, limit).symbols;
}

/**
 * The outline of `input`: the whole tree when it has at most `limit` items, taking over the symbols
 * of the layers an edit left where they were from `before` (the previous version's), else the
 * upper levels first.
 */
function outlineOf(input: AnalyzedDocument, limit: number, before?: LayerSymbols): Outline {
  const { analysis } = input;
  const lines = input.doc.lines;
  const layers: LayerSymbols = new Map();
  let items: Item[];
  let rest: Rest | undefined;
  // Only in a tree parsed without problems does a layer's text read the same wherever it stands.
  const reuse = analysis.ast.errors.length === 0 ? { text: input.doc.text, before, layers } : undefined;
  if (analysis.net) {
    items = netItems(analysis.net, analysis.ast, lines, reuse, limit);
    rest = restOf(analysis.net, items, lines, limit);
  } else if (analysis.topMessage.name === SOLVER)
    items = analysis.ast.fields.map((f) => solverField(f, lines, reuse));
  else items = analysis.ast.fields.map((f) => plainField(f, lines, 0));
  return { symbols: (rest ? undefined : listAll(items, limit)) ?? listAtMost(items, limit, rest), layers };
}

/** Layers past the first `limit` of a net, counted rather than made into items (none is listed). */
interface Rest {
  count: number;
  first: Item;
}

/**
 * The layers `netItems` left out (past the first `limit`), when every item it made starts before
 * them, so that in text order they are exactly the items the outline stops before.
 */
function restOf(net: NetModel, items: Item[], lines: LineIndex, limit: number): Rest | undefined {
  if (net.layers.length <= limit) return undefined;
  const first = net.layers[limit];
  if (items.some((item) => item.start > first.node.start)) return undefined;
  return { count: net.layers.length - limit, first: layerItem(first, lines) };
}

/** Where a net's layer symbols are kept for the next version, and taken over from the last one. */
interface LayerReuse {
  text: string;
  before?: LayerSymbols;
  layers: LayerSymbols;
}

/** A symbol not made yet: where it starts, how to make it, and its children (not made either). */
interface Item {
  start: number;
  make(): DocumentSymbol;
  children(): Item[];
  /** The symbol with all its children, made or taken over (when this item can be). */
  whole?(): Made;
}

/** Every item with all its children, when that is `limit` symbols at most; else undefined. */
function listAll(items: Item[], limit: number): DocumentSymbol[] | undefined {
  // Each item is a symbol at least: more items than that never fit.
  if (items.length > limit) return undefined;
  const roots: DocumentSymbol[] = [];
  let left = limit;
  for (const item of sorted(items)) {
    const made = wholeOf(item, left);
    if (made === undefined) return undefined;
    left -= made.count;
    roots.push(made.symbol);
  }
  return roots;
}

/** The symbol of `item` with all its children, taken over or made, when that is `limit` symbols at most. */
function wholeOf(item: Item, limit: number): Made | undefined {
  if (!item.whole) return makeWhole(item, limit);
  const made = item.whole();
  return made.count > limit ? undefined : made;
}

/** The symbol of `item` with all its children made, when that is `limit` symbols at most. */
function makeWhole(item: Item, limit: number): Made | undefined {
  if (limit < 1) return undefined;
  const symbol = item.make();
  let count = 1;
  const children = sorted(item.children());
  if (children.length > 0) symbol.children = [];
  for (const child of children) {
    const made = wholeOf(child, limit - count);
    if (made === undefined) return undefined;
    count += made.count;
    (symbol.children as DocumentSymbol[]).push(made.symbol);
  }
  return { symbol, count };
}

const leaf = (start: number, make: () => DocumentSymbol): Item => ({ start, make, children: () => [] });

/**
 * Makes the items level by level, in text order within each parent, until `limit` symbols are made;
 * then one more top-level symbol counts the items left out on the level where the limit was reached
 * (their children, and the children of that level's listed items, are not listed either).
 */
function listAtMost(items: Item[], limit: number, rest?: Rest): DocumentSymbol[] {
  const roots: DocumentSymbol[] = [];
  let level: { item: Item; parent?: DocumentSymbol }[] = sorted(items).map((item) => ({ item }));
  let made = 0;
  let left = 0;
  let firstLeft: Item | undefined;
  while (level.length > 0 && left === 0) {
    const next: typeof level = [];
    for (const { item, parent } of level) {
      if (made >= limit) {
        left++;
        firstLeft ??= item;
        continue;
      }
      const sym = item.make();
      made++;
      if (parent) (parent.children ??= []).push(sym);
      else roots.push(sym);
      if (!rest) for (const child of sorted(item.children())) next.push({ item: child, parent: sym });
    }
    // With layers left uncounted at the top level, no level below it is listed.
    level = rest ? [] : next;
  }
  if (rest) {
    left += rest.count;
    firstLeft ??= rest.first;
  }
  if (firstLeft) {
    const at = firstLeft.make();
    roots.push({
      name: `… ${left} more not listed`,
      detail: `the outline stops at ${limit} items`,
      kind: SymbolKind.Null,
      range: at.range,
      selectionRange: at.selectionRange,
    });
  }
  return roots;
}

function sorted(items: Item[]): Item[] {
  return items.sort((a, b) => a.start - b.start);
}

function netItems(
  net: NetModel,
  body: DocumentNode | MessageNode,
  lines: LineIndex,
  reuse?: LayerReuse,
  maxLayers = Infinity,
): Item[] {
  const out: Item[] = [];
  const nameField = firstField(body.fields, 'name');
  const netName = net.name;
  if (nameField?.value && netName !== undefined) {
    const value = nameField.value;
    out.push(
      leaf(nameField.start, () =>
        symbol(netName || '""', 'net name', SymbolKind.Module, nameField, value, lines),
      ),
    );
  }
  for (const input of net.inputs) {
    const shape = input.shape ? ` ${input.shape.join('×')}` : '';
    out.push(
      leaf(input.span.start, () =>
        symbol(input.name || '""', `input${shape}`, SymbolKind.Variable, input.span, input.span, lines),
      ),
    );
  }
  const count = Math.min(net.layers.length, maxLayers);
  for (let i = 0; i < count; i++) out.push(layerItem(net.layers[i], lines, reuse));
  return out;
}

function layerItem(layer: NetLayer, lines: LineIndex, reuse?: LayerReuse): Item {
  const item: Item = {
    start: layer.node.start,
    make() {
      const name = `${layer.name || '(unnamed)'} (${layer.type || '?'})`;
      // A name written as a block (recovery) has no text: select the `layer` keyword instead.
      const selection = layer.name !== '' && layer.nameSpan ? layer.nameSpan : layer.node.nameSpan;
      const phases = layer.include.map((r) => r.phase).filter((p) => p !== undefined);
      // The tops (what the layer makes) after the short label; the bottoms are among the children.
      const tops = layer.tops.map((t) => t.name).join(', ');
      const detail = phases.length > 0 ? `${tops} · ${[...new Set(phases)].join(', ')}` : tops;
      return symbol(clip(name), clip(detail), SymbolKind.Function, layer.node, selection, lines);
    },
    children() {
      const children: Item[] = [];
      for (const b of layer.bottoms)
        children.push(
          leaf(b.span.start, () =>
            symbol(b.name || '""', 'bottom', SymbolKind.Variable, b.span, b.span, lines),
          ),
        );
      for (const t of layer.tops)
        children.push(
          leaf(t.span.start, () => symbol(t.name || '""', 'top', SymbolKind.Variable, t.span, t.span, lines)),
        );
      for (const f of layer.body?.fields ?? []) {
        if (!f.name.endsWith('_param') || f.value?.kind !== 'message') continue;
        // The block itself, not its fields.
        children.push(plainField(f, lines, MAX_DEPTH));
      }
      return children;
    },
  };
  if (reuse) {
    item.whole = () => {
      const key = reuse.text.slice(layer.node.start, layer.node.end);
      const { line, character } = lines.positionAt(layer.node.start);
      const known = reuse.before?.get(key);
      // A layer's symbols are a few: made whole, they never stop at the outline's limit.
      const made =
        known && known.line === line && known.character === character
          ? known.made
          : (makeWhole(item, Infinity) as Made);
      if (!reuse.layers.has(key)) reuse.layers.set(key, { line, character, made });
      return made;
    };
  }
  return item;
}

function solverField(field: FieldNode, lines: LineIndex, reuse?: LayerReuse): Item {
  const embedded = embeddedNet(field);
  if (embedded && field.value?.kind === 'message') {
    const body = field.value;
    const net = buildNet(embedded);
    return {
      start: field.start,
      make: () => symbol(field.name, net.name ?? 'net', SymbolKind.Module, field, field.nameSpan, lines),
      children: () => netItems(net, body, lines, reuse),
    };
  }
  return plainField(field, lines, 0, SymbolKind.Property);
}

/** A field with its scalar value as detail, or its block's fields as children down to MAX_DEPTH. */
function plainField(field: FieldNode, lines: LineIndex, depth: number, kind?: SymbolKind): Item {
  const value = field.value;
  const blocks = messagesOf(value);
  if (blocks.length === 0) {
    return leaf(field.start, () =>
      symbol(field.name || '?', valueText(value), kind ?? SymbolKind.Property, field, field.nameSpan, lines),
    );
  }
  return {
    start: field.start,
    make() {
      // A block named by its own `name` (label map items, `layer`s outside a net) reads better that way.
      const own = scalarText(firstField(blocks[0].fields, 'name')?.value);
      const shown = scalarText(firstField(blocks[0].fields, 'display_name')?.value);
      const detail = own !== undefined ? (shown !== undefined ? `${own} (${shown})` : own) : '';
      return symbol(field.name || '?', clip(detail), kind ?? SymbolKind.Object, field, field.nameSpan, lines);
    },
    children: () =>
      depth < MAX_DEPTH ? blocks.flatMap((b) => b.fields.map((f) => plainField(f, lines, depth + 1))) : [],
  };
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
