// The fast path of `parse` for text without a single problem: one pass over the characters that
// builds the same tree as the Chevrotain grammar (the same node classes, offsets and shared strings)
// without making a token object per word. It reads only what the grammar accepts cleanly and gives up
// (undefined) at the first thing it would have to report or recover from: an unknown character, an
// unclosed string, a missing colon or value, a stray token, a template placeholder, nesting deeper
// than MAX_NESTING. The caller then parses with the grammar, which reports it; so problems are only
// ever found by one parser, and on the texts this accepts both give the same tree.

import type {
  Comment,
  DocumentNode,
  FieldNode,
  ListNode,
  MessageNode,
  ScalarNode,
  SyntaxProblem,
} from './ast';
import { MAX_NESTING } from './nesting';
import {
  identifierAt,
  integerAt,
  numberAt,
  oneStringNode,
  ParsedField,
  SHARED_VALUE_LENGTH,
  stringNode,
  StringValueNode,
} from './nodes';
import { hashRange, StringTable } from './string-table';
import { StringLiteral } from './tokens';

// Character codes.
const NUL = 0;
const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const DQUOTE = 34;
const HASH = 35;
const PERCENT = 37;
const SQUOTE = 39;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const COLON = 58;
const SEMICOLON = 59;
const LT = 60;
const GT = 62;
const LBRACKET = 91;
const BACKSLASH = 92;
const RBRACKET = 93;
const LCURLY = 123;
const RCURLY = 125;

/** Thrown to give up; caught once, in `parseClean`. */
const GIVE_UP = new Error('not clean');

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

function isIdentifierStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isIdentifierPart(c: number): boolean {
  return isIdentifierStart(c) || isDigit(c);
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/**
 * The document `parse` gives for `text` when `text` has no problem at all; undefined otherwise (and
 * for a few rare clean forms, such as extension names, left to the grammar).
 */
export function parseClean(text: string): DocumentNode | undefined {
  const reader = new CleanReader(text);
  try {
    const fields = reader.fields(-1, 0);
    return { kind: 'document', fields, comments: reader.comments, errors: [], start: 0, end: text.length };
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
}

class CleanReader {
  readonly comments: Comment[] = [];
  private pos = 0;
  /** The fields of the blocks being read, innermost last (see `fields`). */
  private readonly stack: FieldNode[] = [];
  private top = 0;
  private readonly strings: StringTable;
  /** Problems the node builders report; any one of them means giving up. */
  private readonly problems: SyntaxProblem[] = [];
  private readonly internValue = (s: string): string => this.strings.intern(s);
  /** Set by `identifierEnd` and `literalEnd`: the hash of the word or literal content just scanned. */
  private hash = 0;
  /** Set by `literalEnd`: whether the literal just scanned holds an escape. */
  private escaped = false;

  constructor(private readonly text: string) {
    this.strings = StringTable.forText(text);
  }

  /**
   * Fields up to the closer `close` (a character code; -1 for the end of the text), which is left
   * unread; `depth` is the number of blocks and lists open around them.
   */
  fields(close: number, depth: number): FieldNode[] {
    // Collected on one stack shared by every level and copied out at the closer: an array of exactly
    // its length, where one grown by push would keep spare room for as long as the tree lives.
    // Its length is never cut (each cut is a call into the runtime): `top` says where it ends.
    const stack = this.stack;
    const base = this.top;
    for (;;) {
      const c = this.next();
      if (c === close) break;
      if (!isIdentifierStart(c)) throw GIVE_UP;
      // Read before the store: a nested block's fields go above `top` and leave it as it was.
      const field = this.field(depth);
      stack[this.top++] = field;
    }
    const fields = stack.slice(base, this.top);
    this.top = base;
    return fields;
  }

  /** A field, from its name to its optional separator. */
  private field(depth: number): FieldNode {
    const text = this.text;
    const start = this.pos;
    const end = this.identifierEnd(start);
    const name = this.strings.internRange(text, start, end, this.hash);
    this.pos = end;
    let c = this.next();
    let colon: number | undefined;
    let value: FieldNode['value'];
    if (c === COLON) {
      colon = this.pos++;
      c = this.next();
      value = this.value(c, depth);
    } else if (c === LCURLY || c === LT) {
      value = this.message(c, depth);
    } else if (c === LBRACKET) {
      value = this.list(depth);
    } else throw GIVE_UP;
    c = this.next();
    if (c === COMMA || c === SEMICOLON) this.pos++;
    return new ParsedField(name, start, colon, value);
  }

  /** The value after `name:`, starting with the character `c` at `pos`. */
  private value(c: number, depth: number): FieldNode['value'] {
    if (c === LCURLY || c === LT) return this.message(c, depth);
    if (c === LBRACKET) return this.list(depth);
    if (c === DQUOTE || c === SQUOTE) return this.stringValue();
    return this.scalar(c);
  }

  /** A number, an identifier, or either after `-`. */
  private scalar(c: number): ScalarNode {
    if (c === MINUS) {
      const minus = this.pos++;
      c = this.next();
      return this.unsigned(c, minus);
    }
    return this.unsigned(c, undefined);
  }

  private unsigned(c: number, minus: number | undefined): ScalarNode {
    const start = this.pos;
    if (isIdentifierStart(c)) {
      const end = this.identifierEnd(start);
      this.pos = end;
      return identifierAt(this.strings.internRange(this.text, start, end, this.hash), minus, start, end);
    }
    const end = this.numberEnd(start);
    // A name right after a number is a problem (see `numberThenName` in nodes.ts).
    if (end === start || isIdentifierStart(this.text.charCodeAt(end))) throw GIVE_UP;
    this.pos = end;
    const small = smallInteger(this.text, start, end);
    if (small >= 0) return integerAt(small, minus, start);
    const image = this.strings.internRange(this.text, start, end, hashRange(this.text, start, end));
    return this.checked(numberAt(image, minus, start, this.problems));
  }

  /** One string value: adjacent literals read as one. */
  private stringValue(): ScalarNode {
    const text = this.text;
    const first = this.pos;
    const end = this.literalEnd(first);
    this.pos = end;
    const c = this.next();
    if (c !== DQUOTE && c !== SQUOTE) {
      if (!this.escaped) {
        // One literal without escapes (nearly all): its value is the text between the quotes, as
        // `oneStringNode` makes it, found in the table without cutting it out when seen before.
        const length = end - first - 2;
        const value =
          length > 0 && length <= SHARED_VALUE_LENGTH
            ? this.strings.internRange(text, first + 1, end - 1, this.hash)
            : text.slice(first + 1, end - 1);
        return new StringValueNode(value, first, end, undefined);
      }
      const token = { image: text.slice(first, end), startOffset: first, tokenType: StringLiteral };
      return this.checked(oneStringNode(token as never, this.problems, this.internValue));
    }
    return this.concatenated(first, end, c);
  }

  /** Adjacent literals, from the one at `first` (ending at `end`); `c` starts the next one. */
  private concatenated(first: number, end: number, c: number): ScalarNode {
    const text = this.text;
    const tokens = [{ image: text.slice(first, end), startOffset: first, tokenType: StringLiteral }];
    while (c === DQUOTE || c === SQUOTE) {
      const start = this.pos;
      end = this.literalEnd(start);
      tokens.push({ image: text.slice(start, end), startOffset: start, tokenType: StringLiteral });
      this.pos = end;
      c = this.next();
    }
    return this.checked(stringNode(tokens as never, this.problems));
  }

  /** `{ fields }` or `< fields >`, opened by `c` at `pos`. */
  private message(c: number, depth: number): MessageNode {
    if (depth + 1 > MAX_NESTING) throw GIVE_UP;
    const start = this.pos++;
    // `{{`, `{%` and `<%` start a template placeholder.
    const after = this.text.charCodeAt(this.pos);
    if (after === PERCENT || (c === LCURLY && after === LCURLY)) throw GIVE_UP;
    const fields = this.fields(c === LCURLY ? RCURLY : GT, depth + 1);
    const close = this.pos++;
    return { kind: 'message', open: c === LCURLY ? '{' : '<', fields, start, end: close + 1, close };
  }

  /** `[a, b]`: scalars or messages, comma-separated, no trailing comma. */
  private list(depth: number): ListNode {
    if (depth + 1 > MAX_NESTING) throw GIVE_UP;
    const start = this.pos++;
    const items: (ScalarNode | MessageNode)[] = [];
    let c = this.next();
    if (c !== RBRACKET) {
      for (;;) {
        if (c === LCURLY || c === LT) items.push(this.message(c, depth + 1));
        else if (c === DQUOTE || c === SQUOTE) items.push(this.listString());
        else items.push(this.scalar(c));
        c = this.next();
        if (c === RBRACKET) break;
        if (c !== COMMA) throw GIVE_UP;
        this.pos++;
        c = this.next();
      }
    }
    this.pos++;
    return { kind: 'list', items, start, end: this.pos };
  }

  /** A string in a list: like a field's, but its value is not shared. */
  private listString(): ScalarNode {
    const first = this.pos;
    const end = this.literalEnd(first);
    this.pos = end;
    const c = this.next();
    if (c === DQUOTE || c === SQUOTE) return this.concatenated(first, end, c);
    if (!this.escaped) return new StringValueNode(this.text.slice(first + 1, end - 1), first, end, undefined);
    const token = { image: this.text.slice(first, end), startOffset: first, tokenType: StringLiteral };
    return this.checked(oneStringNode(token as never, this.problems));
  }

  /** `node`, unless making it found a problem (a bad escape, a malformed number). */
  private checked<T>(node: T): T {
    if (this.problems.length > 0) throw GIVE_UP;
    return node;
  }

  /**
   * Skips white space and comments (keeping the comments) and returns the next character's code
   * (-1 at the end of the text), leaving `pos` on it.
   */
  private next(): number {
    const text = this.text;
    let pos = this.pos;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === SPACE || c === LF || (c >= TAB && c <= CR)) pos++;
      else if (c === HASH) {
        const start = pos;
        while (pos < text.length) {
          const d = text.charCodeAt(pos);
          if (d === LF) break;
          // A lone CR does not end a comment for protobuf (checks/syntax.ts warns); CR LF does.
          if (d === CR && text.charCodeAt(pos + 1) === LF) break;
          if (d === NUL) throw GIVE_UP;
          pos++;
        }
        const image = text.slice(start, pos);
        this.comments.push({ start, end: pos, text: image });
      } else {
        this.pos = pos;
        return pos < text.length ? c : -1;
      }
    }
  }

  /** The end of the identifier at `from`; its hash goes to `hash`. */
  private identifierEnd(from: number): number {
    const text = this.text;
    // hashStep (string-table.ts) written out: hashStep(0, c) is c.
    let h = text.charCodeAt(from);
    let i = from + 1;
    for (;;) {
      const c = text.charCodeAt(i);
      if (!isIdentifierPart(c)) break;
      h = (Math.imul(h, 31) + c) | 0;
      i++;
    }
    this.hash = h;
    return i;
  }

  /**
   * The end of the number literal at `from` as the lexer reads it (`from` when there is none):
   * `0x` hex digits, or digits with an optional fraction (or a fraction alone), an optional exponent
   * and an optional `f`.
   */
  private numberEnd(from: number): number {
    const text = this.text;
    let i = from;
    const first = text.charCodeAt(i);
    if (
      first === ZERO &&
      (text.charCodeAt(i + 1) | 32) === 120 /* x */ &&
      isHexDigit(text.charCodeAt(i + 2))
    ) {
      i += 3;
      while (isHexDigit(text.charCodeAt(i))) i++;
      return i;
    }
    if (isDigit(first)) {
      while (isDigit(text.charCodeAt(++i)));
      if (text.charCodeAt(i) === DOT) while (isDigit(text.charCodeAt(++i)));
    } else if (first === DOT && isDigit(text.charCodeAt(i + 1))) {
      i++;
      while (isDigit(text.charCodeAt(++i)));
    } else return from;
    if ((text.charCodeAt(i) | 32) === 101 /* e */) {
      let j = i + 1;
      const sign = text.charCodeAt(j);
      if (sign === 43 /* + */ || sign === MINUS) j++;
      if (isDigit(text.charCodeAt(j))) {
        while (isDigit(text.charCodeAt(++j)));
        i = j;
      }
    }
    if ((text.charCodeAt(i) | 32) === 102 /* f */) i++;
    return i;
  }

  /**
   * The end of the closed string literal at `from` (just after its closing quote). Sets `escaped`, and
   * `hash` to the hash of what is between the quotes when nothing is escaped.
   */
  private literalEnd(from: number): number {
    const text = this.text;
    const quote = text.charCodeAt(from);
    let h = 0;
    let escaped = false;
    let i = from + 1;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === quote) {
        this.hash = h;
        this.escaped = escaped;
        return i + 1;
      }
      // A line end or the end of the text before the closing quote: an unclosed literal.
      // A NUL ends a literal for protobuf (parse.ts reports it).
      if (c === LF || c === NUL || i >= text.length) throw GIVE_UP;
      if (c === BACKSLASH) {
        const next = text.charCodeAt(i + 1);
        if (next === LF || next === NUL || i + 1 >= text.length) throw GIVE_UP;
        escaped = true;
        i += 2;
      } else {
        h = (Math.imul(h, 31) + c) | 0;
        i++;
      }
    }
  }
}

/** Digits of the integers read without the string table (those below 10,000). */
const SMALL_INTEGER_DIGITS = 4;

/**
 * The value of `text[start, end)` when it is a decimal integer below 10,000 written without a
 * leading zero (most numbers of a net: num_output, kernel_size, lr_mult...), else -1.
 */
function smallInteger(text: string, start: number, end: number): number {
  const length = end - start;
  if (length > SMALL_INTEGER_DIGITS || (length > 1 && text.charCodeAt(start) === ZERO)) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}
