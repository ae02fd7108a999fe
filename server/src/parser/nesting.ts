// A linear pre-pass that bounds how deeply the (recursive) parser can nest, so that 100,000 `{`
// give one precise problem instead of a stack overflow.

import type { IToken, TokenType } from 'chevrotain';
import type { SyntaxProblem } from './ast';
import { LAngle, LBracket, LCurly, RAngle, RBracket, RCurly } from './tokens';

/**
 * Blocks and lists nested deeper than this are reported and their contents skipped. Protobuf's own
 * default recursion limit is 100 too; real nets nest about 5 deep. Each level costs the recursive
 * parser about 2 KB of stack, so this also keeps the parse far from Node's default stack size.
 */
export const MAX_NESTING = 100;

function isOpener(type: TokenType): boolean {
  return type === LCurly || type === LAngle || type === LBracket;
}

function isCloser(type: TokenType): boolean {
  return type === RCurly || type === RAngle || type === RBracket;
}

/**
 * Returns `tokens` unchanged when nothing nests deeper than `limit`; otherwise a copy in which the
 * contents of each too-deep block are removed (its opening and closing tokens are kept, so the
 * parser sees an empty block), with one problem per removed region.
 */
export function limitNesting(
  tokens: IToken[],
  problems: SyntaxProblem[],
  limit: number = MAX_NESTING,
): IToken[] {
  let depth = 0;
  let kept: IToken[] | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const type = token.tokenType;
    if (kept) kept.push(token);
    if (isCloser(type)) {
      if (depth > 0) depth--;
      continue;
    }
    if (!isOpener(type) || ++depth <= limit) continue;
    problems.push({
      start: token.startOffset,
      end: token.startOffset + 1,
      message: `Message is too deep: more than ${limit} nested blocks or lists; the contents of this one are skipped.`,
    });
    kept ??= tokens.slice(0, i + 1);
    // Skip to the token that closes this opener (kept), or to the end.
    let inner = 0;
    let j = i + 1;
    for (; j < tokens.length; j++) {
      const t = tokens[j].tokenType;
      if (isOpener(t)) inner++;
      else if (isCloser(t) && inner-- === 0) break;
    }
    i = j - 1;
  }
  return kept ?? tokens;
}
