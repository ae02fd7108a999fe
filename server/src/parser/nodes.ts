// Building scalar AST nodes from tokens (used by the grammar's embedded actions).

import type { IToken } from 'chevrotain';
import type {
  FieldNode,
  IdentifierNode,
  NumberNode,
  Span,
  StringNode,
  SyntaxProblem,
  ValueNode,
} from './ast';
import { readNumber } from './numbers';
import { decodeString, decodeValue, type StringPiece } from './strings';
import * as tokens from './tokens';

const { StringLiteral } = tokens;

export function endOf(token: IToken): number {
  return token.startOffset + token.image.length;
}

/**
 * A field as the parser makes it. The name's span is not stored: it starts the field and is as long as
 * the name as written (an extension name keeps its brackets), so it is computed when asked for. On a
 * large net that is one object less per field, and every field has the same shape.
 */
export class ParsedField implements FieldNode {
  // Assigned in the constructor rather than as class fields: no separate initializer call per node.
  declare readonly kind: 'field';

  constructor(
    readonly name: string,
    readonly start: number,
    readonly end: number,
    readonly colon: number | undefined,
    readonly value: ValueNode | undefined,
  ) {
    this.kind = 'field';
  }

  get nameSpan(): Span {
    return { start: this.start, end: this.start + this.name.length };
  }
}

/** `name` is the token's text (the parser passes one shared copy of it). */
export function identifierNode(token: IToken, name: string, minus: IToken | undefined): IdentifierNode {
  return {
    kind: 'identifier',
    name,
    negative: minus !== undefined,
    start: minus ? minus.startOffset : token.startOffset,
    end: endOf(token),
  };
}

/** `image` is the token's text (the parser passes one shared copy of it). */
export function numberNode(
  token: IToken,
  image: string,
  minus: IToken | undefined,
  problems: SyntaxProblem[],
): NumberNode {
  const read = readNumber(image, minus !== undefined);
  const end = endOf(token);
  if (read.problem) problems.push({ start: token.startOffset, end, message: read.problem });
  const kind = 'number';
  const text = minus ? '-' + image : image;
  const value = read.value;
  const start = minus ? minus.startOffset : token.startOffset;
  // Created with its final properties: adding `integer` afterwards would cost a second allocation.
  return read.integer !== undefined
    ? { kind, text, value, start, end, integer: read.integer }
    : { kind, text, value, start, end };
}

/**
 * A string value whose `offsets` map is computed on first use: most strings are never asked for
 * it, and a typed array per string is a large share of the parse time on big nets. The node keeps
 * what decoding needs, not the tokens (they would outlive the parse).
 */
export class StringValueNode implements StringNode {
  declare readonly kind: 'string';
  declare private madeOffsets: Uint32Array | undefined;
  /** The literals as written; undefined for one closed literal without escapes (offsets follow from `start`). */
  declare private readonly written: readonly StringPiece[] | undefined;

  constructor(
    readonly value: string,
    readonly start: number,
    readonly end: number,
    written: readonly StringPiece[] | undefined,
  ) {
    this.kind = 'string';
    this.madeOffsets = undefined;
    this.written = written;
  }

  /** The literals' spans, made when asked for (one literal, the common case, spans the whole node). */
  get pieces(): Span[] {
    const written = this.written;
    if (written === undefined) return [{ start: this.start, end: this.end }];
    return written.map((p) => ({ start: p.start, end: p.start + p.image.length }));
  }

  /** The same value written `delta` characters later (or earlier) in the text. */
  shifted(delta: number): StringValueNode {
    const written = this.written?.map((p) => ({ ...p, start: p.start + delta }));
    return new StringValueNode(this.value, this.start + delta, this.end + delta, written);
  }

  get offsets(): Uint32Array {
    if (this.madeOffsets === undefined) {
      if (this.written) this.madeOffsets = decodeString(this.written, []).offsets;
      else {
        // One closed literal without escapes: character i comes from just after the quote.
        const offsets = new Uint32Array(this.value.length + 1);
        for (let i = 0; i < offsets.length; i++) offsets[i] = this.start + 1 + i;
        this.madeOffsets = offsets;
      }
    }
    return this.madeOffsets;
  }
}

function toPiece(token: IToken): StringPiece {
  return { image: token.image, start: token.startOffset, terminated: token.tokenType === StringLiteral };
}

/** Values at most this long are shared through the parser's `intern` (blob and layer names repeat). */
const SHARED_VALUE_LENGTH = 40;

/**
 * The string value of one literal (`stringNode` of one token, with no array for it). `intern` gives
 * the one copy of a short value kept for the whole parse.
 */
export function oneStringNode(
  token: IToken,
  problems: SyntaxProblem[],
  intern?: (text: string) => string,
): StringNode {
  const { image, startOffset } = token;
  if (token.tokenType === StringLiteral && image.indexOf('\\') < 0) {
    // The common case: one closed literal without escapes.
    let value = image.slice(1, -1);
    if (intern !== undefined && value.length <= SHARED_VALUE_LENGTH && value.length > 0)
      value = intern(value);
    return new StringValueNode(value, startOffset, startOffset + image.length, undefined);
  }
  return stringNode([token], problems);
}

/** One string value from adjacent literals; an unclosed literal is reported as protobuf does. */
export function stringNode(tokens: readonly IToken[], problems: SyntaxProblem[]): StringNode {
  if (tokens.length === 1 && tokens[0].tokenType === StringLiteral && tokens[0].image.indexOf('\\') < 0) {
    return oneStringNode(tokens[0], problems);
  }
  for (const token of tokens) {
    if (token.tokenType !== StringLiteral) {
      const start = token.startOffset;
      problems.push({ start, end: endOf(token), message: `String missing ending quote: ${token.image}` });
    }
  }
  const written = tokens.map(toPiece);
  const value = decodeValue(written, problems);
  return new StringValueNode(value, written[0].start, endOf(tokens[tokens.length - 1]), written);
}
