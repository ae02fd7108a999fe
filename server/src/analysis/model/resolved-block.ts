// One resolved message block: its definition, and its fields' definitions from the walk's shared
// list (resolve.ts walks the tree and makes them; editor features and the checks read them).

import type { DocumentNode, FieldNode, MessageNode } from '../../parser/ast';
import type { FieldDef, MessageDef } from '../../schema/model';
import type { Schema } from '../../schema/schema';

/** A message body (or the document itself) with the definition it was resolved to. */
export interface ResolvedBlock {
  node: MessageNode | DocumentNode;
  /** The field whose value this block is; undefined for the document. */
  owner?: FieldNode;
  def: MessageDef;
  /** The schema `def` comes from (the main schema or a fork's). */
  schema: Schema;
  /** The definition of `node.fields[index]`; undefined where the schema has none. */
  fieldDef(index: number): FieldDef | undefined;
  /** The block's own fields with their definitions, in order (made on first use). */
  readonly entries: readonly ResolvedField[];
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

/** What the blocks of one walk share: a list of field definitions (a walk makes several), and the main schema. */
export interface WalkShared {
  readonly defs: (FieldDef | undefined)[];
  readonly main: Schema;
}

/** What few blocks have (fields of another schema, fork fields): one slot for both in every block. */
export interface BlockExtras {
  /** Per field, the schema its definition comes from when that is not the main schema. */
  otherSchemas?: Schema[];
  /** Per field the main schema lacks, the forks that define it. */
  forkNames?: string[][];
}

/** Each block's entries, made when an editor feature first asks (most blocks are never asked). */
const blockEntries = new WeakMap<Block, readonly ResolvedField[]>();

/**
 * A block as resolved. A large net has one per message written, so it keeps only what cannot be
 * shared: what the walk shares and the rare extras sit behind one slot each.
 */
export class Block implements ResolvedBlock {
  extras: BlockExtras | undefined = undefined;

  constructor(
    readonly node: MessageNode | DocumentNode,
    readonly owner: FieldNode | undefined,
    readonly def: MessageDef,
    readonly schema: Schema,
    /** The definitions of the fields, `node.fields[i]`'s at `shared.defs[first + i]`. */
    private readonly shared: WalkShared,
    private readonly first: number,
  ) {}

  get otherSchemas(): Schema[] | undefined {
    return this.extras?.otherSchemas;
  }

  get forkNames(): string[][] | undefined {
    return this.extras?.forkNames;
  }

  fieldDef(index: number): FieldDef | undefined {
    return index < this.node.fields.length ? this.shared.defs[this.first + index] : undefined;
  }

  get entries(): readonly ResolvedField[] {
    let entries = blockEntries.get(this);
    if (entries === undefined) {
      entries = this.node.fields.map((node, i) => {
        const def = this.fieldDef(i);
        const schema = this.otherSchemas?.[i] ?? this.shared.main;
        return def ? { node, parent: this, def, schema } : { node, parent: this };
      });
      blockEntries.set(this, entries);
    }
    return entries;
  }

  /** This block's resolution for `node`, a copy of its node elsewhere in the text, owned by `owner`. */
  movedTo(node: MessageNode, owner: FieldNode): Block {
    const moved = new Block(node, owner, this.def, this.schema, this.shared, this.first);
    moved.extras = this.extras;
    return moved;
  }
}

/**
 * `blocks[from, to)`, the blocks of the field `was` in walk order, moved onto `field`: a copy of it
 * (the same text) elsewhere. Undefined when the two do not match block for block.
 */
export function movedBlocks(
  blocks: readonly Block[],
  from: number,
  to: number,
  was: FieldNode,
  field: FieldNode,
): Block[] | undefined {
  const out: Block[] = [];
  let next = from;
  // The blocks of one field's value, in the order the walk made them: its message or list's messages.
  const visit = (before: FieldNode, now: FieldNode): void => {
    if (next >= to || blocks[next].owner !== before) return;
    const v = now.value;
    const w = before.value;
    if (v?.kind === 'message') body(blocks[next++], v, now);
    else if (v?.kind === 'list' && w?.kind === 'list') {
      for (let k = 0; k < v.items.length; k++) {
        const item = v.items[k];
        if (item.kind === 'message' && next < to && blocks[next].node === w.items[k])
          body(blocks[next++], item, now);
      }
    }
  };
  const body = (block: Block, node: MessageNode, owner: FieldNode): void => {
    out.push(block.movedTo(node, owner));
    const before = block.node.fields;
    const fields = node.fields;
    if (before.length !== fields.length) return;
    for (let i = 0; i < fields.length; i++) visit(before[i], fields[i]);
  };
  visit(was, field);
  return next === to && out.length === to - from ? out : undefined;
}
