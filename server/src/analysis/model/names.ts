// Where each blob, layer and shared-param name of a net is written: the index that definition,
// references and rename read. A solver's embedded nets (`net_param`, `train_net_param`,
// `test_net_param`) are separate scopes: the same blob name in two of them is two different blobs.
//
//   indexNames(analysis)            -> NameIndex (every occurrence, per net scope)
//   occurrenceAt(index, offset)     -> the name written at a cursor offset
//   occurrencesOf(index, occ)       -> every occurrence naming the same thing
//   isDeclaration(index, occ)       -> producing tops / net inputs / first layer or param name
//   producersOf(index, occ)         -> for a bottom: the tops it reads; for an in-place top: the original producer

import { pushAll } from '../../../../common/arrays';
import type { FieldNode, MessageNode, ScalarNode, Span, ValueNode } from '../../parser/ast';
import type { Analysis } from '../analyze';
import { buildNet, type NetModel, type Phase } from './net';
import { isInPlaceTop, PhaseGraphs, type BlobEnd } from './net-blobs';
import { fieldsNamed } from './net-read';
import { SOLVER } from './top-message';
import { embeddedNet } from './embedded-nets';

/** blob: a top/bottom/input; layer: a layer's `name:`; param: a `param { name: }` shared weight name. */
export type NameKind = 'blob' | 'layer' | 'param';
export type NameRole = 'top' | 'bottom' | 'input' | 'layer' | 'param';

export interface NameOccurrence {
  kind: NameKind;
  role: NameRole;
  name: string;
  /** The value as written, quotes included. */
  value: ScalarNode;
  /** Index into NameIndex.scopes. */
  scope: number;
  /** The layer's index in its net; -1 for a net input. */
  layer: number;
  /** Position among the layer's bottoms / tops (or among the net's inputs). */
  slot: number;
}

export interface NameScope {
  net: NetModel;
  occurrences: NameOccurrence[];
  /** The net's layers and blob graph per phase, made when first asked for. */
  graphs: PhaseGraphs;
  /** The occurrence written at each offset, made when first asked for. */
  byStart?: Map<number, NameOccurrence>;
}

export interface NameIndex {
  scopes: NameScope[];
}

const PHASES: readonly Phase[] = ['TRAIN', 'TEST'];

/** Every name occurrence of the document's net(s), in source order within each scope. */
export function indexNames(analysis: Analysis): NameIndex {
  const nets: { net: NetModel; fields: readonly FieldNode[]; graphs?: PhaseGraphs }[] = [];
  if (analysis.net) nets.push({ net: analysis.net, fields: analysis.ast.fields, graphs: analysis.graphs });
  else if (analysis.topMessage.name === SOLVER) {
    for (const field of analysis.ast.fields) {
      const embedded = embeddedNet(field);
      if (embedded) {
        nets.push({ net: buildNet(embedded), fields: embedded.fields });
      }
    }
  }
  return {
    scopes: nets.map(({ net, fields, graphs }, scope) => ({
      net,
      occurrences: scopeOccurrences(net, fields, scope),
      graphs: graphs ?? new PhaseGraphs(net),
    })),
  };
}

function scopeOccurrences(net: NetModel, fields: readonly FieldNode[], scope: number): NameOccurrence[] {
  const out: NameOccurrence[] = [];
  const scalars = new Map<number, ScalarNode>();
  const add = (kind: NameKind, role: NameRole, name: string, span: Span, layer: number, slot: number) => {
    const value = scalars.get(span.start);
    if (value) out.push({ kind, role, name, value, scope, layer, slot });
  };
  collectScalars(
    fields.filter((f) => f.name === 'input'),
    scalars,
  );
  net.inputs.forEach((input, slot) => add('blob', 'input', input.name, input.span, -1, slot));
  for (const layer of net.layers) {
    collectScalars([layer.node], scalars);
    if (layer.nameSpan) add('layer', 'layer', layer.name, layer.nameSpan, layer.index, 0);
    layer.bottoms.forEach((b, slot) => add('blob', 'bottom', b.name, b.span, layer.index, slot));
    layer.tops.forEach((t, slot) => add('blob', 'top', t.name, t.span, layer.index, slot));
    for (const value of paramNameValues(layer.body)) {
      const name = scalarName(value);
      if (name !== undefined) add('param', 'param', name, value, layer.index, 0);
    }
  }
  out.sort((a, b) => a.value.start - b.value.start);
  return out;
}

/** Every scalar value under `fields`, by start offset. */
function collectScalars(fields: readonly FieldNode[], into: Map<number, ScalarNode>): void {
  const stack: ValueNode[] = [];
  for (const f of fields) if (f.value) stack.push(f.value);
  while (stack.length > 0) {
    const v = stack.pop() as ValueNode;
    if (v.kind === 'message') {
      for (const f of v.fields) if (f.value) stack.push(f.value);
    } else if (v.kind === 'list') {
      pushAll(stack, v.items);
    } else {
      into.set(v.start, v);
    }
  }
}

