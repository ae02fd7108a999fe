// Resolution of a syntax tree against a schema: for every field its FieldDef, for every message block
// its MessageDef. Validation, hover, completion and definition all read this one result.
//
// When fork schemas are given (the bundled-BVLC case), a field the main schema lacks is looked up in
// the forks' messages of the same name; the first fork that defines it resolves the field and its
// whole subtree, and the field is listed in `forkFields` with every fork that defines it.

import type { DocumentNode, FieldNode, MessageNode } from '../parser/ast';
import type { FieldDef, MessageDef } from '../schema/model';
import type { Schema } from '../schema/schema';

/** A bundled fork's schema with what a person needs to find its caffe.proto. */
export interface ForkSchema {
  name: string;
  label: string;
  /** Where the fork's caffe.proto sits in a checkout, for messages. */
  protoPath: string;
  schema: Schema;
}

/** A message body (or the document itself) with the definition it was resolved to. */
export interface ResolvedBlock {
  node: MessageNode | DocumentNode;
  /** The field whose value this block is; undefined for the document. */
  owner?: FieldNode;
  def: MessageDef;
  /** The schema `def` comes from (the main schema or a fork's). */
  schema: Schema;
  /** The block's own fields, resolved or not, in order (the same objects as in `ResolvedTree.entries`). */
  entries: ResolvedField[];
}

/** One field as written, with the message it is written in. */
export interface ResolvedField {
  node: FieldNode;
  /** The block the field is written in; undefined when that block could not be resolved. */
  parent?: ResolvedBlock;
  def?: FieldDef;
  /** The schema `def` comes from. */
  schema?: Schema;
}

export interface ResolvedTree {
  top?: MessageDef;
  /** Every resolved field -> its definition (built from `entries` on first use). */
  readonly fields: ReadonlyMap<FieldNode, FieldDef>;
  /** Every resolved block -> its definition (built from `blocks` on first use). */
  readonly messages: ReadonlyMap<MessageNode | DocumentNode, MessageDef>;
  /** Every field of the document in source order, resolved or not. */
  entries: ResolvedField[];
  /** Every resolved block in source order, the document first. */
  blocks: ResolvedBlock[];
  /** Fields the main schema lacks but forks define -> the names of those forks. */
  forkFields: Map<FieldNode, string[]>;
  /** The schema each resolved field was found in, when that is not the main schema. */
  fieldSchemas: Map<FieldNode, Schema>;
}

/** Walks the document from `top` (a message of `schema` or, failing that, of a fork). Linear time. */
export function resolveTree(
  doc: DocumentNode,
  schema: Schema,
  top: MessageDef | undefined,
  forks: readonly ForkSchema[] = [],
  topSchema: Schema = schema,
): ResolvedTree {
  const tree = new Tree(top);
  const walker = new Walker(tree, schema, forks);
  if (top) walker.block(doc, undefined, top, topSchema);
  else walker.unresolved(doc.fields, undefined);
  return tree;
}

/**
 * The two look-up maps are what editor features ask (one node at a time); checks walk `entries` and
 * `blocks`. Filling a Map per field of a large net is a large share of the analysis, so they are
 * made when first asked for.
 */
class Tree implements ResolvedTree {
  readonly entries: ResolvedField[] = [];
  readonly blocks: ResolvedBlock[] = [];
  readonly forkFields = new Map<FieldNode, string[]>();
  readonly fieldSchemas = new Map<FieldNode, Schema>();
  #fields: Map<FieldNode, FieldDef> | undefined;
  #messages: Map<MessageNode | DocumentNode, MessageDef> | undefined;

  constructor(readonly top: MessageDef | undefined) {}

  get fields(): ReadonlyMap<FieldNode, FieldDef> {
    if (this.#fields === undefined) {
      this.#fields = new Map();
      for (const entry of this.entries) if (entry.def) this.#fields.set(entry.node, entry.def);
    }
    return this.#fields;
  }

