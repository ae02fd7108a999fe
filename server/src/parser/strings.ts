// Decoding string literals: escapes, adjacent-literal concatenation, and the map from each decoded
// UTF-16 unit back to the source offset of the character or escape that produced it.
// Byte escapes (`\xHH`, `\ooo`) are bytes, as in protobuf: a run of them that forms valid UTF-8 is
// decoded as UTF-8; a byte that does not is kept as the character with that code (Latin-1).

import type { SyntaxProblem } from './ast';

export interface StringPiece {
  /** The literal as written, opening quote included, closing quote included when `terminated`. */
  image: string;
  /** Source offset of the opening quote. */
  start: number;
  terminated: boolean;
}

export interface DecodedString {
  value: string;
  offsets: Uint32Array;
}

/** The one-character escapes of protobuf strings (text format and .proto files alike). */
export const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
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
  '?': '?',
};

/**
 * The decoded value alone, with escape problems pushed onto `problems`; fast when no literal has
 * an escape (the common case).
 */
export function decodeValue(pieces: readonly StringPiece[], problems: SyntaxProblem[]): string {
  let value = '';
  for (const { image, terminated } of pieces) {
    if (image.indexOf('\\') >= 0) return decodeString(pieces, problems).value;
    value += image.slice(1, terminated ? image.length - 1 : image.length);
  }
  return value;
}

/** Decodes one string value made of `pieces`; escape problems are pushed onto `problems`. */
export function decodeString(pieces: readonly StringPiece[], problems: SyntaxProblem[]): DecodedString {
  let capacity = 1;
  for (const piece of pieces) capacity += piece.image.length;
  const decoder = new Decoder(new Uint32Array(capacity), problems);
  for (const piece of pieces) decoder.piece(piece);
  return decoder.finish();
}

class Decoder {
  private value = '';
  private length = 0;
  private end = 0;
  private readonly bytes: number[] = [];
  private readonly byteOffsets: number[] = [];

  constructor(
    private readonly offsets: Uint32Array,
    private readonly problems: SyntaxProblem[],
  ) {}

  piece({ image, start, terminated }: StringPiece): void {
    const contentEnd = terminated ? image.length - 1 : image.length;
    this.end = start + contentEnd;
    if (image.indexOf('\\') < 0) {
      this.value += image.slice(1, contentEnd);
      for (let i = 1; i < contentEnd; i++) this.offsets[this.length++] = start + i;
      return;
    }
    let i = 1;
    while (i < contentEnd) {
      if (image.charCodeAt(i) !== 92 /* \ */) {
        this.flushBytes();
        this.push(image[i], start + i);
        i++;
        continue;
      }
      i = this.escape(image, i, contentEnd, start);
    }
    this.flushBytes();
  }

  finish(): DecodedString {
    this.flushBytes();
    this.offsets[this.length] = this.end;
    return { value: this.value, offsets: this.offsets.subarray(0, this.length + 1) };
  }

  /** Decodes the escape at `at` (a backslash); returns the index after it. */
  private escape(image: string, at: number, contentEnd: number, base: number): number {
    const next = image[at + 1];
    if (at + 1 >= contentEnd) {
      // A backslash at the very end of an unterminated literal: the missing quote is reported already.
      return contentEnd;
    }
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      this.flushBytes();
      this.push(simple, base + at);
      return at + 2;
    }
    if (next >= '0' && next <= '7') {
      const end = scan(image, at + 1, Math.min(at + 4, contentEnd), isOctal);
      this.byte(parseInt(image.slice(at + 1, end), 8) & 0xff, base + at);
      return end;
    }
    if (next === 'x' || next === 'X') {
      const end = scan(image, at + 2, Math.min(at + 4, contentEnd), isHex);
      if (end === at + 2) {
        this.report(base + at, base + at + 2, 'Expected hex digits for escape sequence.');
        return at + 2;
      }
      this.byte(parseInt(image.slice(at + 2, end), 16), base + at);
      return end;
    }
    if (next === 'u' || next === 'U') {
      const digits = next === 'u' ? 4 : 8;
      const end = scan(image, at + 2, Math.min(at + 2 + digits, contentEnd), isHex);
      const code = parseInt(image.slice(at + 2, end), 16);
      if (end - (at + 2) !== digits || code > 0x10ffff) {
        const message =
          next === 'u'
            ? 'Expected four hex digits for \\u escape sequence.'
            : 'Expected eight hex digits up to 10ffff for \\U escape sequence.';
        this.report(base + at, base + end, message);
        return end;
      }
      this.flushBytes();
      this.push(code <= 0xffff ? String.fromCharCode(code) : String.fromCodePoint(code), base + at);
      return end;
    }
    this.report(base + at, base + at + 2, 'Invalid escape sequence in string literal.');
    this.flushBytes();
    this.push(next, base + at);
    return at + 2;
  }

  private push(text: string, offset: number): void {
    this.value += text;
    for (let k = 0; k < text.length; k++) this.offsets[this.length++] = offset;
  }

  private byte(value: number, offset: number): void {
    this.bytes.push(value);
    this.byteOffsets.push(offset);
  }

  /** Emits the pending byte escapes, decoding UTF-8 sequences where they are well formed. */
  private flushBytes(): void {
    const bytes = this.bytes;
    let j = 0;
    while (j < bytes.length) {
      const size = utf8SequenceLength(bytes, j);
      let code = bytes[j];
      if (size === 2) code = ((code & 0x1f) << 6) | (bytes[j + 1] & 0x3f);
      else if (size === 3)
        code = ((code & 0x0f) << 12) | ((bytes[j + 1] & 0x3f) << 6) | (bytes[j + 2] & 0x3f);
      else if (size === 4) {
        code =
          ((code & 0x07) << 18) |
          ((bytes[j + 1] & 0x3f) << 12) |
          ((bytes[j + 2] & 0x3f) << 6) |
          (bytes[j + 3] & 0x3f);
      }
      this.push(String.fromCodePoint(code), this.byteOffsets[j]);
      j += size;
    }
    bytes.length = 0;
    this.byteOffsets.length = 0;
  }

  private report(start: number, end: number, message: string): void {
    this.problems.push({ start, end, message });
  }
}

/** Length of the well-formed UTF-8 sequence starting at `j`, or 1 when there is none. */
function utf8SequenceLength(bytes: readonly number[], j: number): number {
  const lead = bytes[j];
  const size =
    lead >= 0xc2 && lead <= 0xdf
      ? 2
      : lead >= 0xe0 && lead <= 0xef
        ? 3
        : lead >= 0xf0 && lead <= 0xf4
          ? 4
          : 1;
  if (size === 1 || j + size > bytes.length) return 1;
  for (let k = 1; k < size; k++) if ((bytes[j + k] & 0xc0) !== 0x80) return 1;
  const second = bytes[j + 1];
  if (lead === 0xe0 && second < 0xa0) return 1; // overlong
  if (lead === 0xed && second >= 0xa0) return 1; // surrogate halves
  if (lead === 0xf0 && second < 0x90) return 1; // overlong
  if (lead === 0xf4 && second >= 0x90) return 1; // above U+10FFFF
  return size;
}

function scan(image: string, from: number, limit: number, accept: (c: number) => boolean): number {
  let i = from;
  while (i < limit && accept(image.charCodeAt(i))) i++;
  return i;
}

function isOctal(c: number): boolean {
  return c >= 48 && c <= 55;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
