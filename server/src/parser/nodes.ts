// Building scalar AST nodes from tokens (used by the grammar's embedded actions).

import type { IToken } from 'chevrotain';
import type { IdentifierNode, NumberNode, Span, StringNode, SyntaxProblem } from './ast';
import { readNumber } from './numbers';
import { decodeString, decodeValue, type StringPiece } from './strings';
import * as tokens from './tokens';

const { StringLiteral } = tokens;

export function endOf(token: IToken): number {
  return token.startOffset + token.image.length;
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
  readonly kind = 'string';
  #offsets: Uint32Array | undefined;
  /** The literals as written; undefined for one closed literal without escapes (offsets follow from `start`). */
  readonly #written: readonly StringPiece[] | undefined;

  constructor(
    readonly value: string,
    readonly pieces: Span[],
    readonly start: number,
    readonly end: number,
    written: readonly StringPiece[] | undefined,
  ) {
    this.#written = written;
  }

  /** The same value written `delta` characters later (or earlier) in the text. */
  shifted(delta: number): StringValueNode {
    const written = this.#written?.map((p) => ({ ...p, start: p.start + delta }));
    const pieces = this.pieces.map((p) => ({ start: p.start + delta, end: p.end + delta }));
    return new StringValueNode(this.value, pieces, this.start + delta, this.end + delta, written);
  }

  get offsets(): Uint32Array {
    if (this.#offsets === undefined) {
      if (this.#written) this.#offsets = decodeString(this.#written, []).offsets;
      else {
        // One closed literal without escapes: character i comes from just after the quote.
        const offsets = new Uint32Array(this.value.length + 1);
        for (let i = 0; i < offsets.length; i++) offsets[i] = this.start + 1 + i;
        this.#offsets = offsets;
      }
    }
    return this.#offsets;
  }
}

function toPiece(token: IToken): StringPiece {
  return { image: token.image, start: token.startOffset, terminated: token.tokenType === StringLiteral };
}

/** One string value from adjacent literals; an unclosed literal is reported as protobuf does. */
export function stringNode(tokens: readonly IToken[], problems: SyntaxProblem[]): StringNode {
  if (tokens.length === 1 && tokens[0].tokenType === StringLiteral && tokens[0].image.indexOf('\\') < 0) {
    // The common case: one closed literal without escapes.
    const { image, startOffset } = tokens[0];
    const end = startOffset + image.length;
    return new StringValueNode(
      image.slice(1, -1),
      [{ start: startOffset, end }],
      startOffset,
      end,
      undefined,
    );
  }
  const spans: Span[] = [];
  for (const token of tokens) {
    const start = token.startOffset;
    const end = endOf(token);
    if (token.tokenType !== StringLiteral) {
      problems.push({ start, end, message: `String missing ending quote: ${token.image}` });
    }
    spans.push({ start, end });
  }
  const written = tokens.map(toPiece);
  const value = decodeValue(written, problems);
  return new StringValueNode(value, spans, spans[0].start, spans[spans.length - 1].end, written);
}
