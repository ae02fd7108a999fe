// The cursor query: what sits at an offset of an analysed document, as one discriminated union that
// completion, hover and definition switch on. Walks down from the document through the blocks that
// contain the offset (binary search per block), so its cost is the nesting depth, not the file size.
// Works on broken text: a field name without `:` or value is read as an identifier being typed.
//
//   queryAt(input, offset) -> CursorQuery
//     'fieldName'  the cursor is on a written field name (`num_o|utput: 3`)
//     'fieldValue' on or right after `:` / on a scalar value (`phase: TR|`, `type: "Con|"`)
//     'blockBody'  where a new field name may start, incl. a name being typed (`layer { na| }`)
//     'none'       in a comment, between a name and its `{`, outside the document

import type { DocumentNode, FieldNode, MessageNode, ScalarNode, Span, ValueNode } from '../parser/ast';
import type { FieldDef, MessageDef } from '../schema/model';
import type { Schema } from '../schema/schema';
import type { Analysis } from './analyze';
import type { ForkSchema } from './model/resolve';
import type { NetLayer, NetModel } from './model/net';

export type Block = MessageNode | DocumentNode;

/** What a query reads of an analysed document (an AnalyzedDocument has it). */
export interface QueryInput {
  doc: { text: string };
  analysis: Analysis;
  schema: { schema: Schema; forks: readonly ForkSchema[] };
}

/** What every non-empty query carries: where the cursor is in the tree. */
export interface QueryContext {
  offset: number;
  /** The fields whose blocks enclose the cursor, outermost first. */
  path: FieldNode[];
  /** `path` as names, e.g. ['layer', 'convolution_param']. */
  pathNames: string[];
  /**
   * The net the cursor is in: the file's, or in a solver the one its `net_param` (or `train_net_param`,
   * `test_net_param`) holds.
   */
  net?: NetModel;
  /** How many fields of `path` lie outside that net: 0 in a net file, 1 in a solver's embedded net. */
  netDepth: number;
  /** The layer of that net the cursor is in, if any (`path[netDepth]`). */
  layer?: NetLayer;
  /** The block the cursor's field (or new field) is written in. */
  block: Block;
  /** That block's message, when it resolved. */
  blockDef?: MessageDef;
  /** The schema `blockDef` and the field definitions come from (the main one or a fork's). */
  schema: Schema;
}

export interface FieldNameQuery extends QueryContext {
  kind: 'fieldName';
  field: FieldNode;
  parentDef?: MessageDef;
  def?: FieldDef;
}

export interface FieldValueQuery extends QueryContext {
  kind: 'fieldValue';
  field: FieldNode;
  def?: FieldDef;
  /** The scalar under the cursor; undefined when no value is written yet (`phase: |`). */
  value?: ScalarNode;
  /** Position of `value` in a list (`bottom: ["a", "b|"]`), else 0. */
  index: number;
}

export interface BlockBodyQuery extends QueryContext {
  kind: 'blockBody';
  def?: MessageDef;
  /** Names of the fields already written in the block (the one being typed left out). */
  presentFields: Set<string>;
  /** The identifier being typed, when the cursor is on one (`na|`), with its span. */
  partial?: { text: string; span: Span };
}

export type CursorQuery =
  FieldNameQuery | FieldValueQuery | BlockBodyQuery | { kind: 'none'; offset: number };

export function queryAt(input: QueryInput, offset: number): CursorQuery {
  const { text } = input.doc;
  const ast = input.analysis.ast;
  if (offset < 0 || offset > text.length || inComment(ast, offset)) return { kind: 'none', offset };
  const path: FieldNode[] = [];
  let block: Block = ast;
  for (;;) {
    const field = fieldBefore(block.fields, offset);
    const ctx = () => context(input, offset, path, block);
    if (field === undefined) return blockBody(input, offset, path, block, undefined);
    if (offset > field.end) {
      // `phase: |` — after a colon with nothing yet, on the same line.
      if (field.colon !== undefined && field.value === undefined && !onLaterLine(text, field.colon, offset))
        return fieldValue(ctx(), input, field, undefined, 0);
      return blockBody(input, offset, path, block, undefined);
    }
    if (offset <= field.nameSpan.end && offset >= field.nameSpan.start) {
      if (field.colon === undefined && field.value === undefined) {
        return blockBody(input, offset, path, block, field);
      }
      const c = ctx();
      return {
        ...c,
        kind: 'fieldName',
        field,
        parentDef: c.blockDef,
        def: input.analysis.resolved.fieldDefIn(block, field),
      };
    }
    const value = field.value;
    const inner = value ? innerBlock(value, offset) : undefined;
    if (inner) {
      path.push(field);
      block = inner;
      continue;
    }
    if (value?.kind === 'message' || value?.kind === 'list') {
      // Between the name and `{`, or on the brackets of a list.
      if (value.kind === 'list') {
        const item = value.items.findIndex((i) => i.kind !== 'message' && touches(i, offset));
        if (item >= 0) return fieldValue(ctx(), input, field, value.items[item] as ScalarNode, item);
        if (offset > value.start && offset < value.end) return fieldValue(ctx(), input, field, undefined, 0);
      }
      return { kind: 'none', offset };
    }
    if (field.colon === undefined || offset <= field.colon) return { kind: 'none', offset };
    if (value && onLaterLine(text, field.colon, value.start) && value.kind === 'identifier') {
      // `phase:` left empty and a new name typed on the next line: the parser took it as the value.
      if (touches(value, offset)) {
        return blockBody(input, offset, path, block, undefined, { text: value.name, span: value });
      }
    }
    if (value && offset >= value.start) return fieldValue(ctx(), input, field, value, 0);
    return fieldValue(ctx(), input, field, undefined, 0);
  }
}

