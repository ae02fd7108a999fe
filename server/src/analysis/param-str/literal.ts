// Two literal grammars over one recursive-descent reader: strict JSON (what `json.loads` accepts) and
// Python literals (what `ast.literal_eval` accepts: dicts, lists, tuples, sets, strings with prefixes
// and escapes, numbers, True/False/None, trailing commas). Parsed, never evaluated; nesting is limited.

import { numberOf, type ParamEntry, type ParamProblem, type ParamValue, type ParseResult } from './value';

export type LiteralDialect = 'json' | 'python';

const MAX_DEPTH = 64;

class Stop extends Error {
  constructor(readonly problem: ParamProblem) {
    super(problem.message);
  }
}

export function parseLiteral(text: string, dialect: LiteralDialect): ParseResult {
  const reader = new Reader(text, dialect);
  try {
    return { value: reader.document(), problems: [] };
  } catch (e) {
    if (e instanceof Stop) return { problems: [e.problem] };
    throw e;
  }
}

const PY_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '\n': '',
};
const JSON_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  '/': '/',
  '\\': '\\',
  '"': '"',
};

class Reader {
  private pos = 0;
  private depth = 0;
  private readonly json: boolean;

  constructor(
    private readonly text: string,
    dialect: LiteralDialect,
  ) {
    this.json = dialect === 'json';
  }

  document(): ParamValue {
    this.skip();
    if (this.pos >= this.text.length) this.fail(0, 0, 'The string is empty; expected a value.');
    const first = this.value();
    this.skip();
    // `a, b` at the top level is a tuple in Python.
    let result = first;
    if (!this.json && this.peek() === ',') {
      const items = [first];
      while (this.peek() === ',') {
        this.pos++;
        this.skip();
        if (this.pos >= this.text.length) break;
        items.push(this.value());
        this.skip();
      }
      result = { kind: 'tuple', items, start: first.start, end: items[items.length - 1].end };
    }
    if (this.pos < this.text.length) {
      this.fail(this.pos, this.pos + 1, `Unexpected '${this.text[this.pos]}' after the value.`);
    }
    return result;
  }

  private value(): ParamValue {
    this.skip();
    const start = this.pos;
    const c = this.peek();
    if (c === undefined) this.fail(this.pos, this.pos, 'Unexpected end of the string; expected a value.');
    if (++this.depth > MAX_DEPTH) this.fail(start, start + 1, `Nested deeper than ${MAX_DEPTH} levels.`);
    try {
      if (c === '{') return this.braces();
      if (c === '[') return this.sequence('[', ']', 'list');
      if (c === '(' && !this.json) return this.parens();
      if (c === '"' || (c === "'" && !this.json)) return this.strings();
      if (c === '-' || c === '+' || c === '.' || (c >= '0' && c <= '9')) return this.number();
      if (/[A-Za-z_]/.test(c)) return this.word();
      if (c === "'") return this.fail(start, start + 1, 'JSON strings and keys must be in double quotes.');
      return this.fail(start, start + 1, `Unexpected '${c}'; expected a value.`);
    } finally {
      this.depth--;
    }
  }

  private braces(): ParamValue {
    const start = this.pos++;
    this.skip();
    if (this.peek() === '}') {
      this.pos++;
      return { kind: 'dict', entries: [], start, end: this.pos };
    }
    const first = this.value();
    this.skip();
    if (!this.json && (this.peek() === ',' || this.peek() === '}')) {
      this.pos = first.end;
      return this.setRest(start, first);
    }
    const entries: ParamEntry[] = [];
    let key = first;
    for (;;) {
      if (this.json && key.kind !== 'string')
        this.fail(key.start, key.end, 'JSON keys must be strings in double quotes.');
      if (key.kind === 'dict' || key.kind === 'list' || key.kind === 'set') {
        this.fail(key.start, key.end, `A ${key.kind} cannot be a dict key (it is unhashable).`);
      }
      this.expect(':', "Expected ':' after the key.");
      const value = this.value();
      entries.push({ key, value });
      this.skip();
      if (this.peek() === '}') break;
      this.expect(',', "Expected ',' or '}' after the value.");
      this.skip();
      if (this.peek() === '}') {
        if (this.json) this.fail(this.pos - 1, this.pos, 'JSON does not allow a trailing comma.');
        break;
      }
      key = this.value();
      this.skip();
    }
    this.pos++;
    return { kind: 'dict', entries, start, end: this.pos };
  }

