// Building scalar AST nodes from tokens (used by the grammar's embedded actions).

import { tokenMatcher, type IToken } from 'chevrotain';
import type {
  FieldNode,
  IdentifierNode,
  NumberNode,
  Span,
  StringNode,
  SyntaxProblem,
  ValueNode,
} from './ast';
import { quickValue, readNumber } from './numbers';
import { decodeString, decodeValue, type StringPiece } from './strings';
import * as tokens from './tokens';

const { StringLiteral, UnterminatedString, CurlyString } = tokens;

export function endOf(token: IToken): number {
  return token.startOffset + token.image.length;
}

/**
 * The node classes below keep their `kind` on the prototype and derive what follows from the rest
 * (a field's end, its name's span): on a large net every stored property is a few megabytes that the
 * collector copies, so each node holds only what cannot be computed.
 */
function kindOnPrototype(node: { prototype: object }, kind: string): void {
  Object.defineProperty(node.prototype, 'kind', { value: kind });
}

/**
 * A field as the parser makes it. Its end is the end of its value, else just after its colon, else of
 * its name; the name's span starts the field and is as long as the name as written (an extension
 * name keeps its brackets).
 */
export class ParsedField implements FieldNode {
  declare readonly kind: 'field';

  constructor(
    readonly name: string,
    readonly start: number,
    readonly colon: number | undefined,
    readonly value: ValueNode | undefined,
  ) {}

  get end(): number {
    const value = this.value;
    if (value !== undefined) return value.end;
    return this.colon !== undefined ? this.colon + 1 : this.start + this.name.length;
  }

  get nameSpan(): Span {
    return { start: this.start, end: this.start + this.name.length };
  }
}
kindOnPrototype(ParsedField, 'field');

/** An identifier value (`name` is the token's text; the parser passes one shared copy of it). */
class ParsedIdentifier implements IdentifierNode {
  declare readonly kind: 'identifier';

  constructor(
    readonly name: string,
    readonly negative: boolean,
    readonly start: number,
    readonly end: number,
  ) {}
}
kindOnPrototype(ParsedIdentifier, 'identifier');

export function identifierNode(token: IToken, name: string, minus: IToken | undefined): IdentifierNode {
  return identifierAt(name, minus?.startOffset, token.startOffset, endOf(token));
}

/** The identifier `name` written from `start` to `end`, after a `-` at `minus` when there is one. */
export function identifierAt(
  name: string,
  minus: number | undefined,
  start: number,
  end: number,
): IdentifierNode {
  return new ParsedIdentifier(name, minus !== undefined, minus ?? start, end);
}

/** The same identifier or number written `delta` characters later (or earlier) in the text. */
export function shiftedScalar(v: IdentifierNode | NumberNode, delta: number): IdentifierNode | NumberNode {
  return v.kind === 'number'
    ? new ParsedNumber(v.text, v.value, v.start + delta, v.end + delta)
    : new ParsedIdentifier(v.name, v.negative, v.start + delta, v.end + delta);
}

/** The decimal text of each small integer, made once per process (the same string in every parse). */
const integerTexts: string[] = [];

/** The integer `value` (< 2^31, written in decimal without a leading zero) at `start`, after a `-` at `minus` when there is one. */
export function integerAt(value: number, minus: number | undefined, start: number): NumberNode {
  const image = (integerTexts[value] ??= String(value));
  const end = start + image.length;
  if (minus === undefined) return new ParsedNumber(image, value, start, end);
  return new ParsedNumber('-' + image, -value, minus, end);
}

/**
 * The problem of a name written right after a number (`dim: 1dim: 3`): protobuf's tokenizer wants
 * white space between them and stops ("Need space between number and identifier."); undefined when
 * `next` is no name or does not touch the number.
 */
