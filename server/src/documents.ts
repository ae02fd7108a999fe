// Open documents: uri + version -> text, parsed lazily. Owned by the instance made in server.ts.

import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { fileURLToPath } from 'node:url';
import { parse, parseAfterEdit } from './parser/parse';
import type { DocumentNode } from './parser/ast';
import { LineIndex } from './util/ranges';
import { changedRegion, type ChangedRegion } from './util/text-change';

/** One version of one document. Immutable; the tree and line index are computed on first use. */
export class DocumentSnapshot {
  private parsed?: DocumentNode;
  private lineIndex?: LineIndex;
  /**
   * The previous version's text, and its tree and line index when they were made: an edit's tree
   * and line index are made from them (each dropped once used).
   */
  private before?: { text: string; ast?: DocumentNode; lines?: LineIndex };
  /** What changed since `before.text` (found on first use; null when nothing did). */
  private region?: ChangedRegion | null;

  constructor(
    readonly uri: string,
    readonly version: number,
    readonly languageId: string,
    readonly text: string,
    before?: DocumentSnapshot,
    /** The tree of `text`, when it was already parsed (it is not parsed again). */
    parsed?: DocumentNode,
  ) {
    if (parsed) this.parsed = parsed;
    // Only what was already made is kept (never a chain of versions): the previous version's tree
    // and line index, else what it was handed and did not use (a version never read in between).
    else if (before?.parsed || before?.lineIndex)
      this.before = { text: before.text, ast: before.parsed, lines: before.lineIndex };
    else if (before?.before) this.before = { ...before.before };
  }

  get ast(): DocumentNode {
    if (this.parsed === undefined) {
      const before = this.before;
      this.parsed = before?.ast
        ? parseAfterEdit({ text: before.text, ast: before.ast }, this.text, this.changed(before.text))
        : parse(this.text);
      this.drop('ast');
    }
    return this.parsed;
  }

  get lines(): LineIndex {
    if (this.lineIndex === undefined) {
      const before = this.before;
      const region = before?.lines && this.changed(before.text);
      this.lineIndex =
        before?.lines && region
          ? LineIndex.afterEdit(before.lines, this.text, region)
          : new LineIndex(this.text);
      this.drop('lines');
    }
    return this.lineIndex;
  }

  private changed(previous: string): ChangedRegion | undefined {
    if (this.region === undefined) this.region = changedRegion(previous, this.text) ?? null;
    return this.region ?? undefined;
  }

  private drop(made: 'ast' | 'lines'): void {
    const before = this.before;
    if (!before) return;
    before[made] = undefined;
    if (!before.ast && !before.lines) this.before = undefined;
  }

  /** The file system path for `file:` URIs. */
  get path(): string | undefined {
    return uriToPath(this.uri);
  }
}

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export class DocumentStore {
  private readonly texts = new Map<string, TextDocument>();
  private readonly current = new Map<string, DocumentSnapshot>();

  /** `parsed`: the tree of `text` when the caller already has it. */
  open(
    uri: string,
    languageId: string,
    version: number,
    text: string,
    parsed?: DocumentNode,
  ): DocumentSnapshot {
    const doc = TextDocument.create(uri, languageId, version, text);
    this.texts.set(uri, doc);
    return this.snapshot(doc, undefined, parsed);
  }

  /** Applies incremental or full changes; returns undefined for a document that is not open. */
  change(
    uri: string,
    version: number,
    changes: TextDocumentContentChangeEvent[],
  ): DocumentSnapshot | undefined {
    const doc = this.texts.get(uri);
    if (!doc) return undefined;
    const updated = TextDocument.update(doc, changes, version);
    this.texts.set(uri, updated);
    return this.snapshot(updated, this.current.get(uri));
  }

  close(uri: string): void {
    this.texts.delete(uri);
    this.current.delete(uri);
  }

  get(uri: string): DocumentSnapshot | undefined {
    const doc = this.texts.get(uri);
    if (!doc) return undefined;
    const known = this.current.get(uri);
    return known && known.version === doc.version ? known : this.snapshot(doc);
  }

  all(): DocumentSnapshot[] {
    return [...this.texts.keys()]
      .map((uri) => this.get(uri))
      .filter((d): d is DocumentSnapshot => d !== undefined);
  }

  private snapshot(doc: TextDocument, before?: DocumentSnapshot, parsed?: DocumentNode): DocumentSnapshot {
    const snap = new DocumentSnapshot(doc.uri, doc.version, doc.languageId, doc.getText(), before, parsed);
    this.current.set(doc.uri, snap);
    return snap;
  }
}