/** The scalar's span without its quotes, for strings; the whole span otherwise. */
export function valueContentSpan(text: string, value: ScalarNode): Span {
  if (value.kind !== 'string') return { start: value.start, end: value.end };
  const first = value.pieces[0] ?? value;
  const last = value.pieces[value.pieces.length - 1] ?? value;
  const quote = text[first.start];
  const closed = last.end - last.start >= 2 && text[last.end - 1] === text[last.start] && quote !== undefined;
  return { start: first.start + 1, end: closed ? last.end - 1 : last.end };
}

function fieldValue(
  ctx: QueryContext,
  input: QueryInput,
  field: FieldNode,
  value: ScalarNode | undefined,
  index: number,
): FieldValueQuery {
  const def = input.analysis.resolved.fieldDefIn(ctx.block, field);
  return { ...ctx, kind: 'fieldValue', field, def, value, index };
}

function blockBody(
  input: QueryInput,
  offset: number,
  path: FieldNode[],
  block: Block,
  typed: FieldNode | undefined,
  partial: { text: string; span: Span } | undefined = typed
    ? { text: typed.name, span: typed.nameSpan }
    : undefined,
): BlockBodyQuery {
  const c = context(input, offset, path, block);
  const presentFields = new Set<string>();
  for (const f of block.fields) if (f !== typed) presentFields.add(f.name);
  return { ...c, kind: 'blockBody', def: c.blockDef, presentFields, partial };
}

function context(input: QueryInput, offset: number, path: FieldNode[], block: Block): QueryContext {
  const { resolved, net: fileNet, embeddedNets } = input.analysis;
  const owner = path[path.length - 1];
  const main = input.schema.schema;
  let schema = main;
  if (owner) schema = resolved.fieldSchemas.get(owner) ?? main;
  else if (resolved.top && !main.message(resolved.top.fullName)) {
    schema = input.schema.forks.find((f) => f.schema.message(resolved.top!.fullName))?.schema ?? main;
  }
  const embedded = fileNet || !path[0] ? undefined : embeddedNets?.get(path[0]);
  const net = fileNet ?? embedded;
  const netDepth = embedded ? 1 : 0;
  const outer = path[netDepth];
  const layer = outer && net ? findLayer(net.layers, outer) : undefined;
  return {
    offset,
    path: [...path],
    pathNames: path.map((f) => f.name),
    ...(net ? { net } : {}),
    netDepth,
    layer,
    block,
    blockDef: resolved.blockOf(block)?.def,
    schema,
  };
}

/** Whether the query's field is written in a layer's own block (`layer { bottom: ... }`). */
export function inLayerBlock(q: QueryContext): boolean {
  return q.layer !== undefined && q.path.length === q.netDepth + 1;
}

function findLayer(layers: readonly NetLayer[], node: FieldNode): NetLayer | undefined {
  let lo = 0;
  let hi = layers.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const l = layers[mid];
    if (l.node === node) return l;
    if (l.node.start < node.start) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/** The last field of a block that starts at or before `offset`. */
function fieldBefore(fields: readonly FieldNode[], offset: number): FieldNode | undefined {
  let lo = 0;
  let hi = fields.length - 1;
  let found: FieldNode | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (fields[mid].start <= offset) {
      found = fields[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The message block (of the value, or of a list item) whose inside contains `offset`. */
function innerBlock(value: ValueNode, offset: number): MessageNode | undefined {
  if (value.kind === 'message') return inside(value, offset) ? value : undefined;
  if (value.kind === 'list') {
    for (const item of value.items) if (item.kind === 'message' && inside(item, offset)) return item;
  }
  return undefined;
}

/** Strictly after the opening bracket and not after the closing one (an unclosed block runs to its end). */
function inside(m: MessageNode, offset: number): boolean {
  return offset > m.start && (m.close === undefined ? offset <= m.end : offset <= m.close);
}

function touches(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}

function onLaterLine(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10 || text.charCodeAt(i) === 13) return true;
  return false;
}

function inComment(ast: DocumentNode, offset: number): boolean {
  const comments = ast.comments;
  let lo = 0;
  let hi = comments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = comments[mid];
    if (offset <= c.start) hi = mid - 1;
    else if (offset > c.end) lo = mid + 1;
    else return true;
  }
  return false;
}
