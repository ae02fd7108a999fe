// Re-parsing after an edit: when the text changed only inside one block (the usual keystroke inside
// a `layer { }`), only that block is lexed and parsed again; the fields before it are reused as they
// are, those after it are copied with their offsets moved, and so are the blocks that hold it.
// Anything else — an edit between or across top-level fields, a previous tree with problems, a block
// that no longer parses cleanly on its own — gives undefined and the caller parses the whole text,
// so the result is always exactly what `parse` gives for the new text.

import type { Lexer } from 'chevrotain';
import type { Comment, DocumentNode, FieldNode, MessageNode, ScalarNode, ValueNode } from './ast';
import { isFormatTemplate } from './format-template';
import type { TextFormatParser } from './grammar';
import { limitNesting } from './nesting';
import { ParsedField, shiftedScalar, StringValueNode } from './nodes';
import { changedRegion, type ChangedRegion } from '../util/text-change';

/**
 * The tree of `text`, built from the tree of `previous` (a clean parse), or undefined. `region` is
 * what the edit changed, when the caller knows it already.
 */
export function reparseEdited(
  previous: { text: string; ast: DocumentNode },
  text: string,
  lexer: Lexer,
  parser: TextFormatParser,
  region: ChangedRegion | undefined = changedRegion(previous.text, text),
): DocumentNode | undefined {
  const ast = previous.ast;
  if (ast.errors.length > 0) return undefined;
  // A str.format template is read with its braces changed: either text being one, the previous tree's
  // blocks are not this text's.
  if (isFormatTemplate(text) || isFormatTemplate(previous.text)) return undefined;
  if (region === undefined) return ast;
  // The changed region: [from, oldTo) of the old text became [from, newTo) of the new one.
  const { from, oldEnd: oldTo } = region;
  const delta = text.length - previous.text.length;

  // The innermost block that holds the change, its name and closing bracket untouched (a layer,
  // also inside a solver's net_param), found through the blocks that hold it.
  const path: number[] = [];
  let siblings: readonly FieldNode[] = ast.fields;
  for (;;) {
    const index = fieldHolding(siblings, from, oldTo);
    if (index < 0) break;
    path.push(index);
    siblings = (siblings[index].value as MessageNode).fields;
  }
  if (path.length === 0) return undefined;
  const field = fieldAt(ast.fields, path);
  const start = field.start;
  const end = field.end + delta;
  // The block is lexed from a string of its own: the nodes made now outlive this version (the next
  // edit elsewhere reuses them), and a slice of the whole text would keep every version's text alive.
  const block = ownCopy(text.slice(start, end));
  // A NUL in a string or comment is a problem only a whole parse reports (parse.ts).
  if (block.includes('\0')) return undefined;
  const lexed = lexer.tokenize(block);
  if (lexed.errors.length > 0 || (lexed.groups.garbage?.length ?? 0) > 0) return undefined;
  for (const token of lexed.tokens) token.startOffset += start;
  const problems: never[] = [];
  const tokens = limitNesting(lexed.tokens, problems);
  if (problems.length > 0) return undefined;
  const parsed = parser.run(text, tokens);
  if (parser.problems.length > 0 || parser.unclosed.length > 0) return undefined;
  if (parsed.length !== 1 || parsed[0].end !== end || !isClosedBlock(parsed[0])) return undefined;

  const fields = rebuild(ast.fields, path, 0, parsed[0], delta);
  const comments: Comment[] = [];
  for (const c of ast.comments) if (c.end <= start) comments.push(c);
  for (const token of lexed.groups.comments ?? []) {
    const at = token.startOffset + start;
    comments.push({ start: at, end: at + token.image.length, text: token.image });
  }
  for (const c of ast.comments) {
    if (c.start >= field.end) comments.push({ start: c.start + delta, end: c.end + delta, text: c.text });
  }
  return { kind: 'document', fields, comments, errors: [], start: 0, end: text.length };
}

/**
 * `piece` in a string of its own: V8 keeps a slice of 13 or more characters as a view of the string it
 * was cut from, and a string built by concatenation is copied when it is sliced.
 */
