// textDocument/codeAction: the Python layer fixes (code-actions/python-layer.ts: a missing class or
// module, did-you-mean, param_str in the class's format; eval(self.param_str) in a Python file), then
// those of a prototxt (code-actions/prototxt.ts: did-you-mean fields and values, the net upgrade).

import type { CodeAction, CodeActionParams } from 'vscode-languageserver';
import type { AnalyzedDocument, Services } from '../context';
import { prototxtCodeActions } from './prototxt';
import { pythonQuickFixes } from './python-layer';

export { CODE_ACTION_KINDS } from './prototxt';

export function provideCodeActions(
  input: AnalyzedDocument,
  params: CodeActionParams,
  services?: Services,
): CodeAction[] {
  const python = services ? pythonQuickFixes(input, params, services.python) : [];
  return input.doc.languageId === 'prototxt' ? [...python, ...prototxtCodeActions(input, params)] : python;
}
