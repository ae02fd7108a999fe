// Builds the input of an editor feature from a text, for tests that call features directly.

import { DocumentStore } from '../../server/src/documents';
import type { AnalyzedDocument } from '../../server/src/features/context';
import { DEFAULT_SETTINGS, type Settings } from '../../server/src/settings';
import { Analyses, type ClientAbilities } from '../../server/src/workspace/analyses';
import type { LearnedTopsSource } from '../../server/src/workspace/document-shapes';

export const FULL_CLIENT: ClientAbilities = { snippets: true, markdown: true, labelDetails: true };

export interface FeatureInputOptions {
  uri?: string;
  settings?: Partial<Settings>;
  client?: ClientAbilities;
  /** Workspace roots (for schema discovery); none by default, so the bundled schema is used. */
  roots?: string[];
  /** Python layer tops learned for documents (a PythonShapeStore). */
  learned?: LearnedTopsSource;
}

/** Analyses `text` the way the server does (bundled BVLC schema unless settings/roots say otherwise). */
export function featureInputFor(text: string, options: FeatureInputOptions = {}): AnalyzedDocument {
  const documents = new DocumentStore();
  const analyses = new Analyses(documents, options.learned);
  analyses.client = options.client ?? FULL_CLIENT;
  analyses.configure({ ...DEFAULT_SETTINGS, ...options.settings }, options.roots ?? []);
  const uri = options.uri ?? 'file:///work/test/net.prototxt';
  const doc = documents.open(uri, 'prototxt', 1, text);
  return analyses.analyzedDoc(doc);
}

/** Splits a text with one `<|>` cursor marker into the text without it and the marker's offset. */
export function withCursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('<|>');
  if (offset < 0 || marked.indexOf('<|>', offset + 1) >= 0)
    throw new Error('expected exactly one <|> marker');
  return { text: marked.slice(0, offset) + marked.slice(offset + 3), offset };
}

/** The input and the LSP position of the cursor in a marked text. */
export function featureInputAt(marked: string, options: FeatureInputOptions = {}) {
  const { text, offset } = withCursor(marked);
  const input = featureInputFor(text, options);
  return { input, offset, position: input.doc.lines.positionAt(offset) };
}
