// Characters that look like white space, or like nothing at all, but that protobuf's text format does
// not skip: it knows only the ASCII space, tab, line breaks, vertical tab and form feed. A no-break
// space pasted from a web page, a full-width space typed with an input method, a byte order mark saved
// at the start of the file or a zero-width space make Caffe stop reading the net ("Interpreting non
// ascii codepoint 194."), while the file looks right in every editor. The lexer reads a run of them as
// one token (tokens.ts); this says what it is and offers the plain space (or nothing) it should be.

import type { SyntaxProblem } from './ast';

/** Each character of the set, as a regular-expression class body. */
export const LOOK_ALIKE_CLASS =
  '\\u00a0\\u1680\\u2000-\\u200d\\u2028\\u2029\\u202f\\u205f\\u2060\\u3000\\ufeff';

const LOOK_ALIKE = new RegExp(`[${LOOK_ALIKE_CLASS}]`);

/** Whether the character with this UTF-16 code is one of them. */
export function isLookAlikeSpace(code: number): boolean {
  return code > 127 && LOOK_ALIKE.test(String.fromCharCode(code));
}

/** Of no width: removed by the fix rather than made a space. */
const ZERO_WIDTH = new Set([0x200b, 0x200c, 0x200d, 0x2060, 0xfeff]);

const NAMES: Record<number, string> = {
  0x00a0: 'a no-break space',
  0x1680: 'an Ogham space mark',
  0x2007: 'a figure space',
  0x2008: 'a punctuation space',
  0x2009: 'a thin space',
  0x200a: 'a hair space',
  0x200b: 'a zero-width space',
  0x200c: 'a zero-width non-joiner',
  0x200d: 'a zero-width joiner',
  0x2028: 'a line separator',
  0x2029: 'a paragraph separator',
  0x202f: 'a narrow no-break space',
  0x205f: 'a medium mathematical space',
  0x2060: 'a word joiner',
  0x3000: 'a full-width (ideographic) space',
  0xfeff: 'a byte order mark',
};

function nameOf(code: number): string {
  return NAMES[code] ?? 'a typographic space';
}

function codePoint(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first byte of the character in UTF-8: the number protobuf's error names. */
function firstUtf8Byte(code: number): number {
  if (code < 0x80) return code;
  if (code < 0x800) return 0xc0 | (code >> 6);
  return 0xe0 | (code >> 12);
}

/**
 * The problem for a run of these characters at [start, end) of `text`. Its fix writes a plain space
 * for each one of some width and removes the zero-width ones, unless that would leave a name right
 * after a number (`dim: 1dim`), which protobuf does not read either: then one space.
 */
export function lookAlikeSpaceProblem(text: string, start: number, end: number): SyntaxProblem {
  const image = text.slice(start, end);
  const first = image.charCodeAt(0);
  let spaces = 0;
  for (let i = 0; i < image.length; i++) if (!ZERO_WIDTH.has(image.charCodeAt(i))) spaces++;
  if (spaces === 0 && /[0-9.]/.test(text.charAt(start - 1)) && /[A-Za-z_]/.test(text.charAt(end))) spaces = 1;
  const fix = ' '.repeat(spaces);
  const quoted = `("Interpreting non ascii codepoint ${firstUtf8Byte(first)}.")`;
  if (start === 0 && first === 0xfeff && image.length === 1) {
    return {
      start,
      end,
      message: `The file starts with a byte order mark (U+FEFF), which protobuf does not skip: Caffe cannot read the file ${quoted}. Save it as UTF-8 without a BOM.`,
      suggestions: [fix],
    };
  }
  const what =
    image.length === 1
      ? `${capitalized(nameOf(first))} (${codePoint(first)}) is`
      : `${image.length} characters here, the first ${nameOf(first)} (${codePoint(first)}), are`;
  const instead = spaces === 0 ? 'Remove it.' : spaces === 1 ? 'Write a plain space.' : 'Write plain spaces.';
  return {
    start,
    end,
    message: `${what} not white space to protobuf, which knows only ASCII spaces, tabs and line breaks: Caffe stops reading the file here ${quoted}. ${instead}`,
    suggestions: [fix],
  };
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