export function numberThenName(number: IToken, next: IToken): SyntaxProblem | undefined {
  const end = endOf(number);
  if (next.startOffset !== end || !tokenMatcher(next, tokens.Identifier)) return undefined;
  const fix = `${number.image} ${next.image}`;
  return {
    start: number.startOffset,
    end: endOf(next),
    message: `A name right after a number: protobuf wants white space between ${number.image} and ${next.image}, and Caffe stops here ("Need space between number and identifier."). Write ${fix}.`,
    suggestions: [fix],
  };
}

/** A number value; its exact integer is read from its text when asked for (most never are). */
class ParsedNumber implements NumberNode {
  declare readonly kind: 'number';

  constructor(
    readonly text: string,
    readonly value: number,
    readonly start: number,
    readonly end: number,
  ) {}

  get integer(): bigint | undefined {
    const negative = this.text.charCodeAt(0) === 45; /* - */
    return readNumber(negative ? this.text.slice(1) : this.text, negative).integer;
  }
}
kindOnPrototype(ParsedNumber, 'number');

/** `image` is the token's text (the parser passes one shared copy of it). */
export function numberNode(
  token: IToken,
  image: string,
  minus: IToken | undefined,
  problems: SyntaxProblem[],
): NumberNode {
  return numberAt(image, minus?.startOffset, token.startOffset, problems);
}

/** The number literal `image` written at `start`, after a `-` at `minus` when there is one. */
export function numberAt(
  image: string,
  minus: number | undefined,
  start: number,
  problems: SyntaxProblem[],
): NumberNode {
  const end = start + image.length;
  let value = quickValue(image);
  if (value === undefined) {
    const read = readNumber(image, false);
    if (read.problem) {
      const fix = read.suggestion;
      problems.push(
        fix
          ? { start, end, message: read.problem, suggestions: [fix] }
          : { start, end, message: read.problem },
      );
    }
    value = read.value;
  }
  if (minus === undefined) return new ParsedNumber(image, value, start, end);
  return new ParsedNumber('-' + image, -value, minus, end);
}

/**
 * A string value whose `offsets` map is computed when asked for: most strings never are, and a typed
 * array per string is a large share of the parse time on big nets. The node keeps what decoding
 * needs, not the tokens (they would outlive the parse).
 */
export class StringValueNode implements StringNode {
  declare readonly kind: 'string';

  constructor(
    readonly value: string,
    readonly start: number,
    readonly end: number,
    /** The literals as written; undefined for one closed literal without escapes (offsets follow from `start`). */
    private readonly written: readonly StringPiece[] | undefined,
  ) {}

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

  /** Made on each call (few ask, and rarely twice): read it once into a local. */
  get offsets(): Uint32Array {
    if (this.written) return decodeString(this.written, []).offsets;
    // One closed literal without escapes: character i comes from just after the quote.
    const offsets = new Uint32Array(this.value.length + 1);
    for (let i = 0; i < offsets.length; i++) offsets[i] = this.start + 1 + i;
    return offsets;
  }
}
kindOnPrototype(StringValueNode, 'string');

function toPiece(token: IToken): StringPiece {
  return { image: token.image, start: token.startOffset, terminated: token.tokenType !== UnterminatedString };
}

/** Values at most this long are shared through the parser's `intern` (blob and layer names repeat). */
export const SHARED_VALUE_LENGTH = 40;

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
    const start = token.startOffset;
    if (token.tokenType === CurlyString) {
      const inner = token.image.slice(1, -1);
      const plain = `"${inner.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
      problems.push({
        start,
        end: endOf(token),
        message: `${token.image} is in typographic quotes, which the text format does not read as quotes (pasted from a web page or a document?): write ${plain}.`,
        suggestions: [plain],
      });
    } else if (token.tokenType !== StringLiteral) {
      problems.push({ start, end: endOf(token), message: `String missing ending quote: ${token.image}` });
    }
  }
  const written = tokens.map(toPiece);
  const value = decodeValue(written, problems);
  return new StringValueNode(value, written[0].start, endOf(tokens[tokens.length - 1]), written);
}
