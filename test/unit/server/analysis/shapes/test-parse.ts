// Test-only: the real parser (server/src/parser/parse.ts) when it exists, else a tiny stand-in that
// reads the subset of text format these tests use (fields, blocks, lists, strings, numbers, identifiers).

import type {
  DocumentNode,
  FieldNode,
  MessageNode,
  ScalarNode,
  ListNode,
  ValueNode,
} from '../../../../../server/src/parser/ast';

type Parse = (text: string) => DocumentNode;

/** The project's parser when it is built; otherwise the stand-in below. */
export async function loadParser(): Promise<Parse> {
  try {
    const mod = (await import('../../../../../server/src/parser/' + 'parse')) as { parse?: Parse };
    if (typeof mod.parse === 'function') return mod.parse;
  } catch {
    // not there yet
  }
  return miniParse;
}

const TOKEN =
  /\s+|#[^\n]*|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|-?[0-9.][0-9a-zA-Z.+-]*|-?[A-Za-z_][\w]*|[{}<>:[\],;]/gy;

export function miniParse(text: string): DocumentNode {
  const toks: { t: string; s: number }[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m && m[0].length > 0; m = TOKEN.exec(text)) {
    if (!/^\s|^#/.test(m[0])) toks.push({ t: m[0], s: m.index });
  }
  let i = 0;
  const scalar = (): ScalarNode => {
    const { t, s } = toks[i++];
    const span = { start: s, end: s + t.length };
    if (t[0] === '"' || t[0] === "'") {
      const value = t.slice(1, -1);
      return { kind: 'string', value, offsets: new Uint32Array(value.length + 1), pieces: [span], ...span };
    }
    if (/^-?[0-9.]/.test(t)) return { kind: 'number', text: t, value: Number(t.replace(/f$/, '')), ...span };
    const negative = t.startsWith('-');
    return { kind: 'identifier', name: negative ? t.slice(1) : t, negative, ...span };
  };
  const fields = (close?: string): FieldNode[] => {
    const out: FieldNode[] = [];
    while (i < toks.length && toks[i].t !== close) {
      const name = toks[i++];
      const nameSpan = { start: name.s, end: name.s + name.t.length };
      if (toks[i]?.t === ':') i++;
      let value: ValueNode;
      if (toks[i].t === '{' || toks[i].t === '<') value = message();
      else if (toks[i].t === '[') value = list();
      else value = scalar();
      out.push({ kind: 'field', name: name.t, nameSpan, value, start: name.s, end: value.end });
      if (toks[i]?.t === ',' || toks[i]?.t === ';') i++;
    }
    return out;
  };
  const message = (): MessageNode => {
    const open = toks[i++];
    const body = fields(open.t === '{' ? '}' : '>');
    const close = toks[i++];
    return {
      kind: 'message',
      open: open.t as '{' | '<',
      fields: body,
      close: close.s,
      start: open.s,
      end: close.s + 1,
    };
  };
  const list = (): ListNode => {
    const open = toks[i++];
    const items: (ScalarNode | MessageNode)[] = [];
    while (toks[i].t !== ']') {
      items.push(toks[i].t === '{' ? message() : scalar());
      if (toks[i].t === ',') i++;
    }
    const close = toks[i++];
    return { kind: 'list', items, start: open.s, end: close.s + 1 };
  };
  return { kind: 'document', fields: fields(), comments: [], errors: [], start: 0, end: text.length };
}
