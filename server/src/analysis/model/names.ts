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
import { buildNet, type NetLayer, type NetModel, type Phase } from './net';
import { isInPlaceTop, latestWriter, PhaseGraphs, positionIn, type BlobEnd } from './net-blobs';
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
  /** Every occurrence, in source order (made on first ask: on a large net, a walk over every layer). */
  readonly occurrences: NameOccurrence[];
  /** The net's layers and blob graph per phase, made when first asked for. */
  graphs: PhaseGraphs;
  /** The occurrences written in one layer (-1: the net's inputs), in source order: the same objects. */
  inLayer(layer: number): readonly NameOccurrence[];
  /** The occurrence whose value holds `offset`, read from the layer written there. */
  at(offset: number): NameOccurrence | undefined;
  /** Every occurrence of one name of one kind, in source order, read from the layers that write it. */
  named(kind: NameKind, name: string): NameOccurrence[];
}

export interface NameIndex {
  scopes: NameScope[];
}

const PHASES: readonly Phase[] = ['TRAIN', 'TEST'];

/**
 * The name index of the document's net(s), one scope per net. What one request asks about one name
 * (the name at the cursor, the layer that writes a blob) is read from the layers concerned; the list
 * of every occurrence is made when first asked for (references, rename).
 */
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
    scopes: nets.map(
      ({ net, fields, graphs }, scope) => new Scope(net, fields, scope, graphs ?? new PhaseGraphs(net)),
    ),
  };
}

class Scope implements NameScope {
  #all: NameOccurrence[] | undefined;
  /** Occurrences of the layers asked about one at a time, by layer index (-1: the inputs). */
  readonly #byLayer = new Map<number, NameOccurrence[]>();

  constructor(
    readonly net: NetModel,
    private readonly fields: readonly FieldNode[],
    private readonly scope: number,
    readonly graphs: PhaseGraphs,
  ) {}

