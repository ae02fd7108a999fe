// The layout tree the formatter prints and the net upgrade rewrites: fields with their values as
// written, and every comment attached to the field it belongs to (own-line comments before it,
// a trailing comment after its value or after its `{` / `}`), plus where blank lines were.
//
//   layoutTree(text, ast) -> LayoutDocument (every comment of the document is attached somewhere)

import { pushAll } from '../../../../common/arrays';
import type { Comment, DocumentNode, FieldNode, MessageNode, ValueNode } from '../../parser/ast';

/** An own-line comment; `blankBefore` when a blank line separated it from what came before. */
export interface LayoutComment {
  text: string;
  blankBefore: boolean;
}

export interface LayoutField {
  name: string;
  value: LayoutValue;
  /** Own-line comments written before the field. */
  leading: LayoutComment[];
  /** The comment after the value on the same line (after `}` for a block). */
  trailing?: string;
  blankBefore: boolean;
}

export type LayoutValue = LayoutScalar | LayoutMessage | LayoutList;

/** A scalar as written: a number's or identifier's text, a string's literals with their quotes. */
export interface LayoutScalar {
  kind: 'scalar';
  text: string;
}

export interface LayoutMessage {
  kind: 'message';
  fields: LayoutField[];
  /** The comment on the line of the `{`, after it. */
  openTrailing?: string;
  /** Own-line comments after the last field, before the `}`. */
  closing: LayoutComment[];
  /** Written on one line in the source (the printer may keep it so). */
  oneLine: boolean;
}

export interface LayoutList {
  kind: 'list';
  items: (LayoutScalar | LayoutMessage)[];
}

export interface LayoutDocument {
  fields: LayoutField[];
  /** Own-line comments after the last field. */
  closing: LayoutComment[];
}

/** A new field with no comments, for rewrites. */
export function layoutField(name: string, value: LayoutValue): LayoutField {
  return { name, value, leading: [], blankBefore: false };
}

export function scalar(text: string): LayoutScalar {
  return { kind: 'scalar', text };
}

export function block(fields: LayoutField[]): LayoutMessage {
  return { kind: 'message', fields, closing: [], oneLine: false };
}

/** Builds the layout tree of a document that parsed without errors. */
export function layoutTree(text: string, ast: DocumentNode): LayoutDocument {
  return new TreeBuilder(text, ast.comments).document(ast);
}

/**
 * The layout of the top-level fields `first..last` alone, the same as those fields of `layoutTree`
 * except the first one's leading comments and blank line (which lie before it): range formatting
 * lays out what it prints rather than the whole document.
 */
export function layoutTopFields(text: string, ast: DocumentNode, first: number, last: number): LayoutField[] {
  const start = ast.fields[first].start;
  // Where the walk of the whole tree would stand: past every comment before the field, at the end
  // of whatever was read last.
  let next = 0;
  let hi = ast.comments.length;
  while (next < hi) {
    const mid = (next + hi) >> 1;
    if (ast.comments[mid].start < start) next = mid + 1;
    else hi = mid;
  }
  const previous = ast.fields[first - 1];
  const lastEnd = Math.max(previous ? previous.end : 0, next > 0 ? ast.comments[next - 1].end : 0);
  const builder = new TreeBuilder(text, ast.comments, next, lastEnd);
  return ast.fields.slice(first, last + 1).map((f) => builder.topField(f));
}

/** Walks the tree in source order, consuming the (sorted) comments as it passes them. */
class TreeBuilder {
  constructor(
    private readonly text: string,
    private readonly comments: readonly Comment[],
    /** The next comment to attach. */
    private next = 0,
    /** The end of what was read last. */
    private lastEnd = 0,
  ) {}

  topField(node: FieldNode): LayoutField {
    return this.field(node);
  }

  document(ast: DocumentNode): LayoutDocument {
    const fields = ast.fields.map((f) => this.field(f));
    return { fields, closing: this.ownLine(Infinity) };
  }

  private field(node: FieldNode): LayoutField {
    const leading = this.ownLine(node.start);
    const blankBefore = hasBlankLine(this.text, this.lastEnd, node.start);
    const value = node.value;
    let layout: LayoutValue;
    if (value?.kind === 'message') {
      // Comments between the name and the `{` go before the field.
      pushAll(leading, this.ownLine(value.start));
      layout = this.message(value);
    } else {
      pushAll(leading, this.ownLine(node.end));
      layout = value?.kind === 'list' ? this.list(value, node.end) : scalar(this.scalarText(value));
      this.lastEnd = Math.max(this.lastEnd, node.end);
    }
    const trailing = this.trailing();
    return { name: node.name, value: layout, leading, blankBefore, ...(trailing ? { trailing } : {}) };
  }

  private message(node: MessageNode): LayoutMessage {
    const close = node.close ?? node.end;
    this.lastEnd = node.start + 1;
    const openTrailing = this.trailing();
    const fields = node.fields.map((f) => this.field(f));
    const closing = this.ownLine(close);
    this.lastEnd = Math.max(this.lastEnd, node.end);
    const oneLine = !/[\r\n]/.test(this.text.slice(node.start, node.end));
    return { kind: 'message', fields, closing, oneLine, ...(openTrailing ? { openTrailing } : {}) };
  }

  private list(node: Extract<ValueNode, { kind: 'list' }>, end: number): LayoutList {
    const items = node.items.map((item) =>
      item.kind === 'message' ? this.message(item) : scalar(this.scalarText(item)),
    );
    // Comments inside a list of scalars cannot stay inside it: they go after the field.
    this.lastEnd = Math.max(this.lastEnd, end);
    return { kind: 'list', items };
  }

  private scalarText(value: ValueNode | undefined): string {
    if (value === undefined) return '';
    if (value.kind === 'string') return value.pieces.map((p) => this.text.slice(p.start, p.end)).join(' ');
    return this.text.slice(value.start, value.end);
  }

  /** The comments that start before `limit`, as own-line comments. */
  private ownLine(limit: number): LayoutComment[] {
    const out: LayoutComment[] = [];
    while (this.next < this.comments.length && this.comments[this.next].start < limit) {
      const c = this.comments[this.next++];
      out.push({ text: c.text, blankBefore: hasBlankLine(this.text, this.lastEnd, c.start) });
      this.lastEnd = Math.max(this.lastEnd, c.end);
    }
    return out;
  }

  /** The next comment when only blanks and separators stand between it and the last token on its line. */
  private trailing(): string | undefined {
    const c = this.comments[this.next];
    if (!c || c.start < this.lastEnd) return undefined;
    if (!/^[ \t\f\v;,]*$/.test(this.text.slice(this.lastEnd, c.start))) return undefined;
    this.next++;
    this.lastEnd = c.end;
    return c.text;
  }
}

/** Whether [from, to) holds an empty line (two line breaks with only blanks between them). */
function hasBlankLine(text: string, from: number, to: number): boolean {
  let breaks = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      breaks++;
    } else if (c === 10 /* \n */) {
      breaks++;
    } else if (c !== 32 && c !== 9 && c !== 59 /* ; */ && c !== 44 /* , */) {
      breaks = 0;
    }
    if (breaks >= 2) return true;
  }
  return false;
}
