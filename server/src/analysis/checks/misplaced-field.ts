// An unknown field that a block around it defines: the usual trace of a block whose `}` is missing
// (`layer { ...` without its `}`, and the next `layer {` is read inside it), or of a field written one
// block too deep. The unknown-field error then says which block and where it was opened.

import { lastAtOrBefore } from '../../../../common/arrays';
import type { DocumentNode, FieldNode, MessageNode } from '../../parser/ast';
import type { MessageDef } from '../../schema/model';
import type { Schema } from '../../schema/schema';

/** The block left open (or the field written too deep), as the message tells it. */
export interface MisplacedField {
  /** The message around, a few blocks out, that defines the field. */
  definedIn: MessageDef;
  /** The field whose block holds the unknown field, directly under `definedIn`'s block. */
  block: FieldNode;
}

interface Step {
  node: MessageNode | DocumentNode;
  /** The field whose value `node` is (undefined for the document). */
  owner?: FieldNode;
  def: MessageDef;
}

/**
 * For the unknown field `name` written in `block` (a message body of the document): the nearest block
 * around `block` whose message defines a field of that name, and the field whose block, directly inside
 * that one, holds `block`. Undefined when none does, or when a message on the way is not known.
 */
export function misplacedField(
  doc: DocumentNode,
  top: MessageDef | undefined,
  schema: Schema,
  block: MessageNode | DocumentNode,
  name: string,
): MisplacedField | undefined {
  if (top === undefined || block === doc) return undefined;
  const path = pathTo(doc, top, schema, block);
  if (path === undefined) return undefined;
  // The last step is `block` itself: look in the blocks around it, innermost first.
  for (let i = path.length - 2; i >= 0; i--) {
    if (path[i].def.fields.some((f) => f.name === name)) {
      const inside = path[i + 1].owner;
      return inside ? { definedIn: path[i].def, block: inside } : undefined;
    }
  }
  return undefined;
}

/** The blocks from the document down to `target`, each with its message; undefined off the schema. */
function pathTo(
  doc: DocumentNode,
  top: MessageDef,
  schema: Schema,
  target: MessageNode | DocumentNode,
): Step[] | undefined {
  const path: Step[] = [{ node: doc, def: top }];
  const at = target.start;
  for (let depth = 0; depth < 200; depth++) {
    const { node, def } = path[path.length - 1];
    if (node === target) return path;
    const fields = node.fields;
    const i = lastAtOrBefore(fields.length, (k) => fields[k].start, at);
    const field = fields[i];
    if (field === undefined || field.end < target.end) return undefined;
    const fieldDef = schema.field(def, field.name);
    const inner = fieldDef?.kind === 'message' ? schema.messageOf(fieldDef) : undefined;
    const value = field.value;
    if (inner === undefined || value === undefined) return undefined;
    const next =
      value.kind === 'message'
        ? value
        : value.kind === 'list'
          ? value.items.find(
              (item): item is MessageNode =>
                item.kind === 'message' && item.start <= at && item.end >= target.end,
            )
          : undefined;
    if (next === undefined || next.start > at) return undefined;
    path.push({ node: next, owner: field, def: inner });
  }
  return undefined;
}