  private setRest(start: number, first: ParamValue): ParamValue {
    const items = [first];
    this.skip();
    while (this.peek() === ',') {
      this.pos++;
      this.skip();
      if (this.peek() === '}') break;
      items.push(this.value());
      this.skip();
    }
    this.expect('}', "Expected ',' or '}' in the set.");
    return { kind: 'set', items, start, end: this.pos };
  }

  private parens(): ParamValue {
    const start = this.pos++;
    this.skip();
    if (this.peek() === ')') {
      this.pos++;
      return { kind: 'tuple', items: [], start, end: this.pos };
    }
    const first = this.value();
    this.skip();
    if (this.peek() === ')') {
      this.pos++;
      return { ...first }; // parentheses around one value group, they make no tuple
    }
    this.pos = first.end;
    const rest = this.sequenceAfter(start, [first], ')', 'tuple');
    return rest;
  }

  private sequence(open: string, close: string, kind: 'list' | 'tuple'): ParamValue {
    const start = this.pos++;
    this.skip();
    if (this.peek() === close) {
      this.pos++;
      return { kind, items: [], start, end: this.pos };
    }
    return this.sequenceAfter(start, [this.value()], close, kind, open);
  }

  private sequenceAfter(
    start: number,
    items: ParamValue[],
    close: string,
    kind: 'list' | 'tuple',
    open = '(',
  ): ParamValue {
    for (;;) {
      this.skip();
      if (this.peek() === close) break;
      this.expect(',', `Expected ',' or '${close}' in the ${open}${close}.`);
      this.skip();
      if (this.peek() === close) {
        if (this.json) this.fail(this.pos - 1, this.pos, 'JSON does not allow a trailing comma.');
        break;
      }
      items.push(this.value());
    }
    this.pos++;
    return { kind, items, start, end: this.pos };
  }

  private strings(): ParamValue {
    const start = this.pos;
    let value = this.stringLiteral();
    if (!this.json) {
      // Adjacent literals concatenate: 'a' "b" == 'ab'.
      for (;;) {
        const save = this.pos;
        this.skip();
        const c = this.peek();
        if (c === '"' || c === "'" || this.prefixedString()) value += this.stringLiteral();
        else {
          this.pos = save;
          break;
        }
      }
    }
    return { kind: 'string', value, start, end: this.pos };
  }