  get messages(): ReadonlyMap<MessageNode | DocumentNode, MessageDef> {
    if (this.#messages === undefined) {
      this.#messages = new Map();
      for (const block of this.blocks) this.#messages.set(block.node, block.def);
    }
    return this.#messages;
  }
}

class Walker {
  constructor(
    private readonly tree: Tree,
    private readonly main: Schema,
    private readonly forks: readonly ForkSchema[],
  ) {}

  block(
    node: MessageNode | DocumentNode,
    owner: FieldNode | undefined,
    def: MessageDef,
    schema: Schema,
  ): void {
    const entries: ResolvedField[] = [];
    const block: ResolvedBlock = { node, owner, def, schema, entries };
    const tree = this.tree;
    tree.blocks.push(block);
    const known = schema.fieldsOf(def);
    for (const field of node.fields) {
      // The common case, a field of the block's own schema, without the fork look-up's allocations.
      const own = known.get(field.name);
      if (own) {
        const entry: ResolvedField = { node: field, parent: block, def: own, schema };
        tree.entries.push(entry);
        entries.push(entry);
        if (schema !== this.main) tree.fieldSchemas.set(field, schema);
        this.value(field, own, schema);
        continue;
      }
      const found = this.lookup(def, field.name, schema);
      const entry: ResolvedField = { node: field, parent: block, def: found?.def, schema: found?.schema };
      tree.entries.push(entry);
      entries.push(entry);
      if (!found) {
        this.unresolvedValue(field);
        continue;
      }
      if (found.schema !== this.main) tree.fieldSchemas.set(field, found.schema);
      if (found.forks) tree.forkFields.set(field, found.forks);
      this.value(field, found.def, found.schema);
    }
    // Kept at its exact length: the array grown by push holds spare room, a lot on a large net.
    block.entries = entries.slice();
  }

  /** Fields under an unknown field or an unresolved top: listed, never resolved. */
  unresolved(fields: readonly FieldNode[], parent: ResolvedBlock | undefined): void {
    for (const field of fields) {
      this.tree.entries.push({ node: field, parent });
      this.unresolvedValue(field);
    }
  }

  private unresolvedValue(field: FieldNode): void {
    const v = field.value;
    if (v?.kind === 'message') this.unresolved(v.fields, undefined);
    else if (v?.kind === 'list')
      for (const item of v.items) if (item.kind === 'message') this.unresolved(item.fields, undefined);
  }

  private value(field: FieldNode, def: FieldDef, schema: Schema): void {
    const v = field.value;
    if (v === undefined || def.kind !== 'message') {
      this.unresolvedValue(field);
      return;
    }
    const messageDef = schema.messageOf(def);
    if (v.kind === 'message') {
      if (messageDef) this.block(v, field, messageDef, schema);
      else this.unresolved(v.fields, undefined);
    } else if (v.kind === 'list') {
      for (const body of v.items) {
        if (body.kind !== 'message') continue;
        if (messageDef) this.block(body, field, messageDef, schema);
        else this.unresolved(body.fields, undefined);
      }
    }
  }

  private lookup(
    parent: MessageDef,
    name: string,
    schema: Schema,
  ): { def: FieldDef; schema: Schema; forks?: string[] } | undefined {
    const own = schema.field(parent, name);
    if (own) return { def: own, schema };
    if (this.forks.length === 0) return undefined;
    // Inside a fork's subtree, BVLC's definition of the same message still counts as known.
    if (schema !== this.main) {
      const inMain = this.main.field(parent.fullName, name);
      if (inMain) return { def: inMain, schema: this.main };
    }
    let first: { def: FieldDef; schema: Schema } | undefined;
    const names: string[] = [];
    for (const fork of this.forks) {
      if (fork.schema === schema) continue;
      const def = fork.schema.field(parent.fullName, name);
      if (!def) continue;
      names.push(fork.name);
      first ??= { def, schema: fork.schema };
    }
    if (!first) return undefined;
    return schema === this.main ? { ...first, forks: names } : first;
  }
}
