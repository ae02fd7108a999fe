// Small readers over tree-sitter-python nodes: spans, dotted names and string literal values.

import type { Node } from 'web-tree-sitter';
import type { LineIndex } from '../util/ranges';
import type { PySpan } from './module-info';
import { sourceSpan } from './py-span';

export function spanOf(node: Node, lines: LineIndex): PySpan {
  return spanBetween(node.startIndex, node.endIndex, lines);
}

export function spanBetween(start: number, end: number, lines: LineIndex): PySpan {
  return sourceSpan(start, end, lines);
}

/** `a`, `a.b.c` for identifier/attribute chains (and dotted_name); undefined for anything else. */
export function dottedText(node: Node | null): string | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'identifier':
      return node.text;
    case 'dotted_name':
      return node.namedChildren.map((c) => c?.text ?? '').join('.');
    case 'attribute': {
      const object = dottedText(node.childForFieldName('object'));
      const attribute = node.childForFieldName('attribute');
      return object !== undefined && attribute ? `${object}.${attribute.text}` : undefined;
    }
    case 'parenthesized_expression':
      return dottedText(node.namedChildren[0] ?? null);
    default:
      return undefined;
  }
}

/** Whether a `try` statement has a handler that catches ImportError (by name, a base of it, or bare). */
export function catchesImportError(tryStatement: Node): boolean {
  return catches(tryStatement, /\b(ImportError|ModuleNotFoundError|Exception|BaseException)\b/);
}

/** Whether a `try` statement has a bare handler or one whose caught names match `names`. */
function catches(tryStatement: Node, names: RegExp): boolean {
  for (const handler of tryStatement.namedChildren) {
    if (handler?.type !== 'except_clause') continue;
    const caught = handler.namedChildren.find((c) => c?.type !== 'block')?.text;
    if (caught === undefined || names.test(caught)) return true;
  }
  return false;
}

/**
 * Whether `node` runs in the body of a `try` (within its function) with a handler that catches a
 * missing key (KeyError, a base of it, or bare): `try: x = params['k'] except KeyError: x = 0`.
 */
export function inTryCatchingKeyError(node: Node): boolean {
  let child = node;
  for (let n = node.parent; n && n.type !== 'function_definition'; child = n, n = n.parent) {
    if (n.type !== 'try_statement' || n.childForFieldName('body')?.startIndex !== child.startIndex) continue;
    if (catches(n, /\b(KeyError|LookupError|Exception|BaseException)\b/)) return true;
  }
  return false;
}

/** Drops redundant parentheses: `(x)` -> `x`. */
export function unparen(node: Node | null): Node | null {
  let n = node;
  while (n && n.type === 'parenthesized_expression' && n.namedChildCount === 1)
    n = n.namedChildren[0] ?? null;
  return n;
}

/** Positional arguments of a call (keyword arguments and splats left out). */
export function positionalArguments(call: Node): Node[] {
  const args = call.childForFieldName('arguments');
  if (!args || args.type !== 'argument_list') return [];
  const out: Node[] = [];
  for (const a of args.namedChildren) {
    if (!a || a.type === 'comment') continue;
    if (a.type === 'keyword_argument' || a.type === 'list_splat' || a.type === 'dictionary_splat') continue;
    out.push(a);
  }
  return out;
}

/** One parameter of a `def`: its name, `*args`/`**kwargs` kind, name node and default's source text. */
export interface Parameter {
  name: string;
  kind: 'plain' | 'list' | 'dict';
  nameNode: Node;
  default?: string;
  /** After a bare `*` or `*args`: passed only by keyword. */
  keywordOnly?: true;
}

/** The parameters of a `parameters` node, in order (the `*` and `/` markers left out). */
export function parameterList(params: Node): Parameter[] {
  const out: Parameter[] = [];
  let keywordOnly = false;
  for (const p of params.namedChildren) {
    if (!p) continue;
    if (p.type === 'keyword_separator') keywordOnly = true;
    const one = parameterOf(p);
    if (!one) continue;
    out.push(keywordOnly && one.kind === 'plain' ? { ...one, keywordOnly: true } : one);
    if (one.kind === 'list') keywordOnly = true;
  }
  return out;
}

function parameterOf(p: Node): Parameter | undefined {
  switch (p.type) {
    case 'identifier':
      return { name: p.text, kind: 'plain', nameNode: p };
    case 'default_parameter':
    case 'typed_default_parameter': {
      const name = p.childForFieldName('name') ?? p;
      const value = p.childForFieldName('value');
      return { name: name.text, kind: 'plain', nameNode: name, ...(value ? { default: value.text } : {}) };
    }
    case 'typed_parameter': {
      const inner = p.namedChildren.find((c) => c && c.type !== 'type');
      return inner ? parameterOf(inner) : undefined;
    }
    case 'list_splat_pattern':
    case 'dictionary_splat_pattern': {
      const id = p.namedChildren.find((c) => c?.type === 'identifier');
      return {
        name: id?.text ?? '',
        kind: p.type === 'list_splat_pattern' ? 'list' : 'dict',
        nameNode: id ?? p,
      };
    }
    default:
      return undefined;
  }
}

/** The value of a plain string literal (also implicit concatenation); undefined for f-strings and others. */
export function stringValue(node: Node | null): string | undefined {
  const n = unparen(node);
  if (!n) return undefined;
  if (n.type === 'concatenated_string') {
    let out = '';
    for (const part of n.namedChildren) {
      const v = stringValue(part);
      if (v === undefined) return undefined;
      out += v;
    }
    return out;
  }
  if (n.type !== 'string') return undefined;
  return decodeStringLiteral(n.text);
}

/** Decodes the text of one Python string literal, prefix and quotes included. */
export function decodeStringLiteral(text: string): string | undefined {
  const prefix = /^[rRbBuUfF]*/.exec(text)?.[0] ?? '';
  if (/[fF]/.test(prefix)) return undefined;
  const raw = /[rR]/.test(prefix);
  const rest = text.slice(prefix.length);
  const quote = rest.startsWith('"""') || rest.startsWith("'''") ? rest.slice(0, 3) : rest.slice(0, 1);
  if (quote !== '"' && quote !== "'" && quote !== '"""' && quote !== "'''") return undefined;
  if (rest.length < quote.length * 2 || !rest.endsWith(quote)) return undefined;
  const body = rest.slice(quote.length, rest.length - quote.length);
  return raw ? body : decodeEscapes(body);
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
};

function decodeEscapes(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\' || i + 1 >= body.length) {
      out += c;
      continue;
    }
    const e = body[i + 1];
    const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (hex > 0 && /^[0-9a-fA-F]+$/.test(body.slice(i + 2, i + 2 + hex)) && i + 2 + hex <= body.length) {
      out += String.fromCodePoint(parseInt(body.slice(i + 2, i + 2 + hex), 16));
      i += 1 + hex;
    } else if (/[0-7]/.test(e)) {
      const oct = /^[0-7]{1,3}/.exec(body.slice(i + 1))?.[0] ?? '0';
      out += String.fromCharCode(parseInt(oct, 8));
      i += oct.length;
    } else if (e === '\n') {
      i += 1;
    } else if (e === '\r') {
      i += body[i + 2] === '\n' ? 2 : 1;
    } else if (e in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[e];
      i += 1;
    } else {
      out += c;
    }
  }
  return out;
}
