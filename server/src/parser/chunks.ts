// Parsing a large document piece by piece: the text is lexed a window of about `chunkSize`
// characters at a time, the window's tokens are cut after the last `}` or `>` that closes a
// top-level block, and those tokens are parsed; the next window starts just after that cut. Only
// one window's tokens are alive at a time, so they die young instead of filling the old generation
// (on a 20 MB net the whole token array is ~260 MB). The cut is found from the tokens themselves,
// so strings and comments need no scan of their own. Used only when every piece is clean: a piece
// with any problem means the caller parses the whole text instead, so the tree and the problems
// are always exactly those of a whole parse.

import type { IToken, Lexer } from 'chevrotain';
import type { Comment, DocumentNode, FieldNode } from './ast';
import type { TextFormatParser } from './grammar';
import { MAX_NESTING } from './nesting';
import { LAngle, LBracket, LCurly, RAngle, RBracket, RCurly } from './tokens';

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

/**
 * The document parsed piece by piece, or undefined when the text does not split into two or more
 * pieces or when any piece has a problem (lexing, nesting or syntax).
 */
export function parseInChunks(
  text: string,
  lexer: Lexer,
  parser: TextFormatParser,
  chunkSize: number,
): DocumentNode | undefined {
  const n = text.length;
  const fields: FieldNode[] = [];
  const comments: Comment[] = [];
  let from = 0;
  let pieces = 0;
  let window = chunkSize;
  while (from < n) {
    const windowEnd = Math.min(n, from + window);
    const lexed = lexer.tokenize(text.slice(from, windowEnd));
    const tokens = lexed.tokens;
    const prefix = scanPiece(tokens, from);
    if (prefix < 0) return undefined;
    // Relative to `from`: where this piece ends.
    let end = windowEnd - from;
    if (windowEnd < n) {
      if (prefix === 0) {
        // One top-level item longer than the window: try again with a larger one.
        window *= 2;
        continue;
      }
      end = tokens[prefix - 1].startOffset + 1 - from;
      tokens.length = prefix;
    } else if (pieces === 0) return undefined;
    for (const error of lexed.errors) if (error.offset < end) return undefined;
    for (const token of lexed.groups.garbage ?? []) if (token.startOffset < end) return undefined;
    for (const token of lexed.groups.comments ?? []) {
      if (token.startOffset >= end) break;
      const start = token.startOffset + from;
      comments.push({ start, end: start + token.image.length, text: token.image });
    }
    const parsed = parser.run(text, tokens, pieces > 0);
    if (parser.problems.length > 0 || parser.unclosed.length > 0) return undefined;
    for (const field of parsed) fields.push(field);
    from += end;
    pieces++;
    window = chunkSize;
  }
  return { kind: 'document', fields, comments, errors: [], start: 0, end: text.length };
}
