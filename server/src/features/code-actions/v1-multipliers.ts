// The quick fix of a V1 layer's learning-rate and weight-decay multipliers written in a `layer { }`
// (`blobs_lr: 1 blobs_lr: 2 weight_decay: 1 weight_decay: 0`, an unknown field there): the i-th
// blobs_lr and weight_decay become the i-th `param { lr_mult decay_mult }` block, as Caffe's upgrade
// of a V1 layer maps them. Written where the first of them stood; offered only for a layer without
// `param { }` blocks of its own, whose multipliers are all numbers.

import type { CodeAction, Diagnostic } from 'vscode-languageserver';
import type { AnalysisDiagnostic } from '../../analysis/diagnostic';
import { lineBreakOf } from '../../analysis/transforms/format';
import type { FieldNode } from '../../parser/ast';
import { indentAt, mergeEdits, removeItem, startsLine } from '../../training/text-edits';
import type { AnalyzedDocument } from '../context';
import { preferredQuickFix, v2LayerAt } from './param-specs';

/** The V1 fields, and the ParamSpec field each one becomes. */
const MULTIPLIERS: ReadonlyMap<string, string> = new Map([
  ['blobs_lr', 'lr_mult'],
  ['weight_decay', 'decay_mult'],
]);

export function isV1Multiplier(input: AnalyzedDocument, d: AnalysisDiagnostic): boolean {
  return d.code === 'unknown-field' && MULTIPLIERS.has(input.doc.text.slice(d.start, d.end));
}

export function paramBlocksFromV1(
  input: AnalyzedDocument,
  d: AnalysisDiagnostic,
  lsp: Diagnostic,
): CodeAction | undefined {
  const layer = v2LayerAt(input, d.start);
  if (layer === undefined) return undefined;
  const fields = layer.body?.fields ?? [];
  if (fields.some((f) => f.name === 'param')) return undefined;
  const multipliers = fields.filter((f) => MULTIPLIERS.has(f.name));
  if (multipliers.length === 0 || multipliers.some((f) => f.value?.kind !== 'number')) return undefined;
  const text = input.doc.text;
  // The i-th value of each field, as written.
  const specs: string[][] = [];
  const counts = new Map<string, number>();
  for (const f of multipliers) {
    const i = counts.get(f.name) ?? 0;
    counts.set(f.name, i + 1);
    const value = valueText(text, f);
    (specs[i] ??= []).push(`${MULTIPLIERS.get(f.name) as string}: ${value}`);
  }
  const blocks = specs.map((parts) => `param { ${parts.join(' ')} }`);
  const first = multipliers[0];
  const separator = startsLine(text, first.start) ? lineBreakOf(text) + indentAt(text, first.start) : ' ';
  let edits;
  try {
    edits = mergeEdits([
      { start: first.start, end: first.end, newText: blocks.join(separator) },
      ...multipliers.slice(1).map((f) => removeItem(text, f.start, f.end)),
    ]);
  } catch {
    // Fields laid out so that the edits would overlap: no fix rather than a broken one.
    return undefined;
  }
  const title =
    blocks.length === 1
      ? 'Write blobs_lr and weight_decay as a param { } block'
      : `Write blobs_lr and weight_decay as ${blocks.length} param { } blocks`;
  return preferredQuickFix(input, title, lsp, edits);
}

function valueText(text: string, field: FieldNode): string {
  const value = field.value;
  return value === undefined ? '' : text.slice(value.start, value.end);
}
