// The quick fix of `backward-refused` (an input a layer cannot pass a gradient to, which Caffe would
// ask it to): `propagate_down: false` for every input of the layer that refuses one, `true` for the
// others, written after its last `bottom:`; or, when the layer already has its `propagate_down`
// values, those of the refused inputs turned to false.

import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import type { AnalysisDiagnostic } from '../../analysis/diagnostic';
import type { NetLayer } from '../../analysis/model/net';
import { refusedBottoms } from '../../analysis/shapes/backward';
import { lineBreakOf } from '../../analysis/transforms/format';
import type { Span } from '../../parser/ast';
import { indentAt, insertAfter, type Edit } from '../../training/text-edits';
import type { AnalyzedDocument } from '../context';
import { layerAt } from './param-specs';

export function stopGradient(
  input: AnalyzedDocument,
  d: AnalysisDiagnostic,
  lsp: Diagnostic,
): CodeAction | undefined {
  const layer = layerAt(input, d.start);
  if (layer === undefined || layer.format !== 'v2' || layer.bottoms.length === 0) return undefined;
  const refused = new Set(refusedBottoms(layer.type, layer.bottoms.length));
  if (refused.size === 0) return undefined;
  const { doc } = input;
  const edits = writtenValues(layer) ?? [];
  let changes: Edit[];
  if (edits.length === layer.bottoms.length) {
    changes = edits
      .filter((_, i) => refused.has(i))
      .map((span) => ({ start: span.start, end: span.end, newText: 'false' }));
  } else if (edits.length === 0) {
    const last = layer.bottoms[layer.bottoms.length - 1].span;
    const lines = layer.bottoms.map((_, i) => `propagate_down: ${refused.has(i) ? 'false' : 'true'}`);
    changes = [insertAfter(doc.text, last.end, lines, indentAt(doc.text, last.start), lineBreakOf(doc.text))];
  } else return undefined;
  if (changes.length === 0) return undefined;
  const names = [...refused].map((i) => `"${layer.bottoms[i].name}"`).join(' and ');
  return {
    title: `Pass no gradient to ${names} (propagate_down: false)`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [lsp],
    isPreferred: true,
    edit: {
      changes: {
        [doc.uri]: changes.map((e) => ({ range: doc.lines.rangeOf(e.start, e.end), newText: e.newText })),
      },
    },
  };
}

/** The spans of the layer's `propagate_down` values in order (a list's items one by one). */
function writtenValues(layer: NetLayer): Span[] | undefined {
  const out: Span[] = [];
  for (const f of layer.perBlobFields) {
    if (f.name !== 'propagate_down') continue;
    if (f.value?.kind === 'list') for (const item of f.value.items) out.push(item);
    else if (f.value) out.push(f.value);
    else return undefined;
  }
  return out;
}