  private prefixedString(): boolean {
    const m = /^[rRbBuU]{1,2}(?=['"])/.exec(this.text.slice(this.pos, this.pos + 3));
    return m !== null && /^(r|b|u|rb|br)$/i.test(m[0]);
  }

  private stringLiteral(): string {
    const start = this.pos;
    let raw = false;
    while (/[rRbBuU]/.test(this.text[this.pos] ?? '')) {
      if (/[rR]/.test(this.text[this.pos])) raw = true;
      this.pos++;
    }
    const q = this.text[this.pos];
    const triple = !this.json && this.text.startsWith(q.repeat(3), this.pos);
    const close = triple ? q.repeat(3) : q;
    this.pos += close.length;
    let out = '';
    for (;;) {
      if (this.pos >= this.text.length) {
        this.fail(start, this.text.length, 'This string literal is not closed.');
      }
      if (this.text.startsWith(close, this.pos)) {
        this.pos += close.length;
        return out;
      }
      const c = this.text[this.pos];
      if (!triple && c === '\n') this.fail(start, this.pos, 'This string literal is not closed on its line.');
      if (this.json && c < ' ')
        this.fail(this.pos, this.pos + 1, 'JSON strings cannot hold control characters; write an escape.');
      if (c === '\\' && !raw) out += this.escape();
      else if (c === '\\' && raw) {
        out += this.text.slice(this.pos, this.pos + 2);
        this.pos += 2;
      } else {
        out += c;
        this.pos++;
      }
    }
  }

  private escape(): string {
    const at = this.pos;
    const e = this.text[at + 1];
    if (e === undefined) this.fail(at, at + 1, 'A backslash ends the string.');
    const simple = (this.json ? JSON_ESCAPES : PY_ESCAPES)[e];
    if (simple !== undefined) {
      this.pos += 2;
      return simple;
    }
    const hex = (len: number) => {
      const digits = this.text.slice(at + 2, at + 2 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(digits)) {
        this.fail(at, Math.min(this.text.length, at + 2 + len), `'\\${e}' needs ${len} hex digits.`);
      }
      this.pos = at + 2 + len;
      return String.fromCodePoint(parseInt(digits, 16));
    };
    if (e === 'u') return hex(4);
    if (this.json) return this.fail(at, at + 2, `'\\${e}' is not a JSON escape.`);
    if (e === 'x') return hex(2);
    if (e === 'U') return hex(8);
    const octal = /^[0-7]{1,3}/.exec(this.text.slice(at + 1, at + 4));
    if (octal) {
      this.pos = at + 1 + octal[0].length;
      return String.fromCharCode(parseInt(octal[0], 8));
    }
    // Python keeps an unknown escape as written (with a warning in recent versions).
    this.pos += 2;
    return `\\${e}`;
  }

  private number(): ParamValue {
    const start = this.pos;
    const re = this.json
      ? /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/
      : /^[+-]?\s*(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)([eE][+-]?\d[\d_]*)?[jJ]?)/;
    const m = re.exec(this.text.slice(start));
    if (!m || m[0] === '-' || m[0] === '+') {
      const sign = this.text[start];
      if (!this.json && (sign === '-' || sign === '+')) {
        this.pos++;
        const inner = this.value();
        if (inner.kind !== 'number') this.fail(start, inner.end, `'${sign}' applies only to numbers.`);
        return {
          ...inner,
          text: `${sign}${inner.text}`,
          value: sign === '-' ? -inner.value : inner.value,
          start,
        };
      }
      return this.fail(start, start + 1, 'This is not a valid number.');
    }
    const written = m[0];
    this.pos = start + written.length;
    if (this.json && /^-?0\d/.test(this.text.slice(start))) {
      this.fail(start, this.pos + 1, 'JSON numbers cannot have leading zeros.');
    }
    const after = this.text[this.pos];
    if (after !== undefined && /[A-Za-z0-9_.]/.test(after)) {
      this.fail(start, this.pos + 1, `'${this.text.slice(start, this.pos + 1)}' is not a valid number.`);
    }
    const clean = written.replace(/[\s_]/g, '');
    if (!this.json && /^[+-]?0\d/.test(clean) && !/[.eEjJ]/.test(clean) && /[1-9]/.test(clean)) {
      this.fail(start, this.pos, 'Leading zeros are not allowed in Python integers (write 0o for octal).');
    }
    if (this.json && /^-?0\d/.test(clean))
      this.fail(start, this.pos, 'JSON numbers cannot have leading zeros.');
    return { kind: 'number', text: clean, value: numberOf(clean), start, end: this.pos };
  }

  private word(): ParamValue {
    const start = this.pos;
    if (!this.json && this.prefixedString()) return this.strings();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(start)) as RegExpExecArray;
    this.pos += m[0].length;
    const w = m[0];
    const end = this.pos;
    if (this.json) {
      if (w === 'true' || w === 'false') return { kind: 'bool', value: w === 'true', start, end };
      if (w === 'null') return { kind: 'none', start, end };
      const hint =
        w === 'True' || w === 'False'
          ? ` (JSON writes ${w.toLowerCase()})`
          : w === 'None'
            ? ' (JSON writes null)'
            : '';
      return this.fail(start, end, `'${w}' is not a JSON value${hint}.`);
    }
    if (w === 'True' || w === 'False') return { kind: 'bool', value: w === 'True', start, end };
    if (w === 'None') return { kind: 'none', start, end };
    const hint =
      w === 'true' || w === 'false'
        ? ` (Python writes ${w[0].toUpperCase()}${w.slice(1)})`
        : w === 'null'
          ? ' (Python writes None)'
          : '';
    return this.fail(start, end, `'${w}' is a name, not a literal${hint}; quote it if it is a string.`);
  }

  private expect(c: string, message: string): void {
    this.skip();
    if (this.peek() !== c) {
      const at = this.pos;
      this.fail(
        at,
        Math.min(at + 1, this.text.length),
        this.pos >= this.text.length ? `${message} The string ends here.` : message,
      );
    }
    this.pos++;
  }

  private skip(): void {
    for (;;) {
      const c = this.text[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.pos++;
      else if (!this.json && (c === '\f' || (c === '\\' && this.text[this.pos + 1] === '\n')))
        this.pos += c === '\f' ? 1 : 2;
      else if (!this.json && c === '#') {
        while (this.pos < this.text.length && this.text[this.pos] !== '\n') this.pos++;
      } else return;
    }
  }

  private peek(): string | undefined {
    return this.text[this.pos];
  }

  private fail(start: number, end: number, message: string): never {
    throw new Stop({ start, end: Math.max(start, end), message });
  }
}
