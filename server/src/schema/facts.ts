// The facts of a schema: what the generator commits and what tests compare. No comments, no
// source locations — only names, numbers, labels, types, defaults, deprecation, oneofs and enum values.

import type { EnumDef, FieldDef, MessageDef, SchemaData } from './model';

export function schemaFacts(data: SchemaData): SchemaData {
  return {
    package: data.package,
    messages: data.messages.map(messageFacts),
    enums: data.enums.map(enumFacts),
  };
}

function messageFacts(m: MessageDef): MessageDef {
  return { fullName: m.fullName, name: m.name, fields: m.fields.map(fieldFacts) };
}

function fieldFacts(f: FieldDef): FieldDef {
  const out: FieldDef = { name: f.name, number: f.number, label: f.label, kind: f.kind, type: f.type };
  if (f.default !== undefined) out.default = f.default;
  if (f.deprecated) out.deprecated = true;
  if (f.oneof !== undefined) out.oneof = f.oneof;
  return out;
}

function enumFacts(e: EnumDef): EnumDef {
  return {
    fullName: e.fullName,
    name: e.name,
    values: e.values.map((v) => ({ name: v.name, number: v.number })),
  };
}

/** The header every generated schema file carries. */
export interface GeneratedHeader {
  generated: string;
  from: string;
  regenerate: string;
}

export interface GeneratedSchemaFile extends SchemaData {
  $header: GeneratedHeader;
  changedLayers?: Record<string, string>;
}

/**
 * Compact JSON with one message or enum per line, so a regenerated file diffs readably.
 * `changedLayers`: BVLC's layer types whose C++ the fork changed -> the changed file (Schema.changedLayers).
 */
export function generatedSchemaJson(
  header: GeneratedHeader,
  data: SchemaData,
  changedLayers?: ReadonlyMap<string, string>,
): string {
  const facts = schemaFacts(data);
  const lines = [
    '{',
    `"$header": ${JSON.stringify(header)},`,
    ...(changedLayers && changedLayers.size > 0
      ? [`"changedLayers": ${JSON.stringify(Object.fromEntries(changedLayers))},`]
      : []),
    `"package": ${JSON.stringify(facts.package)},`,
    '"messages": [',
    facts.messages.map((m) => JSON.stringify(m)).join(',\n'),
    '],',
    '"enums": [',
    facts.enums.map((e) => JSON.stringify(e)).join(',\n'),
    ']',
    '}',
  ];
  return lines.join('\n') + '\n';
}
