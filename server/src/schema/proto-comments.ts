// Doc comments of a .proto file: the comment lines right above a definition (leading) and the
// comment after it on the same line (trailing), as protobuf itself attaches them.

import type { IToken } from 'chevrotain';

export class ProtoComments {
  /** Comments alone on their line(s), by the line they end on (1-based, as Chevrotain counts). */
  private readonly standaloneByEndLine = new Map<number, IToken>();
  /** Comments that follow code on the same line, by their start line. */
  private readonly trailingByLine = new Map<number, IToken[]>();

  constructor(codeTokens: readonly IToken[], comments: readonly IToken[]) {
    const firstCodeOffsetByLine = new Map<number, number>();
    for (const t of codeTokens) {
      const line = t.startLine ?? 0;
      if (!firstCodeOffsetByLine.has(line)) firstCodeOffsetByLine.set(line, t.startOffset);
    }
    for (const c of comments) {
      const line = c.startLine ?? 0;
      const firstCode = firstCodeOffsetByLine.get(line);
      if (firstCode !== undefined && firstCode < c.startOffset) {
        const list = this.trailingByLine.get(line) ?? [];
        list.push(c);
        this.trailingByLine.set(line, list);
      } else {
        this.standaloneByEndLine.set(c.endLine ?? line, c);
      }
    }
  }

  /**
   * The doc of a definition that starts at `start` and whose trailing comment may follow `end`
   * on the same line (the `;` of a field, the `{` of a message).
   */
  docFor(start: IToken, end: IToken | undefined): string | undefined {
    const parts: string[] = [];
    const leading: string[] = [];
    let line = (start.startLine ?? 0) - 1;
    for (let c = this.standaloneByEndLine.get(line); c; c = this.standaloneByEndLine.get(line)) {
      leading.unshift(commentText(c));
      line = (c.startLine ?? line) - 1;
    }
    if (leading.length > 0) parts.push(leading.join('\n'));
    if (end && !end.isInsertedInRecovery) {
      const endLine = end.endLine ?? end.startLine ?? 0;
      const trailing = (this.trailingByLine.get(endLine) ?? []).filter(
        (c) => c.startOffset > end.startOffset,
      );
      if (trailing.length > 0) parts.push(trailing.map(commentText).join('\n'));
    }
    const doc = parts.join('\n').trim();
    return doc === '' ? undefined : doc;
  }
}

/** The text of a comment without its markers and the usual leading space or ` * `. */
export function commentText(comment: IToken): string {
  const image = comment.image;
  if (image.startsWith('//')) return image.slice(2).replace(/^ /, '').trimEnd();
  const body = image.slice(2, image.length - 2);
  return body
    .split(/\r?\n|\r/)
    .map((l) => l.replace(/^\s*\*? ?/, '').trimEnd())
    .join('\n')
    .trim();
}
