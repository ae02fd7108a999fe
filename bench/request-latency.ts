// Completion and hover latency as the server answers them: the document version is already analysed
// (its diagnostics were published), then provideCompletion / provideHover run at cursor positions
// spread evenly over the file. The analysis of a new version is the keystroke figure's business.

import { performance } from 'node:perf_hooks';
import type { CompletionParams, HoverParams } from 'vscode-languageserver';
import { DocumentStore, type DocumentSnapshot } from '../server/src/documents';
import { provideCompletion } from '../server/src/features/completion/completion';
import { provideHover } from '../server/src/features/hover/hover';
import { Analyses } from '../server/src/workspace/analyses';

export interface RequestLatencies {
  /** Milliseconds per completion request. */
  completion: number[];
  /** Milliseconds per hover request. */
  hover: number[];
  /** How many completions had items and how many hovers had contents: the timings are of real work. */
  answered: { completion: number; hover: number };
}

/** Times `samples` completions and `samples` hovers on `text`, with a client that takes snippets and markdown. */
export function requestLatencies(text: string, samples: number): RequestLatencies {
  const documents = new DocumentStore();
  const analyses = new Analyses(documents);
  analyses.client = { snippets: true, markdown: true, labelDetails: true };
  const uri = 'file:///bench/requests.prototxt';
  const doc = documents.open(uri, 'prototxt', 1, text);
  analyses.analyzedDoc(doc);
  const textDocument = { uri };
  const answered = { completion: 0, hover: 0 };

  const completion = spread(completionOffsets(text), samples).map((offset) => {
    const params: CompletionParams = { textDocument, position: doc.lines.positionAt(offset) };
    const t0 = performance.now();
    const list = provideCompletion(current(analyses, doc), params);
    const ms = performance.now() - t0;
    if (list.items.length > 0) answered.completion++;
    return ms;
  });
  const hover = spread(hoverOffsets(text), samples).map((offset) => {
    const params: HoverParams = { textDocument, position: doc.lines.positionAt(offset) };
    const t0 = performance.now();
    const found = provideHover(current(analyses, doc), params);
    const ms = performance.now() - t0;
    if (found) answered.hover++;
    return ms;
  });
  return { completion, hover, answered };
}

/** The request's look-up of the analysed version, as the server does it (a cache hit). */
function current(analyses: Analyses, doc: DocumentSnapshot) {
  return analyses.analyzedDoc(doc);
}

/**
 * Where a user asks for completion: two letters into a field name (field names of the block), right
 * after the opening quote of a bottom/top (blob names) and of a type (layer types), and after `: `
 * of other fields (enum values, booleans).
 */
function completionOffsets(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(/^[ \t]*([a-z_]\w*)[ \t]*(:|\{)[ \t]*("?)/gm)) {
    const nameStart = m.index + m[0].indexOf(m[1]);
    out.push(nameStart + Math.min(2, m[1].length));
    if (m[2] === ':') out.push(m.index + m[0].length);
  }
  return out.sort((a, b) => a - b);
}

/** What a user hovers: field names, and string values (layer types, blob and layer names). */
function hoverOffsets(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(/^[ \t]*([a-z_]\w*)[ \t]*:?[ \t]*("[^"\n]+")?/gm)) {
    const nameStart = m.index + m[0].indexOf(m[1]);
    out.push(nameStart + Math.floor(m[1].length / 2));
    if (m[2]) out.push(m.index + m[0].length - Math.ceil(m[2].length / 2));
  }
  return out.sort((a, b) => a - b);
}

/** `count` items spread evenly over `all` (all of them when there are fewer). */
function spread(all: readonly number[], count: number): number[] {
  if (all.length <= count) return [...all];
  return Array.from({ length: count }, (_, i) => all[Math.floor((i * all.length) / count)]);
}
