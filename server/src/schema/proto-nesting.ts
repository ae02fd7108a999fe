// A linear check before the (recursive) .proto parser: messages, enums and option values nested
// deeper than MAX_PROTO_NESTING are refused with one clear error instead of a stack overflow.

import type { IToken } from 'chevrotain';
import { LAngle, LBrace, LBracket, LParen, RAngle, RBrace, RBracket, RParen } from './proto-lexer';

/** Far beyond any real caffe.proto (3 levels); well within the parser's stack. */
export const MAX_PROTO_NESTING = 64;

const OPENERS = new Set([LBrace, LBracket, LParen, LAngle]);
const CLOSERS = new Set([RBrace, RBracket, RParen, RAngle]);

/** The first token that opens a block deeper than the limit, if any. */
export function tooDeep(tokens: readonly IToken[], limit = MAX_PROTO_NESTING): IToken | undefined {
  let depth = 0;
  for (const token of tokens) {
    if (OPENERS.has(token.tokenType)) {
      depth++;
      if (depth > limit) return token;
    } else if (CLOSERS.has(token.tokenType) && depth > 0) depth--;
  }
  return undefined;
}
