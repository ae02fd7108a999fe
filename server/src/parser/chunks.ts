// Parsing a large document piece by piece: the text is lexed a window of about `chunkSize`
// characters at a time, the window's tokens are cut after the last `}` or `>` that closes a
// top-level block, and those tokens are parsed; the next window starts just after that cut. Only
// one window's tokens are alive at a time, so they die young instead of filling the old generation
// (on a 20 MB net the whole token array is ~260 MB). The cut is found from the tokens themselves,
// so strings and comments need no scan of their own. Used only when every piece is clean: a piece
// with any problem means the caller parses the whole text instead, so the tree and the problems
// are always exactly those of a whole parse.

import type { ILexingResult, IToken, Lexer } from 'chevrotain';
import type { Comment, DocumentNode, FieldNode, MessageNode } from './ast';
import type { TextFormatParser } from './grammar';
import { MAX_NESTING } from './nesting';
import { ParsedField } from './nodes';
import {
  Colon,
  Comma,
  Identifier,
  LAngle,
  LBracket,
  LCurly,
  RAngle,
  RBracket,
  RCurly,
  Semicolon,
} from './tokens';

/**
 * One pass over a piece's tokens: moves them `shift` characters on (to offsets in the whole text) and
 * returns how many leading tokens form whole top-level items ending with a block (the index after the
 * last `}` or `>` that brings the nesting back to the top level; 0 when there is none), or -1 when a
 * closer has no opener or blocks nest deeper than `limit` (a broken text: the whole parse reports it).
 */
export function scanPiece(tokens: readonly IToken[], shift: number, limit: number = MAX_NESTING): number {
  let depth = 0;
  let prefix = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    token.startOffset += shift;
    const type = token.tokenType;
    if (type === LCurly || type === LAngle || type === LBracket) {
      if (++depth > limit) return -1;
    } else if (type === RCurly || type === RAngle) {
      if (--depth === 0) prefix = i + 1;
      else if (depth < 0) return -1;
    } else if (type === RBracket && --depth < 0) return -1;
  }
  return prefix;
}

/** A top-level block longer than a window, read piece by piece: its name, colon, opener and fields so far. */
interface OpenBlock {
  name: IToken;
  colon: IToken | undefined;
  open: IToken;
  fields: FieldNode[];
}

/**
 * Like `scanPiece` for the tokens inside an open top-level block (depth 1): `prefix` is the index after
 * the last closer that brings the nesting back to 1, `close` the index of the closer of the block
 * itself (-1 when it is not in these tokens; nothing after it is looked at). Undefined when blocks nest
 * deeper than `limit`.
 */
function scanInside(
  tokens: readonly IToken[],
  shift: number,
  limit: number,
): { prefix: number; close: number } | undefined {
  let depth = 1;
  let prefix = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    token.startOffset += shift;
    const type = token.tokenType;
    if (type === LCurly || type === LAngle || type === LBracket) {
      if (++depth > limit) return undefined;
    } else if (type === RCurly || type === RAngle || type === RBracket) {
      depth--;
      if (depth === 0) return type === RBracket ? undefined : { prefix, close: i };
      if (depth === 1 && type !== RBracket) prefix = i + 1;
    }
  }
  return { prefix, close: -1 };
}

/**
 * Where the first block of `tokens` opens when it is a field's block (`name {`, `name: {`, `name <`):
 * the indexes of the name and of the opener; undefined when the first block is anything else.
 */
function firstFieldBlock(tokens: readonly IToken[]): { name: number; open: number } | undefined {
  let lists = 0;
  for (let open = 0; open < tokens.length; open++) {
    const type = tokens[open].tokenType;
    if (type === LBracket) lists++;
    else if (type === RBracket) lists--;
    else if (lists === 0 && (type === LCurly || type === LAngle)) {
      const name = tokens[open - 1]?.tokenType === Colon ? open - 2 : open - 1;
      return name >= 0 && tokens[name].tokenType === Identifier ? { name, open } : undefined;
    }
  }
  return undefined;
}

/**
 * The document parsed piece by piece, or undefined when the text does not split into two or more
 * pieces or when any piece has a problem (lexing, nesting or syntax). A top-level block longer than
 * a window (a solver's `net_param { ... }` holding the whole net) is read the same way one level
 * down: its fields piece by piece, then the block and its field made as the parser makes them.
 */
