// textDocument/codeAction: the Python layer fixes (code-actions/python-layer.ts: a missing class or
// module, did-you-mean, param_str in the class's format; eval(self.param_str) in a Python file), then
// those of a prototxt (code-actions/prototxt.ts: did-you-mean fields and values, the net upgrade), then
// freezing and unfreezing the layers before the cursor's (code-actions/freeze.ts), whose edits
// codeAction/resolve makes for clients that resolve them.

import type { CodeAction, CodeActionParams } from 'vscode-languageserver';
import type { AnalyzedDocument, Services } from '../context';
import { FREEZE_KIND, UNFREEZE_KIND, freezeActions, isFreezeActionData, resolveFreezeAction } from './freeze';
import { CODE_ACTION_KINDS as PROTOTXT_KINDS, prototxtCodeActions } from './prototxt';
import { pythonQuickFixes } from './python-layer';

/** The kinds this feature produces, for the `codeActionProvider` capability. */
export const CODE_ACTION_KINDS = [...PROTOTXT_KINDS, FREEZE_KIND, UNFREEZE_KIND];

export function provideCodeActions(
  input: AnalyzedDocument,
  params: CodeActionParams,
  services?: Services,
): CodeAction[] {
  const python = services ? pythonQuickFixes(input, params, services.python) : [];
  if (input.doc.languageId !== 'prototxt') return python;
  return [...python, ...prototxtCodeActions(input, params), ...freezeActions(input, params)];
}

/**
 * codeAction/resolve: the edit of an action offered without it, made for the document version it was
 * offered for (`lookup` finds the open document). Any other action is given back as it came.
 */
export function resolveCodeAction(
  action: CodeAction,
  lookup: (uri: string) => AnalyzedDocument | undefined,
): CodeAction {
  const data: unknown = action.data;
  if (!isFreezeActionData(data)) return action;
  return resolveFreezeAction(lookup(data.uri), action, data);
}
