// The syntax tree of a protobuf text-format document (a prototxt).
// Every node carries source offsets: `start` inclusive, `end` exclusive, counted in UTF-16 code
// units of the document text (the same units as JavaScript string indices and LSP positions).

export interface Span {
  start: number;
  end: number;
}

/** A `#` comment, from the `#` to the end of its line (newline excluded). */
export interface Comment extends Span {
  text: string;
}

export interface SyntaxProblem extends Span {
  message: string;
  /** Other places that explain the problem, e.g. the `{` that an unclosed block opened with. */
  related?: { start: number; end: number; message: string }[];
  /** Set on the one problem that says how many more were left out: that count. */
  omitted?: number;
  /** Replacements for [start, end) a quick fix offers. */
  suggestions?: string[];
}

/** A whole document: the fields of the top-level message. */
export interface DocumentNode extends Span {
  kind: 'document';
  fields: FieldNode[];
  comments: Comment[];
  errors: SyntaxProblem[];
}

/** `name: value`, `name { ... }`, `name: { ... }`, `name < ... >` or `name: [a, b]`. */
export interface FieldNode extends Span {
  kind: 'field';
  name: string;
  nameSpan: Span;
  /** Offset of the `:` after the name, when one was written. */
  colon?: number;
  /** Absent when the value is missing (a syntax error was reported). */
  value?: ValueNode;
}

export type ValueNode = ScalarNode | MessageNode | ListNode;
export type ScalarNode = StringNode | NumberNode | IdentifierNode;

/** `{ fields }` or `< fields >`. `close` is absent when the block is not closed. */
export interface MessageNode extends Span {
  kind: 'message';
  open: '{' | '<';
  fields: FieldNode[];
  close?: number;
}

/** `[a, b, c]`: scalars or messages. */
export interface ListNode extends Span {
  kind: 'list';
  items: (ScalarNode | MessageNode)[];
}

/**
 * One string value: one or more adjacent literals ("a" 'b'), decoded.
 * `offsets` maps decoded characters back to the source: `offsets[i]` is the source offset of the
 * escape or character that produced `value[i]`; `offsets[value.length]` is the offset just after
 * the last decoded character (the closing quote of the last literal).
 */
export interface StringNode extends Span {
  kind: 'string';
  value: string;
  offsets: Uint32Array;
  /** The literals that make up the value, quotes included. */
  pieces: Span[];
}

/**
 * A number as written, with an optional leading `-`: decimal, hex (`0x1F`), octal (`017`),
 * float (`1e-4`, `.5`, `2.`, `1f`).
 */
export interface NumberNode extends Span {
  kind: 'number';
  text: string;
  /** The numeric value (lossy above 2^53 for integers). */
  value: number;
  /** Exact value when the literal is an integer (decimal, hex or octal) without `.`/exponent/`f`. */
  integer?: bigint;
}

/**
 * A bare identifier: enum names, booleans (`true`, `False`, `t`, `f`), `inf`, `nan`;
 * `negative` when written with a leading `-` (e.g. `-inf`).
 */
export interface IdentifierNode extends Span {
  kind: 'identifier';
  name: string;
  negative: boolean;
}