export function parseInChunks(
  text: string,
  lexer: Lexer,
  parser: TextFormatParser,
  chunkSize: number,
): DocumentNode | undefined {
  // A NUL in a string or comment is a problem only a whole parse reports (parse.ts).
  if (text.includes('\0')) return undefined;
  const n = text.length;
  const fields: FieldNode[] = [];
  const comments: Comment[] = [];
  let from = 0;
  let pieces = 0;
  let window = chunkSize;
  let outer: OpenBlock | undefined;
  /** Takes the piece's lexing problems and comments before `end` (relative to `from`); false on a problem. */
  const clean = (lexed: ILexingResult, end: number): boolean => {
    for (const error of lexed.errors) if (error.offset < end) return false;
    for (const token of lexed.groups.garbage ?? []) if (token.startOffset < end) return false;
    for (const token of lexed.groups.comments ?? []) {
      if (token.startOffset >= end) break;
      const start = token.startOffset + from;
      comments.push({ start, end: start + token.image.length, text: token.image });
    }
    return true;
  };
  /** Parses complete fields; undefined on any problem. */
  const run = (tokens: IToken[]): FieldNode[] | undefined => {
    if (tokens.length === 0) return [];
    const parsed = parser.run(text, tokens, pieces > 0);
    pieces++;
    return parser.problems.length > 0 || parser.unclosed.length > 0 ? undefined : parsed;
  };
  while (from < n) {
    const windowEnd = Math.min(n, from + window);
    const lexed = lexer.tokenize(text.slice(from, windowEnd));
    const tokens = lexed.tokens;
    if (outer) {
      const scan = scanInside(tokens, from, MAX_NESTING);
      if (scan === undefined) return undefined;
      let end: number;
      if (scan.close >= 0) {
        const close = tokens[scan.close];
        if (close.tokenType !== (outer.open.tokenType === LCurly ? RCurly : RAngle)) return undefined;
        // A `,` or `;` after the block belongs to its field (not moved by the scan: relative offset).
        const next = tokens[scan.close + 1];
        const separated = next?.tokenType === Comma || next?.tokenType === Semicolon;
        end = separated ? next.startOffset + 1 : close.startOffset + 1 - from;
        tokens.length = scan.close;
        if (!clean(lexed, end)) return undefined;
        const inner = run(tokens);
        if (!inner) return undefined;
        for (const field of inner) outer.fields.push(field);
        fields.push(closedBlock(outer, close));
        outer = undefined;
      } else {
        if (windowEnd === n) return undefined;
        if (scan.prefix === 0) {
          window *= 2;
          continue;
        }
        end = tokens[scan.prefix - 1].startOffset + 1 - from;
        tokens.length = scan.prefix;
        if (!clean(lexed, end)) return undefined;
        const inner = run(tokens);
        if (!inner) return undefined;
        for (const field of inner) outer.fields.push(field);
      }
      from += end;
      window = chunkSize;
      continue;
    }
    const prefix = scanPiece(tokens, from);
    if (prefix < 0) return undefined;
    // Relative to `from`: where this piece ends.
    let end = windowEnd - from;
    if (windowEnd < n) {
      if (prefix === 0) {
        // One top-level item longer than the window: a field's block is read piece by piece, anything
        // else is tried again with a larger window.
        const block = firstFieldBlock(tokens);
        if (block === undefined) {
          window *= 2;
          continue;
        }
        const open = tokens[block.open];
        end = open.startOffset + 1 - from;
        if (!clean(lexed, end)) return undefined;
        const before = run(tokens.slice(0, block.name));
        if (!before) return undefined;
        for (const field of before) fields.push(field);
        const colon = block.open - block.name === 2 ? tokens[block.name + 1] : undefined;
        outer = { name: tokens[block.name], colon, open, fields: [] };
        from += end;
        window = chunkSize;
        continue;
      }
      end = tokens[prefix - 1].startOffset + 1 - from;
      tokens.length = prefix;
    } else if (pieces === 0) return undefined;
    if (!clean(lexed, end)) return undefined;
    const parsed = run(tokens);
    if (!parsed) return undefined;
    for (const field of parsed) fields.push(field);
    from += end;
    window = chunkSize;
  }
  if (outer) return undefined;
  return { kind: 'document', fields, comments, errors: [], start: 0, end: text.length };
}

/** The field of a block read piece by piece, as the parser makes it. */
function closedBlock(block: OpenBlock, close: IToken): FieldNode {
  const value: MessageNode = {
    kind: 'message',
    open: block.open.tokenType === LCurly ? '{' : '<',
    fields: block.fields,
    start: block.open.startOffset,
    end: close.startOffset + 1,
    close: close.startOffset,
  };
  return new ParsedField(block.name.image, block.name.startOffset, block.colon?.startOffset, value);
}
