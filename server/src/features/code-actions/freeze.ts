// The refactorings "Freeze layers up to here" and "Unfreeze layers up to here" on the layer under the
// cursor (training/freeze.ts makes the edits). Offered when they would change something; when the net
// cannot be edited (syntax errors, an old format) they are offered disabled with the reason, to clients
// that show such actions.

import { CodeActionKind, type CodeAction, type CodeActionParams } from 'vscode-languageserver';
import { indentUnit, lineBreakOf } from '../../analysis/transforms/format';
import { planFreeze, planUnfreeze, type FreezeInput, type FreezeOutcome } from '../../training/freeze';
import type { AnalyzedDocument } from '../context';

export const FREEZE_KIND = `${CodeActionKind.RefactorRewrite}.freezeLayers`;
export const UNFREEZE_KIND = `${CodeActionKind.RefactorRewrite}.unfreezeLayers`;

export function freezeActions(input: AnalyzedDocument, params: CodeActionParams): CodeAction[] {
  const net = input.analysis.net;
  if (!net || net.layers.length < 2) return [];
  const only = params.context?.only;
  const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  if (!wants(FREEZE_KIND) && !wants(UNFREEZE_KIND)) return [];
  const offset = input.doc.lines.offsetAt(params.range.start);
  const layer = net.layers.find((l) => l.node.start <= offset && offset <= l.node.end);
  if (!layer || layer.index === 0) return [];
  const plan: FreezeInput = {
    text: input.doc.text,
    ast: input.doc.ast,
    net,
    schema: input.schema.schema,
    indent: indentUnit(input.settings.format.indent),
    eol: lineBreakOf(input.doc.text),
  };
  const actions: CodeAction[] = [];
  if (wants(FREEZE_KIND)) {
    const action = toAction(input, planFreeze(plan, layer.index), 'Freeze layers up to here', FREEZE_KIND);
    if (action) actions.push(action);
  }
  if (wants(UNFREEZE_KIND)) {
    const outcome = planUnfreeze(plan, layer.index);
    const action = toAction(input, outcome, 'Unfreeze layers up to here', UNFREEZE_KIND);
    if (action) actions.push(action);
  }
  return actions;
}

function toAction(
  input: AnalyzedDocument,
  outcome: FreezeOutcome,
  title: string,
  kind: string,
): CodeAction | undefined {
  if (outcome === undefined) return undefined;
  if ('refused' in outcome) {
    return input.client.disabledActions ? { title, kind, disabled: { reason: outcome.refused } } : undefined;
  }
  const lines = input.doc.lines;
  const shared = outcome.sharing.length > 0 ? ` (also ${outcome.sharing.join(', ')}: shared parameters)` : '';
  return {
    title: `${title}${shared}`,
    kind,
    edit: {
      changes: {
        [input.doc.uri]: outcome.edits.map((e) => ({
          range: lines.rangeOf(e.start, e.end),
          newText: e.newText,
        })),
      },
    },
  };
}