  get occurrences(): NameOccurrence[] {
    if (this.#all === undefined) {
      // The objects already handed out stay the ones in the list (isDeclaration compares them).
      const all = [...this.inLayer(-1)];
      const scalars = new Map<number, ScalarNode>();
      for (const layer of this.net.layers)
        pushAll(all, this.#byLayer.get(layer.index) ?? layerOccurrences(layer, this.scope, scalars));
      all.sort((a, b) => a.value.start - b.value.start);
      this.#all = all;
    }
    return this.#all;
  }

  inLayer(index: number): readonly NameOccurrence[] {
    let list = this.#byLayer.get(index);
    if (list === undefined) {
      const all = this.#all;
      if (all !== undefined) list = all.filter((o) => o.layer === index);
      else if (index < 0) list = inputOccurrences(this.net, this.fields, this.scope);
      else {
        const layer = this.net.layers[index];
        list = layer ? layerOccurrences(layer, this.scope, new Map()) : [];
      }
      this.#byLayer.set(index, list);
    }
    return list;
  }

  named(kind: NameKind, name: string): NameOccurrence[] {
    const same = (o: NameOccurrence) => o.kind === kind && o.name === name;
    if (this.#all !== undefined) return this.#all.filter(same);
    const out = this.inLayer(-1).filter(same);
    for (const layer of this.net.layers) {
      if (!writes(layer, kind, name)) continue;
      for (const o of this.inLayer(layer.index)) if (same(o)) out.push(o);
    }
    return out.sort((a, b) => a.value.start - b.value.start);
  }

  at(offset: number): NameOccurrence | undefined {
    if (this.#all !== undefined) return lastHolding(this.#all, offset);
    const layer = layerAt(this.net.layers, offset);
    return (layer && lastHolding(this.inLayer(layer.index), offset)) ?? lastHolding(this.inLayer(-1), offset);
  }
}

/** Whether a layer may write `name` as a name of `kind` (a quick test before its occurrences are read). */
function writes(layer: NetLayer, kind: NameKind, name: string): boolean {
  if (kind === 'layer') return layer.name === name;
  if (kind === 'blob')
    return layer.bottoms.some((b) => b.name === name) || layer.tops.some((t) => t.name === name);
  return paramNameValues(layer.body).some((v) => scalarName(v) === name);
}

/** The last occurrence (of a list in source order) starting at or before `offset`, if it holds it. */
function lastHolding(list: readonly NameOccurrence[], offset: number): NameOccurrence | undefined {
  let lo = 0;
  let hi = list.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (list[mid].value.start <= offset) lo = mid;
    else hi = mid - 1;
  }
  const hit = list[lo];
  return hit && hit.value.start <= offset && offset <= hit.value.end ? hit : undefined;
}

/** The layer whose text holds `offset` (layers are in source order). */
function layerAt(layers: readonly NetLayer[], offset: number): NetLayer | undefined {
  let lo = 0;
  let hi = layers.length - 1;
  let found: NetLayer | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (layers[mid].node.start <= offset) {
      found = layers[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found && offset <= found.node.end ? found : undefined;
}

function inputOccurrences(net: NetModel, fields: readonly FieldNode[], scope: number): NameOccurrence[] {
  const scalars = new Map<number, ScalarNode>();
  collectScalars(
    fields.filter((f) => f.name === 'input'),
    scalars,
  );
  const out: NameOccurrence[] = [];
  net.inputs.forEach((input, slot) => {
    const value = scalars.get(input.span.start);
    if (value) out.push({ kind: 'blob', role: 'input', name: input.name, value, scope, layer: -1, slot });
  });
  return out.sort((a, b) => a.value.start - b.value.start);
}

/** The names written in one layer, in source order; `scalars` is scratch space. */
function layerOccurrences(
  layer: NetLayer,
  scope: number,
  scalars: Map<number, ScalarNode>,
): NameOccurrence[] {
  const out: NameOccurrence[] = [];
  const add = (kind: NameKind, role: NameRole, name: string, value: ScalarNode | undefined, slot: number) => {
    if (value) out.push({ kind, role, name, value, scope, layer: layer.index, slot });
  };
  // Only the values that hold a name are looked up: every scalar of a large net in one map costs
  // more than the rest of the index.
  scalars.clear();
  const starts: number[] = [];
  if (layer.nameSpan) starts.push(layer.nameSpan.start);
  for (const b of layer.bottoms) starts.push(b.span.start);
  for (const t of layer.tops) starts.push(t.span.start);
  scalarsAt([layer.node], starts, scalars);
  if (layer.nameSpan) add('layer', 'layer', layer.name, scalars.get(layer.nameSpan.start), 0);
  layer.bottoms.forEach((b, slot) => add('blob', 'bottom', b.name, scalars.get(b.span.start), slot));
  layer.tops.forEach((t, slot) => add('blob', 'top', t.name, scalars.get(t.span.start), slot));
  for (const value of paramNameValues(layer.body)) {
    const name = scalarName(value);
    if (name !== undefined) add('param', 'param', name, value, 0);
  }
  return out.sort((a, b) => a.value.start - b.value.start);
}

/** The scalar values under `fields` that start at one of `starts`, by start offset. */
function scalarsAt(
  fields: readonly FieldNode[],
  starts: readonly number[],
  into: Map<number, ScalarNode>,
): void {
  if (starts.length === 0) return;
  const holds = (v: Span): boolean => {
    for (const s of starts) if (s >= v.start && s < v.end) return true;
    return false;
  };
  const stack: ValueNode[] = [];
  for (const f of fields) if (f.value && holds(f.value)) stack.push(f.value);
  while (stack.length > 0) {
    const v = stack.pop() as ValueNode;
    if (v.kind === 'message') {
      for (const f of v.fields) if (f.value && holds(f.value)) stack.push(f.value);
    } else if (v.kind === 'list') {
      for (const item of v.items) if (holds(item)) stack.push(item);
    } else {
      into.set(v.start, v);
    }
  }
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
    const hit = scope.at(offset);
    if (hit) return hit;
  }
  return undefined;
}

/** Every occurrence in the same scope naming the same blob, layer or param, in source order. */
export function occurrencesOf(index: NameIndex, occ: NameOccurrence): NameOccurrence[] {
  return index.scopes[occ.scope]?.named(occ.kind, occ.name) ?? [];
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
    // Looking back from the layer, not through the blob graph: on a large net that graph is a walk
    // over every layer, and the writer is usually a few layers up.
    const layers = scope.graphs.layers(phase);
    const writerOf = (reader: NetLayer, bottom: number): BlobEnd | undefined => {
      const name = reader.bottoms[bottom]?.name;
      return name === undefined ? undefined : latestWriter(net, layers, positionIn(layers, reader), name);
    };
    let end = writerOf(layer, slot);
    if (occ.role === 'top') {
      // Walk back through in-place writers to the one that made the blob.
      while (end && end.layer >= 0 && isInPlaceTop(net.layers[end.layer], end.slot)) {
        const writer = net.layers[end.layer];
        const back = writer.bottoms.findIndex((b) => b.name === occ.name);
        const prev = writerOf(writer, back);
        if (!prev) break;
        end = prev;
      }
    }
    if (end && !found.some((f) => f.span.start === end.span.start)) found.push(end);
  }
  const writers = (ends: readonly BlobEnd[]) =>
    ends
      .map((e) => scope.inLayer(e.layer).find((o) => o.value.start === e.span.start))
      .filter((o): o is NameOccurrence => o !== undefined);
  if (found.length > 0) {
    // Nearest earlier writer first.
    return writers(found.sort((a, b) => b.span.start - a.span.start));
  }
  return occurrencesOf(index, occ).filter(
    (o) => (o.role === 'top' || o.role === 'input') && o.layer !== occ.layer,
  );
}
