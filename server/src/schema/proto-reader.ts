// Reads a proto2 .proto file into SchemaData: full names, field kinds resolved with protobuf's
// scoping rules, doc comments and source locations. Never throws: problems come back as errors.

import type { IToken } from 'chevrotain';
import type { EnumDef, FieldDef, Label, MessageDef, ScalarType, SchemaData, SourceLocation } from './model';
import { ProtoComments } from './proto-comments';
import { protoLexer } from './proto-lexer';
import { MAX_PROTO_NESTING, tooDeep } from './proto-nesting';
import { SIMPLE_ESCAPES } from '../parser/strings';
import {
  parseProtoTokens,
  type RawEnum,
  type RawField,
  type RawMessage,
  type RawOption,
} from './proto-parser';

export interface ProtoError {
  message: string;
  /** 0-based. */
  line: number;
  /** 0-based, in UTF-16 code units. */
  character: number;
}

export interface ProtoReadResult {
  data: SchemaData;
  errors: ProtoError[];
}

const SCALARS: ReadonlySet<string> = new Set<ScalarType>([
  'double',
  'float',
  'int32',
  'int64',
  'uint32',
  'uint64',
  'sint32',
  'sint64',
  'fixed32',
  'fixed64',
  'sfixed32',
  'sfixed64',
  'bool',
  'string',
  'bytes',
]);

export function readProto(text: string, file: string): ProtoReadResult {
  const errors: ProtoError[] = [];
  try {
    return readProtoUnguarded(text, file, errors);
  } catch (e) {
    // A bug here must not take the server down: report it as a problem with the file.
    errors.push({ message: `internal error reading ${file}: ${String(e)}`, line: 0, character: 0 });
    return { data: { package: '', messages: [], enums: [] }, errors };
  }
}

function readProtoUnguarded(text: string, file: string, errors: ProtoError[]): ProtoReadResult {
  const lexed = protoLexer().tokenize(text);
  for (const e of lexed.errors) {
    const snippet = text.slice(e.offset, e.offset + Math.min(e.length, 20));
    errors.push({
      message: `unexpected character(s) '${snippet}'`,
      line: (e.line ?? 1) - 1,
      character: (e.column ?? 1) - 1,
    });
  }
  const deep = tooDeep(lexed.tokens);
  if (deep) {
    errors.push({
      message: `blocks nested more than ${MAX_PROTO_NESTING} deep: the file is not read`,
      line: Math.max(0, (deep.startLine ?? 1) - 1),
      character: Math.max(0, (deep.startColumn ?? 1) - 1),
    });
    return { data: { package: '', messages: [], enums: [] }, errors };
  }
  const parsed = parseProtoTokens(lexed.tokens);
  for (const e of parsed.errors) {
    const at = e.token.image === '' && e.previous ? e.previous : e.token;
    const endOfInput = e.token.tokenType.name === 'EOF';
    errors.push({
      message: e.message,
      line: Math.max(0, (endOfInput ? (at.endLine ?? 1) : (at.startLine ?? 1)) - 1),
      character: Math.max(0, endOfInput ? (at.endColumn ?? 0) : (at.startColumn ?? 1) - 1),
    });
  }

  const comments = new ProtoComments(lexed.tokens, lexed.groups['comments'] ?? []);
  const pkg = parsed.file.package?.image ?? '';
  const builder = new SchemaBuilder(file, comments, errors);
  const messages: MessageDef[] = [];
  const enums: EnumDef[] = [];
  builder.collect(pkg, parsed.file.messages, parsed.file.enums, messages, enums);
  builder.resolveTypes(pkg, messages, enums);
  return { data: { package: pkg, messages, enums }, errors };
}

interface PendingField {
  field: FieldDef;
  scope: string;
  typeToken: IToken;
}

class SchemaBuilder {
  private readonly pending: PendingField[] = [];

  constructor(
    private readonly file: string,
    private readonly comments: ProtoComments,
    private readonly errors: ProtoError[],
  ) {}

  collect(
    scope: string,
    raws: RawMessage[],
    rawEnums: RawEnum[],
    messages: MessageDef[],
    enums: EnumDef[],
  ): void {
    for (const raw of rawEnums) if (usable(raw.name)) enums.push(this.enumDef(scope, raw));
    for (const raw of raws) {
      if (!usable(raw.name)) continue;
      const fullName = qualify(scope, raw.name.image);
      const message: MessageDef = {
        fullName,
        name: raw.name.image,
        fields: [],
        ...this.docAndLocation(raw.start, raw.open, raw.name),
      };
      for (const f of raw.fields) {
        const field = this.fieldDef(f);
        if (field) {
          message.fields.push(field);
          this.pending.push({ field, scope: fullName, typeToken: f.type });
        }
      }
      messages.push(message);
      this.collect(fullName, raw.messages, raw.enums, messages, enums);
    }
  }

  private enumDef(scope: string, raw: RawEnum): EnumDef {
    const values = raw.values
      .filter((v) => usable(v.name) && usable(v.number))
      .map((v) => {
        const number = parseInteger((v.sign?.image ?? '') + v.number.image);
        if (number === undefined)
          this.error(v.number, `enum value number '${v.number.image}' is not an integer`);
        const doc = this.comments.docFor(v.start, v.end);
        return { name: v.name.image, number: number ?? 0, ...(doc !== undefined ? { doc } : {}) };
      });
    return {
      fullName: qualify(scope, raw.name.image),
      name: raw.name.image,
      values,
      ...this.docAndLocation(raw.start, raw.open, raw.name),
    };
  }

