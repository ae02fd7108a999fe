// Test helper: a parsed document as plain data, to compare with expectations written by hand.

import type { FieldNode, ValueNode } from '../../../../server/src/parser/ast';

export type Plain = string | Plain[] | { [name: string]: Plain };

/** Fields as `[name, value]` pairs; strings decoded, numbers as written, identifiers with their sign. */
export function plainFields(fields: readonly FieldNode[]): [string, Plain][] {
  return fields.map((f) => [f.name, f.value ? plainValue(f.value) : '<missing>']);
}

export function plainValue(value: ValueNode): Plain {
  switch (value.kind) {
    case 'string':
      return `str:${value.value}`;
    case 'number':
      return `num:${value.text}`;
    case 'identifier':
      return `id:${value.negative ? '-' : ''}${value.name}`;
    case 'list':
      return value.items.map(plainValue);
    case 'message':
      return { [value.open]: plainFields(value.fields) };
  }
}
