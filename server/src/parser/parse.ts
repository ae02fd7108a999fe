// The public entry point: text in, DocumentNode out, never an exception.

import { tokenMatcher, type ILexingError, type IToken, type Lexer } from 'chevrotain';
import { pushAll } from '../../../common/arrays';
import type { Comment, DocumentNode, FieldNode, SyntaxProblem } from './ast';
import { parseInChunks } from './chunks';
import { parseClean } from './clean-parse';
import { TextFormatParser } from './grammar';
import { formatBraces, isFormatTemplate } from './format-template';
import { reparseEdited } from './incremental';
import { limitNesting } from './nesting';
import { lookAlikeSpaceProblem } from './look-alike-spaces';
import { AnyString, Comment as CommentToken, createLexer, CStyleComment, LookAlikeSpace } from './tokens';
import type { ChangedRegion } from '../util/text-change';

/** At most this many problems are listed; one more says that the rest were left out. */
export const MAX_PROBLEMS = 1000;

/** Related locations listed for blocks left open at the end of the file. */
const MAX_UNCLOSED_LISTED = 20;

// One lexer and one parser, reused: both are reset by every call and keep no document state. Made on
// the first parse, not at start-up: a command that parses nothing (`--help`) does not pay for them.
let made: { lexer: Lexer; parser: TextFormatParser } | undefined;
const machinery = () => (made ??= { lexer: createLexer(), parser: new TextFormatParser() });

/** Texts longer than this are parsed in chunks of about this many characters when they are clean. */
export const CHUNK_SIZE = 64 * 1024;

/**
 * Parses a protobuf text-format document. Pure apart from reusing the parser; never throws. A text
 * without problems is read by the fast path (clean-parse.ts); the grammar reads the rest.
 */
export function parse(text: string): DocumentNode {
  if (isFormatTemplate(text)) text = formatBraces(text);
  try {
    const clean = parseClean(text);
    if (clean) return clean;
  } catch {
    // Parsed by the grammar below, which reports what went wrong.
  }
  if (text.length > CHUNK_SIZE) {
    try {
      const { lexer, parser } = machinery();
      const chunked = parseInChunks(text, lexer, parser, CHUNK_SIZE);
      if (chunked) return chunked;
    } catch {
      // Parsed again as a whole below, which reports what went wrong.
    }
  }
  return parseWhole(text);
}

/**
 * The tree of `text`, an edited version of `previous.text`: only the top-level block that holds the
 * edit is parsed again when that is possible; always the same tree as `parse(text)`. `region` is what
 * the edit changed, when the caller knows it (found from the texts otherwise).
 */
export function parseAfterEdit(
  previous: { text: string; ast: DocumentNode },
  text: string,
  region?: ChangedRegion,
): DocumentNode {
  try {
    const { lexer, parser } = machinery();
    const edited = reparseEdited(previous, text, lexer, parser, region);
    if (edited) return edited;
  } catch {
    // Parsed as a whole below, which reports what went wrong.
  }
  return parse(text);
}

/** The whole text lexed and parsed at once (what `parse` gives for every text). */
export function parseWhole(written: string): DocumentNode {
  const text = isFormatTemplate(written) ? formatBraces(written) : written;
  const problems: SyntaxProblem[] = [];
  let fields: FieldNode[] = [];
  let comments: Comment[] = [];
  try {
    const { lexer, parser } = machinery();
    const lexed = lexer.tokenize(text);
    comments = (lexed.groups.comments ?? []).map((token) => ({
      start: token.startOffset,
      end: token.startOffset + token.image.length,
      text: token.image,
    }));
    for (const token of lexed.groups.garbage ?? []) problems.push(garbageProblem(token, text));
    for (const error of lexed.errors) problems.push(lexingProblem(text, error));
    if (text.includes('\0')) nulProblems([...lexed.tokens, ...(lexed.groups.comments ?? [])], problems);
    const tokens = limitNesting(lexed.tokens, problems);
    fields = parser.run(text, tokens);
    pushAll(problems, parser.problems);
    const unclosed = unclosedProblem(parser.unclosed, tokens, text);
    if (unclosed) problems.push(unclosed);
  } catch (error) {
    // A defect, not a property of the input: say so at the start rather than fail the caller.
    problems.push({ start: 0, end: 0, message: `Internal parser error: ${String(error)}` });
  }
  return { kind: 'document', fields, comments, errors: capProblems(problems), start: 0, end: text.length };
}

