// Open documents: uri + version -> text, parsed lazily. Owned by the instance made in server.ts.

import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { fileURLToPath } from 'node:url';
import { parse, parseAfterEdit } from './parser/parse';
import type { DocumentNode } from './parser/ast';
import { LineIndex } from './util/ranges';

/** One version of one document. Immutable; the tree and line index are computed on first use. */
export class DocumentSnapshot {
  private parsed?: DocumentNode;
  private lineIndex?: LineIndex;
  /** The previous version's text and tree, to re-parse only what an edit touched (dropped once used). */
  private before?: { text: string; ast: DocumentNode };

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
    // Only a tree already made is kept (never a chain of unparsed versions).
    else if (before?.parsed) this.before = { text: before.text, ast: before.parsed };
  }

  get ast(): DocumentNode {
    if (this.parsed === undefined) {
      this.parsed = this.before ? parseAfterEdit(this.before, this.text) : parse(this.text);
      this.before = undefined;
    }
    return this.parsed;
  }

  get lines(): LineIndex {
    return (this.lineIndex ??= new LineIndex(this.text));
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
