// The refactorings "Freeze layers up to here" and "Unfreeze layers up to here" on the layer under the
// cursor (training/freeze.ts makes the edits). Offered when they would change something; when the net
// cannot be edited (syntax errors, an old format) they are offered disabled with the reason, to clients
// that show such actions.
//
// The edit covers every layer before the cursor's, which on a huge net is costly to make and to send
// on every codeAction request. A client that resolves an action's edit (codeAction.resolveSupport
// with "edit") is offered the action with `data` instead, and the edit is made by codeAction/resolve.
// A resolve for another version of the document than the action was offered for fails with
// ContentModified: the edit would be made for a text the user no longer sees.

import {
  CodeActionKind,
  LSPErrorCodes,
  ResponseError,
  type CodeAction,
  type CodeActionParams,
} from 'vscode-languageserver';
import { indentUnit, lineBreakOf } from '../../analysis/transforms/format';
import {
  planFreeze,
  probeFreeze,
  type FreezeChange,
  type FreezeInput,
  type FreezeProbe,
} from '../../training/freeze';
import { planUnfreeze, probeUnfreeze } from '../../training/unfreeze';
import { netsOf } from '../../analysis/model/embedded-nets';
import type { NetLayer, NetModel } from '../../analysis/model/net';
import type { AnalyzedDocument } from '../context';

export const FREEZE_KIND = `${CodeActionKind.RefactorRewrite}.freezeLayers`;
export const UNFREEZE_KIND = `${CodeActionKind.RefactorRewrite}.unfreezeLayers`;

/** What an action offered without its edit carries to codeAction/resolve. */
export interface FreezeActionData {
  uri: string;
  version: number;
  kind: typeof FREEZE_KIND | typeof UNFREEZE_KIND;
  /** The index of the cursor's layer: the layers before it are (un)frozen. */
  upTo: number;
  /** Which of the document's nets (netsOf: a solver may embed several); 0 in a net file. */
  net?: number;
}

const TITLES = { [FREEZE_KIND]: 'Freeze layers up to here', [UNFREEZE_KIND]: 'Unfreeze layers up to here' };

export function freezeActions(input: AnalyzedDocument, params: CodeActionParams): CodeAction[] {
  const only = params.context?.only;
  const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  if (!wants(FREEZE_KIND) && !wants(UNFREEZE_KIND)) return [];
  const offset = input.doc.lines.offsetAt(params.range.start);
  // The net file's net, or the one of the nets a solver embeds that holds the cursor.
  const nets = netsOf(input.analysis);
  let layer: NetLayer | undefined;
  let which = 0;
  for (; which < nets.length; which++) {
    layer = nets[which].layers.find((l) => l.node.start <= offset && offset <= l.node.end);
    if (layer) break;
  }
  if (!layer || layer.index === 0) return [];
  const plan = freezeInput(input, nets[which]);
  const at = { upTo: layer.index, net: which };
  const actions: CodeAction[] = [];
  for (const kind of [FREEZE_KIND, UNFREEZE_KIND] as const) {
    if (!wants(kind)) continue;
    const action = input.client.resolveEdits ? offered(input, plan, kind, at) : eager(input, plan, kind, at);
    if (action) actions.push(action);
  }
  return actions;
}

/** The edit of an action freezeActions offered with `data`, for the version it was offered for. */
export function resolveFreezeAction(
  input: AnalyzedDocument | undefined,
  action: CodeAction,
  data: FreezeActionData,
): CodeAction {
  if (!input || input.doc.version !== data.version) {
    throw new ResponseError(
      LSPErrorCodes.ContentModified,
      'The document changed since the action was offered; ask for the actions again.',
    );
  }
  const net = netsOf(input.analysis)[data.net ?? 0];
  if (!net || data.upTo < 1 || data.upTo >= net.layers.length) return action;
  const outcome = planOf(freezeInput(input, net), data.kind, data.upTo);
  if (outcome === undefined || 'refused' in outcome) return action;
  return { ...action, edit: editOf(input, outcome) };
}

/** Whether `data` is what freezeActions puts in an action it offers without its edit. */
export function isFreezeActionData(data: unknown): data is FreezeActionData {
  if (typeof data !== 'object' || data === null) return false;
  const d = data as Partial<FreezeActionData>;
  return (
    typeof d.uri === 'string' &&
    typeof d.version === 'number' &&
    (d.kind === FREEZE_KIND || d.kind === UNFREEZE_KIND) &&
    typeof d.upTo === 'number' &&
    Number.isInteger(d.upTo) &&
    (d.net === undefined || (typeof d.net === 'number' && Number.isInteger(d.net)))
  );
}

/** What the freeze planners read: `net` is the document's net or one its solver embeds. */
export function freezeInput(input: AnalyzedDocument, net: NetModel): FreezeInput {
  return {
    text: input.doc.text,
    ast: input.doc.ast,
    net,
    schema: input.schema.schema,
    indent: indentUnit(input.settings.format.indent),
    eol: lineBreakOf(input.doc.text),
  };
}

function planOf(plan: FreezeInput, kind: FreezeActionData['kind'], upTo: number) {
  return kind === FREEZE_KIND ? planFreeze(plan, upTo) : planUnfreeze(plan, upTo);
}

/** The action with its edit made now, for clients that do not resolve edits. */
function eager(
  input: AnalyzedDocument,
  plan: FreezeInput,
  kind: FreezeActionData['kind'],
  at: { upTo: number; net: number },
): CodeAction | undefined {
  const outcome = planOf(plan, kind, at.upTo);
  const action = described(input, outcome, kind);
  return action && outcome && !('refused' in outcome) ? { ...action, edit: editOf(input, outcome) } : action;
}

/** The action without its edit, carrying what codeAction/resolve needs to make it. */
function offered(
  input: AnalyzedDocument,
  plan: FreezeInput,
  kind: FreezeActionData['kind'],
  at: { upTo: number; net: number },
): CodeAction | undefined {
  const upTo = at.upTo;
  const probe = kind === FREEZE_KIND ? probeFreeze(plan, upTo) : probeUnfreeze(plan, upTo);
  const action = described(input, probe, kind);
  if (!action || action.disabled) return action;
  const data: FreezeActionData = { uri: input.doc.uri, version: input.doc.version, kind, upTo };
  if (at.net > 0) data.net = at.net;
  return { ...action, data };
}

/** The title and kind of an action (disabled with the reason when refused), without its edit. */
function described(
  input: AnalyzedDocument,
  outcome: FreezeProbe,
  kind: FreezeActionData['kind'],
): CodeAction | undefined {
  if (outcome === undefined) return undefined;
  const title = TITLES[kind];
  if ('refused' in outcome) {
    return input.client.disabledActions ? { title, kind, disabled: { reason: outcome.refused } } : undefined;
  }
  const shared = outcome.sharing.length > 0 ? ` (also ${outcome.sharing.join(', ')}: shared parameters)` : '';
  return { title: `${title}${shared}`, kind };
}

function editOf(input: AnalyzedDocument, change: FreezeChange): CodeAction['edit'] {
  const lines = input.doc.lines;
  return {
    changes: {
      [input.doc.uri]: change.edits.map((e) => ({
        range: lines.rangeOf(e.start, e.end),
        newText: e.newText,
      })),
    },
  };
}
