// The quick fix of `param-count` (more `param { }` blocks than the layer has parameter blobs): removes
// the blocks from the first one without a blob to the layer's last, keeping the layout around them.

import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import type { AnalysisDiagnostic } from '../../analysis/diagnostic';
import type { NetLayer } from '../../analysis/model/net';
import { mergeEdits, removeItem, type Edit } from '../../training/text-edits';
import type { AnalyzedDocument } from '../context';
import { netsOf } from '../../analysis/model/embedded-nets';

export function removeExtraSpecs(
  input: AnalyzedDocument,
  d: AnalysisDiagnostic,
  lsp: Diagnostic,
): CodeAction | undefined {
  const layer = v2LayerAt(input, d.start);
  if (layer === undefined) return undefined;
  const extra = layer.paramSpecs.filter((s) => s.span.start >= d.start);
  if (extra.length === 0) return undefined;
  const { doc } = input;
  // Blocks with nothing but spaces between them go as one item (`param {..} param {..}` on one line).
  const runs: { start: number; end: number }[] = [];
  for (const { span } of extra) {
    const last = runs[runs.length - 1];
    if (last && /^\s*$/.test(doc.text.slice(last.end, span.start))) last.end = span.end;
    else runs.push({ start: span.start, end: span.end });
  }
  let edits;
  try {
    edits = mergeEdits(runs.map((r) => removeItem(doc.text, r.start, r.end)));
  } catch {
    // Blocks laid out so that their removals would overlap: no fix rather than a broken one.
    return undefined;
  }
  const title =
    extra.length === 1
      ? 'Remove the param { } block that has no blob'
      : `Remove the ${extra.length} param { } blocks that have no blob`;
  return preferredQuickFix(input, title, lsp, edits);
}

/** The preferred quick fix of `lsp`: `edits`, at offsets of the document's text. */
export function preferredQuickFix(
  input: AnalyzedDocument,
  title: string,
  lsp: Diagnostic,
  edits: readonly Edit[],
): CodeAction {
  const { doc } = input;
  return {
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [lsp],
    isPreferred: true,
    edit: {
      changes: {
        [doc.uri]: edits.map((e) => ({ range: doc.lines.rangeOf(e.start, e.end), newText: e.newText })),
      },
    },
  };
}

/** The `layer { }` (not a V1 or V0 one) whose text holds `offset`. */
export function v2LayerAt(input: AnalyzedDocument, offset: number): NetLayer | undefined {
  const layer = layerAt(input, offset);
  return layer?.format === 'v2' ? layer : undefined;
}

/** The layer (of the net, or of a net the solver holds) whose text holds `offset`. */
export function layerAt(input: AnalyzedDocument, offset: number): NetLayer | undefined {
  for (const net of netsOf(input.analysis))
    for (const layer of net.layers) if (layer.node.start <= offset && offset < layer.node.end) return layer;
  return undefined;
}
