// Small readers over the syntax tree shared by the net model and shape inference.

import { pushAll } from '../../../../common/arrays';
import type { FieldNode, Span, ValueNode } from '../../parser/ast';

export function fieldsNamed(fields: readonly FieldNode[], name: string): FieldNode[] {
  return fields.filter((f) => f.name === name);
}

/** The first field with that name (a singular field given twice is reported by validation). */
export function firstField(fields: readonly FieldNode[], name: string): FieldNode | undefined {
  // A plain loop: the net model asks this several times per layer, rule and param block.
  for (let i = 0; i < fields.length; i++) if (fields[i].name === name) return fields[i];
  return undefined;
}

/** The text of a string or identifier value (a number's text for numbers); undefined for messages. */
export function scalarText(value: ValueNode | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.kind === 'string') return value.value;
  if (value.kind === 'identifier') return (value.negative ? '-' : '') + value.name;
  if (value.kind === 'number') return value.text;
  return undefined;
}

/** The numeric value of a number (also `inf`/`nan` identifiers); undefined otherwise. */
export function numberValue(value: ValueNode | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value.kind === 'number') return Number.isFinite(value.value) ? value.value : undefined;
  return undefined;
}

/** The scalar values of every occurrence of a repeated field, lists (`[a, b]`) flattened. */
export function repeatedValues(fields: readonly FieldNode[], name: string): ValueNode[] {
  const out: ValueNode[] = [];
  for (const f of fields) {
    if (f.name !== name || f.value === undefined) continue;
    if (f.value.kind === 'list') pushAll(out, f.value.items);
    else out.push(f.value);
  }
  return out;
}

/** A blob or param name as written: `span` covers the value (quotes included). */
export interface NameRef {
  name: string;
  span: Span;
}

/** Every scalar value of the fields named `name`, as name references. */
export function refs(fields: readonly FieldNode[], name: string): NameRef[] {
  const out: NameRef[] = [];
  for (const f of fields) if (f.name === name) addRefs(f, out, out.length);
  return out;
}

/**
 * The scalar values of one field (a list's items, or its one value) as name references, written in
 * `out` from `at` on; returns where they end.
 */
export function addRefs(f: FieldNode, out: NameRef[], at: number): number {
  const v = f.value;
  if (v === undefined) return at;
  if (v.kind !== 'list') return addRef(v, out, at);
  for (const item of v.items) at = addRef(item, out, at);
  return at;
}

function addRef(v: ValueNode, out: NameRef[], at: number): number {
  const text = scalarText(v);
  if (text === undefined) return at;
  // The value node is the span (it is never changed): no copy per blob reference.
  out[at] = { name: text, span: v };
  return at + 1;
}
