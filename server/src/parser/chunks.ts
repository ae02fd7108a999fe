// Parsing a large document piece by piece: the text is cut after top-level blocks into chunks of
// about `chunkSize` characters, and each chunk is lexed and parsed on its own. Only one chunk's
// tokens are alive at a time, so they die young instead of filling the old generation (on a 20 MB
// net the whole token array is ~260 MB). Used only when every chunk is clean: a chunk with any
// problem (or text the cut-finder cannot read) means the caller parses the whole text instead,
// so the tree and the problems are always exactly those of a whole parse.

import type { Lexer } from 'chevrotain';
import type { Comment, DocumentNode, FieldNode, SyntaxProblem } from './ast';
import type { TextFormatParser } from './grammar';
import { limitNesting } from './nesting';

const QUOTE = 34;
const APOSTROPHE = 39;
const BACKSLASH = 92;
const HASH = 35;
const LF = 10;

/**
 * Offsets where a chunk may end: just after a `}` or `>` that closes a top-level block, at least
 * `chunkSize` characters after the previous cut. Strings and comments are skipped as the lexer reads
 * them. Undefined when the nesting does not add up (a broken file: the whole parse reports it).
 */
export function chunkCuts(text: string, chunkSize: number): number[] | undefined {
  const cuts: number[] = [];
  let depth = 0;
  let last = 0;
  const n = text.length;
  // Jumps from one character that matters to the next (a native scan, not a loop over every character).
  const next = /["'#{}<>[\]]/g;
  const lineEnd = /[\n\r]/g;
  for (let m = next.exec(text); m !== null; m = next.exec(text)) {
    let i = m.index;
    const c = text.charCodeAt(i);
    if (c === QUOTE || c === APOSTROPHE) {
      // A literal ends at its closing quote or at the end of the line (then it is unterminated).
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === c || d === LF) break;
        if (d === BACKSLASH && text.charCodeAt(i + 1) !== LF) i++;
      }
      next.lastIndex = i + 1;
    } else if (c === HASH) {
      lineEnd.lastIndex = i;
      const end = lineEnd.exec(text);
      if (end === null) break;
      next.lastIndex = end.index;
    } else if (c === 123 /* { */ || c === 60 /* < */ || c === 91 /* [ */) {
      depth++;
    } else {
      if (--depth < 0) return undefined;
      if (depth === 0 && c !== 93 && i + 1 - last >= chunkSize && i + 1 < n) {
        last = i + 1;
        cuts.push(last);
      }
    }
  }
  return depth === 0 ? cuts : undefined;
}

/**
 * The document parsed chunk by chunk, or undefined when the text is not cut into two or more chunks
 * or when any chunk has a problem (lexing, nesting or syntax).
 */
export function parseInChunks(
  text: string,
  lexer: Lexer,
  parser: TextFormatParser,
  chunkSize: number,
): DocumentNode | undefined {
  const cuts = chunkCuts(text, chunkSize);
  if (cuts === undefined || cuts.length === 0) return undefined;
  cuts.push(text.length);
  const fields: FieldNode[] = [];
  const comments: Comment[] = [];
  const problems: SyntaxProblem[] = [];
  let from = 0;
  for (const to of cuts) {
    const lexed = lexer.tokenize(text.slice(from, to));
    if (lexed.errors.length > 0 || (lexed.groups.garbage?.length ?? 0) > 0) return undefined;
    for (const token of lexed.tokens) token.startOffset += from;
    for (const token of lexed.groups.comments ?? []) {
      const start = token.startOffset + from;
      comments.push({ start, end: start + token.image.length, text: token.image });
    }
    const tokens = limitNesting(lexed.tokens, problems);
    if (problems.length > 0) return undefined;
    const parsed = parser.run(text, tokens);
    if (parser.problems.length > 0 || parser.unclosed.length > 0) return undefined;
    for (const field of parsed) fields.push(field);
    from = to;
  }
  return { kind: 'document', fields, comments, errors: [], start: 0, end: text.length };
}
