// Open documents: uri + version -> text, parsed lazily. Owned by the instance made in server.ts.

import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { fileURLToPath } from 'node:url';
import { parse } from './parser/parse';
import type { DocumentNode } from './parser/ast';
import { LineIndex } from './util/ranges';

/** One version of one document. Immutable; the tree and line index are computed on first use. */
export class ProtoDocument {
  private parsed?: DocumentNode;
  private lineIndex?: LineIndex;

  constructor(
    readonly uri: string,
    readonly version: number,
    readonly languageId: string,
    readonly text: string,
  ) {}

  get ast(): DocumentNode {
    return (this.parsed ??= parse(this.text));
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
  private readonly current = new Map<string, ProtoDocument>();

  open(uri: string, languageId: string, version: number, text: string): ProtoDocument {
    const doc = TextDocument.create(uri, languageId, version, text);
    this.texts.set(uri, doc);
    return this.snapshot(doc);
  }

  /** Applies incremental or full changes; returns undefined for a document that is not open. */
  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): ProtoDocument | undefined {
    const doc = this.texts.get(uri);
    if (!doc) return undefined;
    const updated = TextDocument.update(doc, changes, version);
    this.texts.set(uri, updated);
    return this.snapshot(updated);
  }

  close(uri: string): void {
    this.texts.delete(uri);
    this.current.delete(uri);
  }

  get(uri: string): ProtoDocument | undefined {
    const doc = this.texts.get(uri);
    if (!doc) return undefined;
    const known = this.current.get(uri);
    return known && known.version === doc.version ? known : this.snapshot(doc);
  }

  all(): ProtoDocument[] {
    return [...this.texts.keys()]
      .map((uri) => this.get(uri))
      .filter((d): d is ProtoDocument => d !== undefined);
  }

  private snapshot(doc: TextDocument): ProtoDocument {
    const snap = new ProtoDocument(doc.uri, doc.version, doc.languageId, doc.getText());
    this.current.set(doc.uri, snap);
    return snap;
  }
}
