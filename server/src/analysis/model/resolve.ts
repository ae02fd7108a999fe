// Resolution of a syntax tree against a schema: for every field its FieldDef, for every message block
// its MessageDef. Validation, hover, completion and definition all read this one result.
//
// When fork schemas are given (the bundled-BVLC case), a field the main schema lacks is looked up in
// the forks' messages of the same name; the first fork that defines it resolves the field and its
// whole subtree, and the field is listed in `forkFields` with every fork that defines it.

import { lastAtOrBefore } from '../../../../common/arrays';
import type { DocumentNode, FieldNode, MessageNode } from '../../parser/ast';
import type { FieldDef, MessageDef } from '../../schema/model';
import type { Schema } from '../../schema/schema';
import { startBefore, type ChangedRegion } from '../../util/text-change';
import {
  Block,
  movedBlocks,
  type ResolvedBlock,
  type ResolvedField,
  type WalkShared,
} from './resolved-block';

export type { ResolvedBlock, ResolvedField } from './resolved-block';

/** A bundled fork's schema with what a person needs to find its caffe.proto. */
export interface ForkSchema {
  name: string;
  label: string;
  /** Where the fork's caffe.proto sits in a checkout, for messages. */
  protoPath: string;
  schema: Schema;
}

export interface ResolvedTree {
  top?: MessageDef;
  /** Every resolved field -> its definition (built from `blocks` on first use). */
  readonly fields: ReadonlyMap<FieldNode, FieldDef>;
  /** Every resolved block -> its definition (built from `blocks` on first use). */
  readonly messages: ReadonlyMap<MessageNode | DocumentNode, MessageDef>;
  /** Every field of the document in source order, resolved or not (made on first use). */
  readonly entries: readonly ResolvedField[];
  /** Every resolved block in source order, the document first. Checks walk these. */
  blocks: ResolvedBlock[];
  /**
   * The definition of one field written in `block`, found by offsets (binary searches over `blocks`
   * and the block's fields): what a cursor query asks, without the map of every field of the file.
   */
  fieldDefIn(block: MessageNode | DocumentNode, field: FieldNode): FieldDef | undefined;
  /** The resolved block of a message body (or the document), found the same way. */
  blockOf(node: MessageNode | DocumentNode): ResolvedBlock | undefined;
  /** Fields the main schema lacks but forks define -> the names of those forks. */
  forkFields: Map<FieldNode, string[]>;
  /** The schema each resolved field was found in, when that is not the main schema. */
  fieldSchemas: Map<FieldNode, Schema>;
}

/**
 * The tree of the document's previous version and what the edit changed since: the top-level fields
 * the edit left as they were are resolved as they were then (both trees parsed without problems).
 */
export interface EarlierTree {
  tree: ResolvedTree;
  change: ChangedRegion | undefined;
}

/**
 * Blocks handed over as the walk resolves them: `run(tree, from, to)` is called with each `size` (or
 * more) blocks of `tree.blocks` once they are resolved (their own fields; the blocks inside them come
 * later), in order, and once more for the last ones, so that a check of one block at a time can look
 * at them while they are still in the processor's cache.
 */
export interface ResolvedBlocksSink {
  size: number;
  run(tree: ResolvedTree, from: number, to: number): void;
  /**
   * False: blocks handed over leave the tree's list (for a caller that reads them only there; the
   * tree then answers nothing about them), so that they need not be kept until the walk ends.
   */
  keep: boolean;
}

/** Walks the document from `top` (a message of `schema` or, failing that, of a fork). Linear time. */
export function resolveTree(
  doc: DocumentNode,
  schema: Schema,
  top: MessageDef | undefined,
  forks: readonly ForkSchema[] = [],
  topSchema: Schema = schema,
  earlier?: EarlierTree,
  sink?: ResolvedBlocksSink,
): ResolvedTree {
  const tree = new Tree(doc, top, schema, topSchema, forks);
  const before = earlier?.tree;
  const reuse =
    before instanceof Tree && doc.errors.length === 0 && tree.resolvedAs(before)
      ? { tree: before, change: earlier?.change }
      : undefined;
  if (top) {
    const walker = new Walker(tree, schema, forks, reuse, sink);
    walker.block(doc, undefined, top, topSchema);
    walker.handOver(0);
  }
  return tree;
}

/**
 * The walk records one definition per field, in one list per top-level field (and one for the
 * document's own fields) in which each block has a range, and nothing for fields under an
 * unresolved block. The objects editor features ask for (one field at a time: `entries`, the look-up
 * maps) are made from those when first asked for: an object per field of a large net is a large
 * share of the analysis. A top-level field's blocks depend on its text alone (and on what the tree is
 * resolved with): the next version takes them over for the fields an edit left as they were.
 */
