// The quick fix of `engine: CUDNN` (`cudnn-engine`): the field goes, and the layer takes the default
// engine, which is cuDNN where Caffe is built with it and Caffe's own implementation elsewhere.

import type { CodeAction, Diagnostic } from 'vscode-languageserver';
import { cudnnEngineField } from '../../analysis/checks/cudnn-engine';
import type { AnalysisDiagnostic } from '../../analysis/diagnostic';
import { removeItem } from '../../training/text-edits';
import type { AnalyzedDocument } from '../context';
import { layerAt, preferredQuickFix } from './param-specs';

export function removeCudnnEngine(
  input: AnalyzedDocument,
  d: AnalysisDiagnostic,
  lsp: Diagnostic,
): CodeAction | undefined {
  const layer = layerAt(input, d.start);
  const found = layer && cudnnEngineField(layer);
  if (!found || found.field.start !== d.start) return undefined;
  const edit = removeItem(input.doc.text, found.field.start, found.field.end);
  return preferredQuickFix(input, 'Leave the engine out (the default takes cuDNN where Caffe has it)', lsp, [
    edit,
  ]);
}