export function ownCopy(piece: string): string {
  return (' ' + piece).slice(1);
}

function fieldAt(fields: readonly FieldNode[], path: readonly number[]): FieldNode {
  let field = fields[path[0]];
  for (let level = 1; level < path.length; level++) field = (field.value as MessageNode).fields[path[level]];
  return field;
}

/**
 * `fields` with the field at `path` replaced: fields before it are kept, those after it moved by
 * `delta`, and the blocks on the way down copied with their ends moved.
 */
function rebuild(
  fields: readonly FieldNode[],
  path: readonly number[],
  level: number,
  replacement: FieldNode,
  delta: number,
): FieldNode[] {
  const index = path[level];
  const out = fields.slice(0, index);
  if (level === path.length - 1) out.push(replacement);
  else {
    const f = fields[index];
    const m = f.value as MessageNode;
    const inner = rebuild(m.fields, path, level + 1, replacement, delta);
    const value: MessageNode = {
      kind: 'message',
      open: m.open,
      fields: inner,
      start: m.start,
      end: m.end + delta,
      close: (m.close as number) + delta,
    };
    out.push(new ParsedField(f.name, f.start, f.colon, value));
  }
  for (let i = index + 1; i < fields.length; i++) out.push(shiftField(fields[i], delta));
  return out;
}

/** The index of the block among `fields` whose inside holds [from, to), or -1. */
function fieldHolding(fields: readonly FieldNode[], from: number, to: number): number {
  let lo = 0;
  let hi = fields.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const f = fields[mid];
    if (f.end <= from) lo = mid + 1;
    else if (f.start > from) hi = mid - 1;
    else {
      // Strictly after the name's first character, strictly before the closing bracket.
      return isClosedBlock(f) && f.start < from && to < f.end ? mid : -1;
    }
  }
  return -1;
}

function isClosedBlock(f: FieldNode): boolean {
  return f.value?.kind === 'message' && f.value.close !== undefined && f.value.end === f.end;
}

function shiftField(f: FieldNode, d: number): FieldNode {
  const value = f.value === undefined ? undefined : shiftValue(f.value, d);
  const colon = f.colon === undefined ? undefined : f.colon + d;
  return new ParsedField(f.name, f.start + d, colon, value);
}

function shiftValue(v: ValueNode, d: number): ValueNode {
  if (v.kind === 'message') return shiftMessage(v, d);
  if (v.kind === 'list') {
    const items = new Array<ScalarNode | MessageNode>(v.items.length);
    for (let i = 0; i < items.length; i++) {
      const item = v.items[i];
      items[i] = item.kind === 'message' ? shiftMessage(item, d) : shiftScalar(item, d);
    }
    return { kind: 'list', items, start: v.start + d, end: v.end + d };
  }
  return shiftScalar(v, d);
}

function shiftMessage(m: MessageNode, d: number): MessageNode {
  // Lists of exactly their length, like the parser's: one grown by push keeps spare room as long as
  // the tree lives, and the shifted half of a large net is made again at every keystroke.
  const fields = new Array<FieldNode>(m.fields.length);
  for (let i = 0; i < fields.length; i++) fields[i] = shiftField(m.fields[i], d);
  const start = m.start + d;
  const end = m.end + d;
  return m.close !== undefined
    ? { kind: 'message', open: m.open, fields, start, end, close: m.close + d }
    : { kind: 'message', open: m.open, fields, start, end };
}

function shiftScalar(v: ScalarNode, d: number): ScalarNode {
  if (v.kind === 'number' || v.kind === 'identifier') return shiftedScalar(v, d);
  if (v instanceof StringValueNode) return v.shifted(d);
  // Not made by this parser (no such trees reach here); copied field by field.
  const start = v.start + d;
  const end = v.end + d;
  const pieces = v.pieces.map((p) => ({ start: p.start + d, end: p.end + d }));
  return { ...v, pieces, start, end, offsets: v.offsets.map((o) => o + d) };
}