class Tree implements ResolvedTree {
  readonly blocks: Block[] = [];
  readonly forkFields = new Map<FieldNode, string[]>();
  readonly fieldSchemas = new Map<FieldNode, Schema>();
  #entries: ResolvedField[] | undefined;
  #fields: Map<FieldNode, FieldDef> | undefined;
  #messages: Map<MessageNode | DocumentNode, MessageDef> | undefined;

  constructor(
    readonly doc: DocumentNode,
    readonly top: MessageDef | undefined,
    readonly main: Schema,
    private readonly topSchema: Schema,
    private readonly forks: readonly ForkSchema[],
  ) {}

  /** Whether `other` was resolved with what this tree is, from a tree parsed without problems. */
  resolvedAs(other: Tree): boolean {
    return (
      other.doc.errors.length === 0 &&
      other.top === this.top &&
      other.main === this.main &&
      other.topSchema === this.topSchema &&
      other.forks.length === this.forks.length &&
      other.forks.every((f, i) => f.schema === this.forks[i].schema)
    );
  }

  /** Blocks taken over from an earlier tree: listed, with their fields' schemas and forks. */
  adopt(blocks: readonly Block[], from = 0, to = blocks.length): void {
    for (let b = from; b < to; b++) {
      const block = blocks[b];
      this.blocks.push(block);
      const fields = block.node.fields;
      if (block.otherSchemas)
        block.otherSchemas.forEach((schema, i) => this.fieldSchemas.set(fields[i], schema));
      if (block.forkNames) block.forkNames.forEach((names, i) => this.forkFields.set(fields[i], names));
    }
  }

  get fields(): ReadonlyMap<FieldNode, FieldDef> {
    if (this.#fields === undefined) {
      this.#fields = new Map();
      for (const block of this.blocks) {
        const fields = block.node.fields;
        for (let i = 0; i < fields.length; i++) {
          const def = block.fieldDef(i);
          if (def) this.#fields.set(fields[i], def);
        }
      }
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

  get entries(): readonly ResolvedField[] {
    if (this.#entries === undefined) {
      const byNode = new Map<MessageNode | DocumentNode, ResolvedBlock>();
      for (const block of this.blocks) byNode.set(block.node, block);
      const out: ResolvedField[] = [];
      // Depth first, each field before the fields of its value: source order.
      const visit = (fields: readonly FieldNode[], block: ResolvedBlock | undefined): void => {
        const own = block?.entries;
        for (let i = 0; i < fields.length; i++) {
          out.push(own ? own[i] : { node: fields[i] });
          const v = fields[i].value;
          if (v?.kind === 'message') visit(v.fields, byNode.get(v));
          else if (v?.kind === 'list')
            for (const item of v.items) if (item.kind === 'message') visit(item.fields, byNode.get(item));
        }
      };
      visit(this.doc.fields, byNode.get(this.doc));
      this.#entries = out;
    }
    return this.#entries;
  }

  blockOf(node: MessageNode | DocumentNode): ResolvedBlock | undefined {
    const blocks = this.blocks;
    if (node.kind === 'document') return blocks[0]?.node === node ? blocks[0] : undefined;
    // Blocks are pushed before the blocks inside them and after those before them: sorted by start.
    let lo = 1;
    let hi = blocks.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (blocks[mid].node.start <= node.start) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (let i = found; i >= 1 && blocks[i].node.start === node.start; i--)
      if (blocks[i].node === node) return blocks[i];
    return undefined;
  }

  fieldDefIn(block: MessageNode | DocumentNode, field: FieldNode): FieldDef | undefined {
    const resolved = this.blockOf(block);
    if (!resolved) return undefined;
    const fields = block.fields;
    let lo = 0;
    let hi = fields.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const f = fields[mid];
      if (f === field) return resolved.fieldDef(mid);
      if (f.start < field.start) lo = mid + 1;
      else hi = mid - 1;
    }
    const i = fields.indexOf(field);
    return i < 0 ? undefined : resolved.fieldDef(i);
  }
}

/** The index of the first of `blocks` (the document's first) that starts at or after `offset`. */
function firstFrom(blocks: readonly Block[], offset: number): number {
  return Math.max(1, lastAtOrBefore(blocks.length, (i) => blocks[i].node.start, offset - 1) + 1);
}

/** Slots of the walk's first list of definitions, and the most any later list has (see Walker). */
const FIRST_DEFS = 256;
const MAX_DEFS = 1 << 16;

class Walker {
  /**
   * The definitions of the fields walked, block after block (see `Block.first`), in lists never grown:
   * a block whose fields do not fit starts the next list (twice as long, up to MAX_DEFS, or as long as
   * the block), and each block keeps the list it was given. `used` slots of the current one are taken.
   */
  private shared: WalkShared;
  private used = 0;
  /** Blocks before this one were handed to the sink. */
  private handedOver = 0;

