// The tokens of the protobuf text format, in the order the lexer tries them.
// Every character of any input belongs to some token (the last one, Garbage, takes what nothing
// else does), so the lexer never fails: stray characters become problems reported by the parser.

import { createToken, Lexer, type TokenType } from 'chevrotain';
import { isLookAlikeSpace, LOOK_ALIKE_CLASS } from './look-alike-spaces';

/** Tokens that can never start a field: reported and skipped where a field is expected (top level). */
export const Stray = createToken({ name: 'Stray', pattern: Lexer.NA });
/** The same inside `{ }`, where `}` closes the block instead. */
export const StrayInCurly = createToken({ name: 'StrayInCurly', pattern: Lexer.NA });
/** The same inside `< >`, where `>` closes the block instead. */
export const StrayInAngle = createToken({ name: 'StrayInAngle', pattern: Lexer.NA });
const STRAY = [Stray, StrayInCurly, StrayInAngle];
/** Tokens skipped (with a problem) where a value is expected after `:`, e.g. the second `:` of `a: : 1`. */
export const ValueJunk = createToken({ name: 'ValueJunk', pattern: Lexer.NA });
/** A string literal, closed or not. */
export const AnyString = createToken({ name: 'AnyString', pattern: Lexer.NA, categories: STRAY });

/** White space as protobuf reads it: space, tab, line feed, vertical tab, form feed, carriage return. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** Strings of `n` spaces, made once per length: a skipped match needs only its length. */
const blanks: string[] = [];
/** The one match result handed back (the lexer reads it at once and keeps nothing of it). */
const blankMatch: [string] = [''];

/**
 * White space, read by a loop over the characters instead of a regular expression: it sits between
 * almost every two tokens, and this returns a ready-made string of the run's length rather than a
 * copy of the run (skipped tokens keep no text).
 */
function matchSpaces(text: string, offset: number): [string] | null {
  let end = offset;
  while (isSpace(text.charCodeAt(end))) end++;
  const n = end - offset;
  if (n === 0) return null;
  blankMatch[0] = blanks[n] ??= ' '.repeat(n);
  return blankMatch;
}

export const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: { exec: matchSpaces },
  start_chars_hint: [' ', '\t', '\n', '\v', '\f', '\r'],
  group: Lexer.SKIPPED,
  line_breaks: true,
});

/**
 * A run of characters that look like white space (or nothing) but are not white space to protobuf: a
 * no-break space, a full-width space, a byte order mark... (look-alike-spaces.ts). Kept out of the
 * parser's way like garbage, and reported once per run.
 */
export const LookAlikeSpace = createToken({
  name: 'LookAlikeSpace',
  pattern: new RegExp(`[${LOOK_ALIKE_CLASS}]+`),
  group: 'garbage',
  line_breaks: true,
});
/**
 * A `#` comment runs to the line feed, as protobuf reads it: a carriage return ends it only as part
 * of CR LF, and a lone one (a classic Mac line end) is inside it (parse.ts warns).
 */
export const Comment = createToken({
  name: 'Comment',
  pattern: /#[^\n\r]*(?:\r(?!\n)[^\n\r]*)*/,
  group: 'comments',
  line_breaks: true,
});

/**
 * A C or C++ comment (`// ...`, `/* ... *\/`), which the format does not have: one problem each (see
 * parse.ts), instead of a stray `/` and a field made of every word after it. An unclosed `/*` runs to
 * the end of the text, as in C.
 */
export const CStyleComment = createToken({
  name: 'CStyleComment',
  pattern: { exec: matchCStyleComment },
  start_chars_hint: ['/'],
  group: 'garbage',
  line_breaks: true,
});

const cStyleMatch: [string] = [''];

function matchCStyleComment(text: string, offset: number): [string] | null {
  if (text.charCodeAt(offset) !== 47 /* / */) return null;
  const next = text.charCodeAt(offset + 1);
  let end: number;
  if (next === 47) {
    end = offset + 2;
    while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
  } else if (next === 42 /* * */) {
    const close = text.indexOf('*/', offset + 2);
    end = close < 0 ? text.length : close + 2;
  } else return null;
  cStyleMatch[0] = text.slice(offset, end);
  return cStyleMatch;
}

/** A string never spans a line; a backslash escapes any character but a line end. */
export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: /"(?:[^"\\\n]|\\[^\n])*"|'(?:[^'\\\n]|\\[^\n])*'/,
  categories: [AnyString],
});
/** A quote whose line ends before the closing quote: the literal runs to the end of the line. */
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: /"(?:[^"\\\n\r]|\\[^\n\r])*\\?|'(?:[^'\\\n\r]|\\[^\n\r])*\\?/,
  categories: [AnyString],
});

