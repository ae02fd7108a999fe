// Files named like prototxt that hold another format: a configuration dumped as YAML (a Fast R-CNN
// experiment's `config.prototxt`) or JSON. Protobuf's text parser stops at their first construct
// that text format lacks; checked as a net they give a syntax error or unknown field on every line.
// Told only for a file that does not parse, from evidence text format can never hold, found where
// the parse first fails.

import type { AnalysisDiagnostic } from './diagnostic';
import type { DocumentNode } from '../parser/ast';

export interface ForeignFormat {
  format: 'YAML' | 'JSON' | 'HTML';
  /** What shows it, for the message: "the YAML tag !!python/tuple". */
  evidence: string;
  start: number;
  end: number;
}

/** A YAML mapping key at the start of a line (after its indent, or after a list item's `- `). */
const KEY = /^[ \t]*(?:- +)?[A-Za-z_][\w.-]*[ \t]*:(?=[ \t]|$)/;
/** A key with a tag for its value: `SCALES: !!python/tuple [688]`. */
const TAGGED = /^[ \t]*(?:- +)?[A-Za-z_][\w.-]*[ \t]*:[ \t]+(!!?[A-Za-z][\w/:.-]*)/;
/** A top-level key whose value is the indented block below it: `TRAIN:` alone on its line. */
const OPENS_BLOCK = /^([A-Za-z_][\w.-]*)[ \t]*:[ \t]*(#[^\r\n]*)?\r?$/;
/** A block sequence item that is not a number (`- 5` is text format's negative number). */
const LIST_ITEM = /^[ \t]*- +[A-Za-z_"'[{]/;

/**
 * The other format a file that failed to parse is written in, with where that shows, or undefined.
 * Only evidence on the line of the first syntax error or the line before it counts: a net with a
 * stray line far from its real mistake is still checked as a net.
 */
export function foreignFormat(text: string, ast: DocumentNode): ForeignFormat | undefined {
  const first = ast.errors[0];
  if (first === undefined) return undefined;
  const json = jsonDocument(text);
  if (json) return json;
  const html = htmlDocument(text);
  if (html) return html;
  const lines = lineStarts(text, first.start);
  // The line of the first error, and the one before it (a `TRAIN:` block's error is on its next line).
  // A net or solver being written may leave a `name:` without its value: a block by indentation is
  // YAML's only in a file that opens no `{ }` block of text format anywhere and has a second one.
  const braces = ast.fields.some((f) => f.value?.kind === 'message');
  for (const at of lines.slice(-2)) {
    const found = yamlAt(text, at, braces);
    if (found && (found.strong || blocksByIndentation(text) >= 2)) return found.format;
  }
  return undefined;
}

/** The one diagnostic a file in another format gets. */
export function foreignFormatDiagnostic(found: ForeignFormat): AnalysisDiagnostic {
  return {
    severity: 'error',
    code: 'not-prototxt',
    message:
      found.format === 'HTML'
        ? `This file is a web page, not protobuf text format (${found.evidence}): a page saved under the ` +
          "net's name (a repository's page rather than its raw file). Caffe cannot read it; download the " +
          'raw file instead, or leave this code out (prototxt.diagnostics.ignore, --ignore not-prototxt).'
        : `This file is ${found.format}, not protobuf text format (${found.evidence}): Caffe cannot read ` +
          `it as a net or solver. If another tool reads it, name it .${found.format === 'YAML' ? 'yml' : 'json'}, ` +
          'or leave this code out (prototxt.diagnostics.ignore, --ignore not-prototxt).',
    start: found.start,
    end: found.end,
  };
}

/** A whole document that is a JSON object or array (text format never starts with `{` or `[`). */
function jsonDocument(text: string): ForeignFormat | undefined {
  const start = text.search(/\S/);
  if (start < 0 || (text[start] !== '{' && text[start] !== '[')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
  } catch {
    return undefined;
  }
  const kind = text[start] === '{' ? 'a JSON object' : 'a JSON array';
  return { format: 'JSON', evidence: `the whole file is ${kind}`, start, end: start + 1 };
}

/** A whole document that is an HTML page: it starts with `<!DOCTYPE html` or `<html` (text format never starts with `<`). */
function htmlDocument(text: string): ForeignFormat | undefined {
  const start = text.search(/\S/);
  if (start < 0 || text[start] !== '<') return undefined;
  const opening = /^<(?:!DOCTYPE\s+html|html)\b[^>]*>/i.exec(text.slice(start, start + 200));
  if (!opening) return undefined;
  return { format: 'HTML', evidence: `it opens with ${opening[0]}`, start, end: start + opening[0].length };
}

/** The starts of the lines up to and including the one holding `offset`, the last two at most. */
function lineStarts(text: string, offset: number): number[] {
  const here = text.lastIndexOf('\n', offset - 1) + 1;
  if (here === 0) return [0];
  return [text.lastIndexOf('\n', here - 2) + 1, here];
}

function lineAt(text: string, start: number): string {
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end).replace(/\r$/, '');
}

/**
 * YAML evidence on the line starting at `start`: a tag, a document marker, or (in a file without
 * `braces`) a top-level key whose value is the indented block below it. YAML's own tags (`!!str`)
 * and tags with a path (`!ruby/object`) tell on their own; a local tag (`force_backward: !x1`) may be
 * a slip of the keyboard, so it tells only beside blocks by indentation, and never in a file of `{ }`.
 */
function yamlAt(
  text: string,
  start: number,
  braces: boolean,
): { format: ForeignFormat; strong: boolean } | undefined {
  const line = lineAt(text, start);
  const tagged = TAGGED.exec(line);
  const yamlTag = tagged !== null && /^!!|\//.test(tagged[1]);
  if (tagged && (yamlTag || !braces)) {
    const tag = tagged[1];
    const at = start + tagged[0].length - tag.length;
    return {
      format: { format: 'YAML', evidence: `the YAML tag ${tag}`, start: at, end: at + tag.length },
      strong: yamlTag,
    };
  }
  if (/^---(\s|$)/.test(line)) {
    const format: ForeignFormat = {
      format: 'YAML',
      evidence: 'the YAML document marker ---',
      start,
      end: start + 3,
    };
    return { format, strong: true };
  }
  const opens = braces ? null : OPENS_BLOCK.exec(line);
  if (!opens || !opensBlock(text, start + line.length)) return undefined;
  const key = opens[1];
  const format: ForeignFormat = {
    format: 'YAML',
    evidence: `"${key}:" opens a block by indentation; text format writes ${key} { ... }`,
    start,
    end: start + line.indexOf(':') + 1,
  };
  return { format, strong: false };
}

/** Whether the next line with content after `from` (a line's end) is an indented key or list item. */
function opensBlock(text: string, from: number): boolean {
  const next = nextContentLine(text, from);
  return next !== undefined && indentOf(next) > 0 && (KEY.test(next) || LIST_ITEM.test(next));
}

/** How many top-level keys of the text open a block by indentation (counting stops at two). */
function blocksByIndentation(text: string): number {
  let count = 0;
  const key = new RegExp(OPENS_BLOCK.source, 'gm');
  for (let m = key.exec(text); m !== null && count < 2; m = key.exec(text)) {
    const end = m.index + m[0].length;
    if (opensBlock(text, end)) count++;
  }
  return count;
}

/** The next line after `from` (the end of a line) that is neither blank nor only a comment. */
function nextContentLine(text: string, from: number): string | undefined {
  let at = from;
  while (at < text.length) {
    const start = at + 1;
    const line = lineAt(text, start);
    if (line.trim() !== '' && !line.trimStart().startsWith('#')) return line;
    const end = text.indexOf('\n', start);
    if (end < 0) return undefined;
    at = end;
  }
  return undefined;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}
