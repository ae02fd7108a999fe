// The quick fix of `no-gradient` (a layer that learns but that no loss depends on): the layer frozen
// as Freeze freezes one (its learnable blobs get lr_mult: 0 and decay_mult: 0, the values it had
// written down for Unfreeze), for a layer meant to stay as initialized.

import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import type { AnalysisDiagnostic } from '../../analysis/diagnostic';
import { netsOf } from '../../analysis/model/embedded-nets';
import { planFreezeLayer } from '../../training/freeze';
import type { AnalyzedDocument } from '../context';
import { freezeInput } from './freeze';
import { layerAt } from './param-specs';

export function freezeUnlearned(
  input: AnalyzedDocument,
  d: AnalysisDiagnostic,
  lsp: Diagnostic,
): CodeAction | undefined {
  const layer = layerAt(input, d.start);
  const net = layer && netsOf(input.analysis).find((n) => n.layers[layer.index] === layer);
  if (layer === undefined || net === undefined) return undefined;
  const outcome = planFreezeLayer(freezeInput(input, net), layer);
  if (outcome === undefined || 'refused' in outcome) return undefined;
  const { doc } = input;
  return {
    title: `Freeze ${layer.name || layer.type} (lr_mult: 0 and decay_mult: 0)`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [lsp],
    edit: {
      changes: {
        [doc.uri]: outcome.edits.map((e) => ({
          range: doc.lines.rangeOf(e.start, e.end),
          newText: e.newText,
        })),
      },
    },
  };
}