  private fieldDef(raw: RawField): FieldDef | undefined {
    if (!usable(raw.name) || !usable(raw.type) || !usable(raw.number)) return undefined;
    const number = parseInteger((raw.sign?.image ?? '') + raw.number.image);
    if (number === undefined || number < 1) {
      this.error(raw.number, `field number '${raw.number.image}' must be a positive integer`);
    }
    const label = (raw.label?.image ?? 'optional') as Label;
    const field: FieldDef = {
      name: raw.name.image,
      number: number ?? 0,
      label,
      kind: SCALARS.has(raw.type.image) ? 'scalar' : 'message',
      type: raw.type.image,
    };
    // The parser's error recovery can leave a hole where an option did not parse.
    for (const option of raw.options as (RawOption | undefined)[])
      if (option) this.applyOption(field, option);
    if (raw.oneof !== undefined) field.oneof = raw.oneof;
    Object.assign(field, this.docAndLocation(raw.start, raw.end, raw.name));
    return field;
  }

  private applyOption(field: FieldDef, option: RawOption): void {
    const value = optionValue(option.value);
    if (option.name === 'default' && value !== undefined) field.default = value;
    else if (option.name === 'deprecated') field.deprecated = value === 'true';
  }

  /** Turns each field's written type into a full name and sets its kind. */
  resolveTypes(pkg: string, messages: MessageDef[], enums: EnumDef[]): void {
    const kinds = new Map<string, 'message' | 'enum'>();
    for (const m of messages) kinds.set(m.fullName, 'message');
    for (const e of enums) kinds.set(e.fullName, 'enum');
    const packages = new Set<string>();
    for (let p = pkg; p !== ''; p = parentScope(p)) packages.add(p);
    for (const { field, scope, typeToken } of this.pending) {
      if (field.kind === 'scalar') continue;
      const full = resolveName(field.type, scope, kinds, packages);
      const kind = full === undefined ? undefined : kinds.get(full);
      if (full === undefined || kind === undefined) {
        this.error(typeToken, `unknown type '${field.type}' for field '${field.name}'`);
        continue;
      }
      field.type = full;
      field.kind = kind;
    }
  }

  private docAndLocation(
    start: IToken,
    end: IToken | undefined,
    name: IToken,
  ): { doc?: string; location: SourceLocation } {
    const doc = this.comments.docFor(start, end);
    const location = {
      file: this.file,
      line: (name.startLine ?? 1) - 1,
      character: (name.startColumn ?? 1) - 1,
    };
    return doc === undefined ? { location } : { doc, location };
  }

  private error(token: IToken, message: string): void {
    this.errors.push({ message, line: (token.startLine ?? 1) - 1, character: (token.startColumn ?? 1) - 1 });
  }
}

/**
 * protobuf's scoping: `.a.B` is absolute; otherwise the first component is looked up from the
 * innermost scope outward, and the rest is resolved inside what it names.
 */
export function resolveName(
  written: string,
  scope: string,
  kinds: ReadonlyMap<string, unknown>,
  packages: ReadonlySet<string>,
): string | undefined {
  if (written.startsWith('.')) return kinds.has(written.slice(1)) ? written.slice(1) : undefined;
  const dot = written.indexOf('.');
  const first = dot < 0 ? written : written.slice(0, dot);
  const rest = dot < 0 ? '' : written.slice(dot);
  for (let s = scope; ; s = parentScope(s)) {
    const candidate = qualify(s, first);
    if (kinds.has(candidate) || packages.has(candidate)) {
      const full = candidate + rest;
      if (kinds.has(full)) return full;
      // protobuf keeps looking outward when the first component names only a package prefix.
      if (!packages.has(candidate)) return undefined;
    }
    if (s === '') return undefined;
  }
}

function parentScope(scope: string): string {
  const dot = scope.lastIndexOf('.');
  return dot < 0 ? '' : scope.slice(0, dot);
}

function qualify(scope: string, name: string): string {
  return scope === '' ? name : `${scope}.${name}`;
}

/** Tokens made up by error recovery carry no text and are left out. */
function usable(token: IToken): boolean {
  return !token.isInsertedInRecovery && token.image !== '';
}

function parseInteger(text: string): number | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|\d+)$/.exec(text);
  if (!m) return undefined;
  const body = m[2] ?? '';
  const value =
    body.length > 1 && body.startsWith('0') && !/^0[xX]/.test(body) ? Number.parseInt(body, 8) : Number(body);
  return m[1] === '-' ? -value : value;
}

/** An option's value as text: `-1`, `MAX`, `true`, or a string's decoded contents. */
function optionValue(tokens: IToken[]): string | undefined {
  if (tokens.length === 0 || tokens.some((t) => !usable(t))) return undefined;
  if (tokens[0]?.tokenType.name === 'StringLit') return tokens.map((t) => decodeString(t.image)).join('');
  return tokens.map((t) => t.image).join('');
}

export function decodeString(literal: string): string {
  const body = literal.slice(1, -1);
  return body.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_m, esc: string) => {
    if (esc.startsWith('x') && esc.length > 1) return String.fromCharCode(Number.parseInt(esc.slice(1), 16));
    if (/^[0-7]/.test(esc)) return String.fromCharCode(Number.parseInt(esc, 8));
    return SIMPLE_ESCAPES[esc] ?? esc;
  });
}
