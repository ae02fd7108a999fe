// How a field definition reads to people: its type as written in the .proto, its default, a
// one-line signature. Completion uses the short forms for `detail`; hover/field-hover.ts the rest.

import type { FieldDef } from '../../schema/model';

/** A text that is markdown or plain, depending on what the client renders. */
export class Doc {
  private readonly parts: string[] = [];
  constructor(readonly markdown: boolean) {}

  /** A paragraph of prose (escaped for markdown). */
  text(s: string): this {
    this.parts.push(this.markdown ? escapeMarkdown(s) : s);
    return this;
  }

  /** A paragraph already in markdown; `plain` is its plain-text form. */
  raw(markdown: string, plain: string): this {
    this.parts.push(this.markdown ? markdown : plain);
    return this;
  }

  /** A code block (a fenced block in markdown, the bare lines in plain text). */
  code(lines: string, language = 'proto'): this {
    this.parts.push(this.markdown ? `\`\`\`${language}\n${lines}\n\`\`\`` : lines);
    return this;
  }

  /** Inline code inside prose. */
  c(s: string): string {
    return this.markdown ? `\`${s.replace(/`/g, "'")}\`` : s;
  }

  /** Bold inside prose. */
  b(s: string): string {
    return this.markdown ? `**${escapeMarkdown(s)}**` : s;
  }

  get empty(): boolean {
    return this.parts.length === 0;
  }

  toString(): string {
    return this.parts.join('\n\n');
  }
}

export function escapeMarkdown(s: string): string {
  return s.replace(/([\\`*_{}[\]<>#|~])/g, '\\$1');
}

/** The last component of a full name: 'caffe.FillerParameter' -> 'FillerParameter'. */
export function shortName(fullName: string): string {
  const dot = fullName.lastIndexOf('.');
  return dot < 0 ? fullName : fullName.slice(dot + 1);
}

/** The type as a person reads it: 'uint32', 'FillerParameter', 'Phase'. */
export function typeName(def: FieldDef): string {
  return def.kind === 'scalar' ? def.type : shortName(def.type);
}

/** The default as a prototxt would write it ('"abc"' for strings), or undefined. */
export function defaultText(def: FieldDef): string | undefined {
  if (def.default === undefined) return undefined;
  if (def.type === 'string' || def.type === 'bytes') return JSON.stringify(def.default);
  return def.default;
}

/** The completion detail: `uint32 = 1`, `repeated string`, `FillerParameter`. */
export function fieldDetail(def: FieldDef): string {
  const type = typeName(def);
  const dflt = defaultText(def);
  const label = def.label === 'optional' ? '' : `${def.label} `;
  return `${label}${type}${dflt === undefined ? '' : ` = ${dflt}`}${def.deprecated ? ' (deprecated)' : ''}`;
}

/** The field as declared in a .proto: `optional uint32 num_output = 1 [default = 0];`. */
export function fieldSignature(def: FieldDef): string {
  const options: string[] = [];
  const dflt = defaultText(def);
  if (dflt !== undefined) options.push(`default = ${dflt}`);
  if (def.deprecated) options.push('deprecated = true');
  const opts = options.length > 0 ? ` [${options.join(', ')}]` : '';
  return `${def.label} ${typeName(def)} ${def.name} = ${def.number}${opts};`;
}

/** How many enum values hovers list before "+N more". */
export const ENUM_CAP = 20;