  constructor(
    private readonly tree: Tree,
    private readonly main: Schema,
    private readonly forks: readonly ForkSchema[],
    private readonly earlier?: { tree: Tree; change: ChangedRegion | undefined },
    private readonly sink?: ResolvedBlocksSink,
  ) {
    this.shared = { defs: new Array<FieldDef | undefined>(FIRST_DEFS), main };
  }

  /** Hands the blocks resolved since the last time to the sink, when there are at least `least`. */
  handOver(least: number): void {
    const sink = this.sink;
    const end = this.tree.blocks.length;
    if (sink === undefined || end - this.handedOver < least || end === this.handedOver) return;
    const from = this.handedOver;
    this.handedOver = end;
    sink.run(this.tree, from, end);
    if (!sink.keep) {
      this.tree.blocks.length = 0;
      this.handedOver = 0;
    }
  }

  block(
    node: MessageNode | DocumentNode,
    owner: FieldNode | undefined,
    def: MessageDef,
    schema: Schema,
  ): void {
    const fields = node.fields;
    const tree = this.tree;
    let shared = this.shared;
    if (this.used + fields.length > shared.defs.length) {
      const room = Math.max(fields.length, Math.min(MAX_DEFS, 2 * shared.defs.length));
      this.shared = shared = { defs: new Array<FieldDef | undefined>(room), main: shared.main };
      this.used = 0;
    }
    // The block's range is taken before its fields are walked: nested blocks take theirs after it.
    const defs = shared.defs;
    const first = this.used;
    this.used = first + fields.length;
    const block = new Block(node, owner, def, schema, shared, first);
    tree.blocks.push(block);
    const known = schema.fieldsOf(def);
    // The block's own fields first, then the blocks inside them: a block is whole before any block
    // inside it is listed, so the list is always of whole blocks (see ResolvedBlocksSink).
    let schemas: Schema[] | undefined;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i];
      // The common case, a field of the block's own schema, without the fork look-up's allocations.
      const own = known.get(field.name);
      if (own) {
        defs[first + i] = own;
        if (schema !== this.main) this.otherSchema(block, i, schema);
        continue;
      }
      // Unknown here: the field and everything under it stay unresolved (nothing to record).
      const found = this.lookup(def, field.name, schema);
      if (!found) continue;
      defs[first + i] = found.def;
      if (found.schema !== this.main) this.otherSchema(block, i, found.schema);
      if (found.schema !== schema) (schemas ??= [])[i] = found.schema;
      if (found.forks) {
        tree.forkFields.set(field, found.forks);
        ((block.extras ??= {}).forkNames ??= [])[i] = found.forks;
      }
    }
    if (this.sink) this.handOver(this.sink.size);
    for (let i = 0; i < fields.length; i++) {
      const fieldDef = defs[first + i];
      if (fieldDef !== undefined && fieldDef.kind === 'message')
        this.value(fields[i], fieldDef, schemas?.[i] ?? schema);
    }
  }

  private otherSchema(block: Block, index: number, schema: Schema): void {
    this.tree.fieldSchemas.set(block.node.fields[index], schema);
    ((block.extras ??= {}).otherSchemas ??= [])[index] = schema;
  }

  /**
   * Takes over the earlier tree's blocks of `field`'s value, moved to where it is now, when the edit
   * left the field as it was and its value was resolved as `def` of `schema` there too (a field of
   * the same name may have another type in another message). In the earlier tree's list, those blocks
   * follow one another from the first block whose owner starts where the field did.
   */
  private takenOver(field: FieldNode, def: MessageDef, schema: Schema): boolean {
    const earlier = this.earlier;
    const value = field.value;
    if (!earlier || !value) return false;
    const was = startBefore(earlier.change, field.start, field.end);
    if (was === undefined) return false;
    const blocks = earlier.tree.blocks;
    const first = firstFrom(blocks, value.start - (field.start - was));
    const owner = blocks[first]?.owner;
    if (!owner || owner.start !== was || owner.end - was !== field.end - field.start) return false;
    if (blocks[first].def !== def || blocks[first].schema !== schema) return false;
    // The field's blocks end where a block starts past it (its end read once: it is worked out).
    const past = owner.end;
    let end = first;
    while (end < blocks.length && blocks[end].node.start < past) end++;
    if (owner === field) {
      this.tree.adopt(blocks, first, end);
      return true;
    }
    const moved = movedBlocks(blocks, first, end, owner, field);
    if (moved) this.tree.adopt(moved);
    return moved !== undefined;
  }

  private value(field: FieldNode, def: FieldDef, schema: Schema): void {
    const v = field.value;
    if (v === undefined || def.kind !== 'message') return;
    const messageDef = schema.messageOf(def);
    if (messageDef === undefined || this.takenOver(field, messageDef, schema)) return;
    if (v.kind === 'message') this.block(v, field, messageDef, schema);
    else if (v.kind === 'list') {
      for (const body of v.items) if (body.kind === 'message') this.block(body, field, messageDef, schema);
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