/**
 * A string in typographic quotes (`“conv1”`, `‘Input’`), as pasted from a web page or a document:
 * the format knows only `"` and `'`. Read as one string, reported once with the value in plain quotes
 * (see `stringNode`), rather than as two stray characters around a bare word.
 */
export const CurlyString = createToken({
  name: 'CurlyString',
  pattern: /[\u201c\u201d\u201e\u2018\u2019][^\u201c\u201d\u2018\u2019"'\n\r]*[\u201c\u201d\u2018\u2019]/,
  start_chars_hint: ['\u201c', '\u201d', '\u201e', '\u2018', '\u2019'],
  categories: [AnyString],
});

/** Unsigned: hex, decimal/octal integers and floats (`1e-4`, `.5`, `2.`, `1f`); the sign is a Minus. */
export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /0[xX][0-9a-fA-F]+|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[fF]?/,
  categories: STRAY,
});
export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/ });

/**
 * A value written without its quotes that no identifier or number could be: a path
 * (`net: examples/mnist/train.prototxt`, `source: ./data`, `C:\data\x`, a URL), a file name
 * (`mean_file: mean.binaryproto`) or a dashed name (`name: resnet-50`), right after a `:`. Read as
 * one identifier, it is one problem (validation's "write it in quotes") instead of a run of them, one
 * per `/` or `.`. Nothing valid is read this way: the format has no value with these characters
 * outside quotes.
 */
