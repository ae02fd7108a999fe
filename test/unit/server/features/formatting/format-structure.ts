// A comparable view of a parsed document for the formatter's "never changes meaning" tests: field
// names, value kinds and values (strings decoded, numbers and identifiers as written), in order,
// and the comment texts in order. Block delimiters (`{` or `<`) and separators are left out.

import type { DocumentNode, FieldNode, MessageNode, ScalarNode } from '../../../../../server/src/parser/ast';

export type Structure = (string | Structure)[];

export function structureOf(ast: DocumentNode): { fields: Structure; comments: string[] } {
  return { fields: ast.fields.map(fieldStructure), comments: ast.comments.map((c) => c.text) };
}

function fieldStructure(field: FieldNode): Structure {
  const v = field.value;
  if (v === undefined) return [field.name, 'missing'];
  if (v.kind === 'message') return [field.name, messageStructure(v)];
  if (v.kind === 'list')
    return [
      field.name,
      ['list', ...v.items.map((i) => (i.kind === 'message' ? messageStructure(i) : scalarText(i)))],
    ];
  return [field.name, scalarText(v)];
}

function messageStructure(m: MessageNode): Structure {
  return ['message', ...m.fields.map(fieldStructure)];
}

function scalarText(v: ScalarNode): string {
  if (v.kind === 'string') return `string:${JSON.stringify(v.value)}`;
  if (v.kind === 'number') return `number:${v.text.replace(/\s+/g, '')}`;
  return `identifier:${v.negative ? '-' : ''}${v.name}`;
}