/** V2 `param { name: "w" }` and V1 `param: "w"` values of a layer body. */
function paramNameValues(body: MessageNode | undefined): ScalarNode[] {
  if (!body) return [];
  const out: ScalarNode[] = [];
  for (const p of fieldsNamed(body.fields, 'param')) {
    const v = p.value;
    if (v?.kind === 'message') {
      for (const n of fieldsNamed(v.fields, 'name')) if (n.value && isScalar(n.value)) out.push(n.value);
    } else if (v?.kind === 'list') {
      for (const item of v.items) if (isScalar(item)) out.push(item);
    } else if (v && isScalar(v)) out.push(v);
  }
  return out;
}

function isScalar(v: ValueNode): v is ScalarNode {
  return v.kind === 'string' || v.kind === 'identifier' || v.kind === 'number';
}

function scalarName(v: ScalarNode): string | undefined {
  if (v.kind === 'string') return v.value;
  if (v.kind === 'identifier') return (v.negative ? '-' : '') + v.name;
  return v.text;
}

/** The occurrence whose value contains `offset` (a cursor just after the closing quote counts). */
export function occurrenceAt(index: NameIndex, offset: number): NameOccurrence | undefined {
  for (const scope of index.scopes) {
    const list = scope.occurrences;
    let lo = 0;
    let hi = list.length - 1;
    // The last occurrence starting at or before the offset.
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (list[mid].value.start <= offset) lo = mid;
      else hi = mid - 1;
    }
    const hit = list[lo];
    if (hit && hit.value.start <= offset && offset <= hit.value.end) return hit;
  }
  return undefined;
}

/** Every occurrence in the same scope naming the same blob, layer or param, in source order. */
export function occurrencesOf(index: NameIndex, occ: NameOccurrence): NameOccurrence[] {
  const scope = index.scopes[occ.scope];
  if (!scope) return [];
  return scope.occurrences.filter((o) => o.kind === occ.kind && o.name === occ.name);
}

/** Every distinct name of a kind in a scope. */
export function namesOfKind(index: NameIndex, scope: number, kind: NameKind): Set<string> {
  const out = new Set<string>();
  for (const o of index.scopes[scope]?.occurrences ?? []) if (o.kind === kind) out.add(o.name);
  return out;
}

/**
 * Declarations: a net input and a top that is not in place declare a blob; the first `name:` of a
 * layer or shared param declares it (Caffe gives a shared param to its first owner).
 */
export function isDeclaration(index: NameIndex, occ: NameOccurrence): boolean {
  if (occ.kind === 'blob') {
    if (occ.role === 'input') return true;
    if (occ.role !== 'top') return false;
    const layer = index.scopes[occ.scope]?.net.layers[occ.layer];
    return layer !== undefined && !isInPlaceTop(layer, occ.slot);
  }
  return occurrencesOf(index, occ)[0] === occ;
}

/**
 * Where the blob at a bottom (or in-place top) comes from. For a bottom: in each phase in which its
 * layer runs, the last earlier writer of that name (nearest first). For an in-place top: the layer
 * that first produced the blob, following the in-place chain back. Falls back to every other
 * writer of the name when nothing earlier produces it. Empty for other occurrences.
 */
export function producersOf(index: NameIndex, occ: NameOccurrence): NameOccurrence[] {
  const scope = index.scopes[occ.scope];
  if (!scope || occ.kind !== 'blob' || occ.layer < 0) return [];
  const net = scope.net;
  const layer = net.layers[occ.layer];
  let slot: number;
  if (occ.role === 'bottom') slot = occ.slot;
  else if (occ.role === 'top' && isInPlaceTop(layer, occ.slot)) {
    slot = layer.bottoms.findIndex((b) => b.name === occ.name);
  } else return [];
  const found: BlobEnd[] = [];
  for (const phase of PHASES) {
    if (!scope.graphs.keeps(phase, layer)) continue;
    const graph = scope.graphs.graph(phase);
    let end = graph.sources.get(layer.index)?.[slot];
    if (occ.role === 'top') {
      // Walk back through in-place writers to the one that made the blob.
      while (end && end.layer >= 0 && isInPlaceTop(net.layers[end.layer], end.slot)) {
        const writer = net.layers[end.layer];
        const back = writer.bottoms.findIndex((b) => b.name === occ.name);
        const prev = graph.sources.get(writer.index)?.[back];
        if (!prev) break;
        end = prev;
      }
    }
    if (end && !found.some((f) => f.span.start === end.span.start)) found.push(end);
  }
  const byStart = (scope.byStart ??= new Map(scope.occurrences.map((o) => [o.value.start, o])));
  const writers = (ends: readonly BlobEnd[]) =>
    ends.map((e) => byStart.get(e.span.start)).filter((o): o is NameOccurrence => o !== undefined);
  if (found.length > 0) {
    // Nearest earlier writer first.
    return writers(found.sort((a, b) => b.span.start - a.span.start));
  }
  return occurrencesOf(index, occ).filter(
    (o) => (o.role === 'top' || o.role === 'input') && o.layer !== occ.layer,
  );
}