export const BareValue = createToken({
  name: 'BareValue',
  pattern: { exec: matchBareValue },
  start_chars_hint: [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_./~0123456789'],
  line_breaks: false,
  categories: [Identifier],
});

const BARE_VALUE = /(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/|[A-Za-z]:(?=[\\/]))?[A-Za-z0-9_.~/\\+-]+/y;
const PLAIN_WORD = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A bare value after `:` (see BareValue); null for anything else, which the other tokens read. */
function matchBareValue(text: string, offset: number): RegExpExecArray | null {
  let before = offset - 1;
  for (; before >= 0; before--) {
    const c = text.charCodeAt(before);
    if (!isSpace(c) && !isLookAlikeSpace(c)) break;
  }
  if (text.charCodeAt(before) !== 58 /* : */) return null;
  BARE_VALUE.lastIndex = offset;
  const found = BARE_VALUE.exec(text);
  if (found === null) return null;
  const run = found[0];
  if (PLAIN_WORD.test(run) || run.startsWith('//') || run.startsWith('/*')) return null;
  const first = run.charCodeAt(0);
  // `.5` and `-1` are numbers; `./x` and `../x` are paths.
  if (first === 46 /* . */ && !/^\.\.?[\\/]/.test(run)) return null;
  if (first >= 48 && first <= 57) return wordFromDigits(text, offset, run) ? found : null;
  return found;
}

/** A whole number literal as the NumberLiteral token reads it. */
const WHOLE_NUMBER = /^(?:0[xX][0-9a-fA-F]+|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[fF]?)$/;

/**
 * Whether a run after `:` that starts with a digit is a word written without its quotes (`11point`,
 * `3d_conv`): it holds a letter and is no number literal, and no `:` or block follows it (then the
 * letters are the next field's name written against the number, `dim: 1dim: 3`, which the parser
 * reports as such).
 */
function wordFromDigits(text: string, offset: number, run: string): boolean {
  if (!/[A-Za-z_]/.test(run) || WHOLE_NUMBER.test(run)) return false;
  let after = offset + run.length;
  while (isSpace(text.charCodeAt(after))) after++;
  const next = text.charCodeAt(after);
  return next !== 58 /* : */ && next !== 123 /* { */ && next !== 60; /* < */
}

export const LCurly = createToken({ name: 'LCurly', pattern: '{' });
export const RCurly = createToken({ name: 'RCurly', pattern: '}', categories: [Stray, StrayInAngle] });
export const LAngle = createToken({ name: 'LAngle', pattern: '<' });
export const RAngle = createToken({ name: 'RAngle', pattern: '>', categories: [Stray, StrayInCurly] });
export const LBracket = createToken({ name: 'LBracket', pattern: '[' });
export const RBracket = createToken({ name: 'RBracket', pattern: ']', categories: STRAY });
export const Colon = createToken({ name: 'Colon', pattern: ':', categories: [...STRAY, ValueJunk] });
/**
 * `=` where `:` belongs (`base_lr = 0.01`, as in an INI or Python file): read as the colon, so that
 * it is one problem at the `=` and the field keeps its value; anywhere else it is stray like `@`.
 */
export const Equals = createToken({ name: 'Equals', pattern: '=', categories: [Colon] });
/** `,` or `;` after a field. */
export const Separator = createToken({ name: 'Separator', pattern: Lexer.NA });
export const Comma = createToken({ name: 'Comma', pattern: ',', categories: [...STRAY, Separator] });
export const Semicolon = createToken({ name: 'Semicolon', pattern: ';', categories: [...STRAY, Separator] });
export const Minus = createToken({ name: 'Minus', pattern: '-', categories: STRAY });
export const Dot = createToken({ name: 'Dot', pattern: '.', categories: [...STRAY, ValueJunk] });
export const Slash = createToken({ name: 'Slash', pattern: '/', categories: [...STRAY, ValueJunk] });

/**
 * A template's placeholder left in the file: `${name}`, `$(name)`, `$name`, `{{ expr }}`, `{% tag %}`,
 * `{name}`/`{0:.3f}` (str.format), `<%= expr %>`, Mako's `<%page .../>` and `% if x:` lines, `@name@`,
 * `%(name)s`/`%d`. None of them is valid text format, so reading one as a
 * single token costs nothing on valid input and turns the run of errors its characters would
 * otherwise give (`$`, then a block `{K}` with a field missing its colon) into one.
 */
export const Placeholder = createToken({
  name: 'Placeholder',
  pattern: { exec: matchPlaceholder },
  start_chars_hint: ['$', '{', '<', '@', '%'],
  line_breaks: false,
  categories: STRAY,
});

const PLACEHOLDER_AT: Record<string, RegExp> = {
  $: /\$(?:\{[^{}\n\r]*\}|\([^()\n\r]*\)|[A-Za-z_][A-Za-z0-9_]*)/y,
  // `{{ expr }}`, `{% tag %}`, and Python's str.format fields that text format can never hold:
  // `{name}`, `{name!r}`, `{0}`, `{0:.4f}` (a field name is always followed by a value); and a
  // template's own `{1x1node}`, which no format reads (DeepVisualization's MATLAB fills it in).
  '{': /\{(?:\{[^\n\r]*?\}\}|%[^\n\r]*?%\}|\d*[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\w+\])*(?:![rsa])?\}|\d+(?:![rsa])?(?::[^{}\s]*)?\})/y,
  // `<%= k %>`; Mako's tags `<%page args="a, b=1"/>` and `</%def>`; and `<NUM_CLASSES>`: text
  // format never closes a `<` block right after a bare name.
  '<': /<(?:%[^\n\r]*?%>|%[A-Za-z_][\w.:]*(?:\s+[\w:]+=(?:"[^"\n\r]*"|'[^'\n\r]*'))*\s*\/?>|\/%[\w.:]+>|[A-Za-z_][A-Za-z0-9_-]*>)/y,
  '@': /@[A-Za-z_][A-Za-z0-9_]*@/y,
  // A Mako control line (`% if momentum > 0:`, `% endfor`) to its end, or a printf conversion.
  '%': /%[ \t]*(?:end)?(?:if|elif|else|for|while|try|except|finally|with)\b[^\n\r]*|%(?:\([A-Za-z_][A-Za-z0-9_]*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs](?![A-Za-z0-9_])/y,
};

/** Whether `text` is one template placeholder and nothing else (a string value `"{activation}"`). */
export function isPlaceholder(text: string): boolean {
  const m = matchPlaceholder(text, 0);
  return m !== null && m[0].length === text.length;
}

/** Tried before `{`, `<` and the garbage run: a sticky regular expression per first character. */
function matchPlaceholder(text: string, offset: number): RegExpExecArray | null {
  const pattern = PLACEHOLDER_AT[text.charAt(offset)];
  if (!pattern) return null;
  pattern.lastIndex = offset;
  return pattern.exec(text);
}

/**
 * A run of ASCII characters the format has no use for (`@@`, `$`, `=`, control characters...), kept
 * out of the parser's way. Other characters (non-ASCII letters) are left to the lexer's own error.
 */
export const Garbage = createToken({
  name: 'Garbage',
  // Control characters are part of the set on purpose: they are garbage in a prototxt.
  // eslint-disable-next-line no-control-regex
  pattern: /[!$%&()*+=?@\\^`|~\x00-\x08\x0e-\x1f\x7f]+/,
  group: 'garbage',
});

export const allTokens: TokenType[] = [
  WhiteSpace,
  LookAlikeSpace,
  Comment,
  StringLiteral,
  UnterminatedString,
  CurlyString,
  CStyleComment,
  // Before the number: a bare value may start with digits (`11point`); it steps aside for numbers.
  BareValue,
  NumberLiteral,
  Identifier,
  Placeholder,
  LCurly,
  RCurly,
  LAngle,
  RAngle,
  LBracket,
  RBracket,
  Colon,
  Equals,
  Comma,
  Semicolon,
  Minus,
  Dot,
  Slash,
  Garbage,
  Stray,
  StrayInCurly,
  StrayInAngle,
  ValueJunk,
  AnyString,
  Separator,
];

export function createLexer(): Lexer {
  return new Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: true });
}