function garbageProblem(token: IToken, text: string): SyntaxProblem {
  const start = token.startOffset;
  const end = start + token.image.length;
  if (token.tokenType === CStyleComment) return cStyleCommentProblem(token.image, start, end, text);
  if (token.tokenType === LookAlikeSpace) return lookAlikeSpaceProblem(text, start, end);
  return { start, end, message: `Expected identifier or number, got ${token.image}.` };
}

/**
 * A `//` or `/* *\/` comment: the message, and as the fix the same words after `#` when that ends the
 * line as the comment did (a `/* *\/` on one line with nothing after it).
 */
function cStyleCommentProblem(image: string, start: number, end: number, text: string): SyntaxProblem {
  const block = image.startsWith('/*');
  const message = `Comments in a prototxt start with "#": ${block ? '"/* */"' : '"//"'} is not a comment to Caffe, which stops here. Write # before the words.`;
  const words = block
    ? image.slice(2, image.endsWith('*/') && image.length >= 4 ? -2 : undefined)
    : image.slice(2);
  const restOfLine = /^[ \t]*(?:\r?\n|$)/.test(text.slice(end, end + 200));
  if (/[\n\r]/.test(words) || !restOfLine) return { start, end, message };
  return { start, end, message, suggestions: [`#${words.trimEnd()}`] };
}

/**
 * A NUL inside a string or a comment (elsewhere it is garbage): protobuf ends the string or comment
 * there and stops, so one problem on it, removed by its fix.
 */
function nulProblems(tokens: readonly IToken[], problems: SyntaxProblem[]): void {
  for (const token of tokens) {
    const at = token.image.indexOf('\0');
    if (at < 0) continue;
    const comment = token.tokenType === CommentToken;
    if (!comment && !tokenMatcher(token, AnyString)) continue;
    const start = token.startOffset + at;
    const what = comment ? 'comment' : 'string';
    const said = comment ? 'Invalid control characters encountered in text.' : 'Unexpected end of string.';
    problems.push({
      start,
      end: start + 1,
      message: `A NUL character (U+0000) inside a ${what}: protobuf ends the ${what} there and stops ("${said}"), so Caffe cannot read the file. Remove it.`,
      suggestions: [''],
    });
  }
}

function lexingProblem(text: string, error: ILexingError): SyntaxProblem {
  const start = error.offset;
  const end = start + error.length;
  return { start, end, message: `Unexpected character ${JSON.stringify(text.slice(start, end))}.` };
}

/** One problem for every block still open at the end, placed just after the last token. */
function unclosedProblem(unclosed: IToken[], tokens: IToken[], text: string): SyntaxProblem | undefined {
  if (unclosed.length === 0) return undefined;
  const lastToken = tokens[tokens.length - 1];
  const at = lastToken ? lastToken.startOffset + lastToken.image.length : text.length;
  const closer = unclosed[0].image === '<' ? '>' : '}';
  const count = unclosed.length === 1 ? 'a block is' : `${unclosed.length} blocks are`;
  return {
    start: at,
    end: at,
    message: `Expected "${closer}": the file ends while ${count} still open.`,
    related: unclosed.slice(0, MAX_UNCLOSED_LISTED).map((open) => ({
      start: open.startOffset,
      end: open.startOffset + 1,
      message: `"${open.image}" opened here is not closed`,
    })),
  };
}

function capProblems(problems: SyntaxProblem[]): SyntaxProblem[] {
  problems.sort((a, b) => a.start - b.start || a.end - b.end);
  if (problems.length <= MAX_PROBLEMS) return problems;
  const kept = problems.slice(0, MAX_PROBLEMS);
  const last = kept[kept.length - 1];
  kept.push({
    start: last.start,
    end: last.end,
    message: `Too many syntax errors: ${problems.length - MAX_PROBLEMS} more are not listed.`,
    omitted: problems.length - MAX_PROBLEMS,
  });
  return kept;
}
