// Code actions of a prototxt: quick fixes from the analysis's own suggestions (did-you-mean field names,
// enum values and layer types, `solver_type: SGD` -> `type: "SGD"`), checking the workspace against a
// fork's shipped schema for what only forks define (a client command), the removal of `param { }` blocks
// a layer has no blob for, V1 `blobs_lr`/`weight_decay` in a `layer { }` written as `param { }` blocks,
// a data reader's transformation fields moved from its own block into transform_param, an
// `engine: CUDNN` left out, `propagate_down: false` for an input that refuses a gradient, and the
// upgrade of a net (or of a solver and the nets it holds), both as a quick fix on the
// `deprecated-format` and `mixed-format` diagnostics and as the source action `source.upgradeNet`.
// Fixes are computed from the current analysis (not from what the client echoes back), so a
// diagnostic of an older version never yields a wrong edit.

import {
  CodeActionKind,
  CodeActionTriggerKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type TextEdit,
} from 'vscode-languageserver';
import { Commands, type UseBundledSchemaArgs } from '../../../../common/protocol';
import type { AnalysisDiagnostic } from '../../analysis/diagnostic';
import type { NetModel } from '../../analysis/model/net';
import { SOLVER } from '../../analysis/model/top-message';
import { indentUnit, minimalChange } from '../../analysis/transforms/format';
import { upgradeNet } from '../../analysis/transforms/upgrade';
import { BUNDLED_FORKS, bundledLabel, type BundledName } from '../../schema/bundled';
import type { AnalyzedDocument } from '../context';
import { toLspDiagnostics } from '../shared/lsp-diagnostics';
import { removeExtraSpecs } from './param-specs';
import { freezeUnlearned } from './no-gradient';
import { stopGradient } from './propagate-down';
import { isV1Multiplier, paramBlocksFromV1 } from './v1-multipliers';
import { moveToTransformParam } from './reader-transform';
import { READER_TRANSFORM_CODE } from '../../analysis/checks/reader-transform';
import { CUDNN_ENGINE_CODE } from '../../analysis/checks/cudnn-engine';
import { removeCudnnEngine } from './cudnn-engine';

export const UPGRADE_NET_KIND = `${CodeActionKind.Source}.upgradeNet`;

/** The kinds this feature produces, for the `codeActionProvider` capability. */
export const CODE_ACTION_KINDS = [CodeActionKind.QuickFix, UPGRADE_NET_KIND];

export function prototxtCodeActions(input: AnalyzedDocument, params: CodeActionParams): CodeAction[] {
  const { doc, analysis } = input;
  const only = params.context?.only;
  const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const start = doc.lines.offsetAt(params.range.start);
  const end = doc.lines.offsetAt(params.range.end);
  const actions: CodeAction[] = [];
  let upgrade: TextEdit[] | undefined;
  const upgradeEdits = () => (upgrade ??= upgradeEditsFor(input));
  if (wants(CodeActionKind.QuickFix)) {
    const touches = (r: { start: number; end: number }) => r.end >= start && r.start <= end;
    for (const d of analysis.diagnostics) {
      // A fork warning said once for several fields (or for a fork layer's type) lists the others as
      // related places: its fix is offered on each of them too.
      const onRelated = !touches(d) && d.forks !== undefined && d.related?.some(touches) === true;
      if (!touches(d) && !onRelated) continue;
      const lsp = sentDiagnostic(input, params, d);
      if (onRelated) {
        if (input.client.commands?.includes(Commands.useBundledSchema))
          actions.push(...useForkActions(input, d.forks ?? [], lsp));
        continue;
      }
      if (d.code === 'param-count' || d.code === 'backward-refused') {
        const fix = d.code === 'param-count' ? removeExtraSpecs(input, d, lsp) : stopGradient(input, d, lsp);
        if (fix) actions.push(fix);
        continue;
      }
      if (d.code === 'no-gradient') {
        const fix = freezeUnlearned(input, d, lsp);
        if (fix) actions.push(fix);
        continue;
      }
      if (d.forks !== undefined && input.client.commands?.includes(Commands.useBundledSchema)) {
        actions.push(...useForkActions(input, d.forks, lsp));
        continue;
      }
      if (d.code === CUDNN_ENGINE_CODE) {
        const fix = removeCudnnEngine(input, d, lsp);
        if (fix) actions.push(fix);
        continue;
      }
      if (d.code === READER_TRANSFORM_CODE) {
        const fix = moveToTransformParam(input, d, lsp);
        if (fix) actions.push(fix);
        continue;
      }
      if (isV1Multiplier(input, d)) {
        const fix = paramBlocksFromV1(input, d, lsp);
        if (fix) actions.push(fix);
        continue;
      }
      if (d.code === 'deprecated-format' || d.code === 'mixed-format') {
        const edits = upgradeEdits();
        if (edits.length > 0) actions.push(upgradeAction(input, edits, CodeActionKind.QuickFix, [lsp]));
        continue;
      }
      const suggestions = d.suggestions ?? [];
      for (const s of suggestions) {
        actions.push({
          title: titleFor(d, s),
          kind: CodeActionKind.QuickFix,
          diagnostics: [lsp],
          isPreferred: suggestions.length === 1,
          edit: { changes: { [doc.uri]: [{ range: doc.lines.rangeOf(d.start, d.end), newText: s }] } },
        });
      }
    }
  }
  // Source actions only when asked for them, or when the user invoked the menu (not automatically).
  const invoked = params.context?.triggerKind === CodeActionTriggerKind.Invoked;
  if ((only ? wants(UPGRADE_NET_KIND) : invoked) && needsUpgrade(input)) {
    const edits = upgradeEdits();
    if (edits.length > 0) actions.push(upgradeAction(input, edits, UPGRADE_NET_KIND, []));
  }
  return actions;
}

/**
 * For a warning about what only forks define, or an error about what the chosen caffe.proto lacks and
 * bundled schemas have: check the workspace against one of those schemas shipped with the extension
 * (the client's command sets prototxt.schema.paths), the one named first preferred.
 */
function useForkActions(input: AnalyzedDocument, forks: readonly string[], lsp: Diagnostic): CodeAction[] {
  return forks.flatMap((name, i) => {
    if (name !== 'bvlc' && !BUNDLED_FORKS.some((f) => f.name === name)) return [];
    const label = bundledLabel(name as BundledName);
    const args: UseBundledSchemaArgs = { setting: `bundled:${name}`, uri: input.doc.uri };
    const title = `Check this workspace against the ${label} schema shipped with the extension`;
    return [
      {
        title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [lsp],
        isPreferred: i === 0,
        command: { title, command: Commands.useBundledSchema, arguments: [args] },
      },
    ];
  });
}

function titleFor(d: AnalysisDiagnostic, suggestion: string): string {
  if (d.code === 'deprecated-field') return `Replace with ${suggestion}`;
  if (suggestion === '\n') return 'Replace with a line feed';
  // Characters that only look like white space (parser/look-alike-spaces.ts): the title names the fix.
  if (/^ *$/.test(suggestion))
    return suggestion === ''
      ? `Remove the invisible character${d.end - d.start > 1 ? 's' : ''}`
      : `Replace with plain space${suggestion.length > 1 ? 's' : ''}`;
  return /^["']/.test(suggestion) ? `Change to ${suggestion}` : `Change to '${suggestion}'`;
}

/** The client's copy of the diagnostic when it sent one with the same range and code; else ours. */
function sentDiagnostic(
  input: AnalyzedDocument,
  params: CodeActionParams,
  d: AnalysisDiagnostic,
): Diagnostic {
  const ours = toLspDiagnostics(input.doc.uri, input.doc.lines, [d])[0];
  const same = params.context?.diagnostics?.find(
    (c) =>
      c.code === d.code &&
      c.range.start.line === ours.range.start.line &&
      c.range.start.character === ours.range.start.character &&
      c.range.end.line === ours.range.end.line &&
      c.range.end.character === ours.range.end.character,
  );
  return same ?? ours;
}

/**
 * Whether the net uses V0/V1 layers or legacy inputs, or the solver `solver_type` or a net like that
 * in `net_param` (cheap: no rewrite).
 */
function needsUpgrade(input: AnalyzedDocument): boolean {
  const { analysis } = input;
  if (analysis.net) return isOld(analysis.net);
  if (analysis.topMessage.name !== SOLVER) return false;
  if (input.doc.ast.fields.some((f) => f.name === 'solver_type')) return true;
  for (const net of analysis.embeddedNets?.values() ?? []) if (isOld(net)) return true;
  return false;
}

function isOld(net: NetModel): boolean {
  return net.inputs.length > 0 || net.layers.some((l) => l.format !== 'v2');
}

function upgradeEditsFor(input: AnalyzedDocument): TextEdit[] {
  const { doc } = input;
  const outcome = upgradeNet(
    doc.text,
    { indent: indentUnit(input.settings.format.indent) },
    input.schema.schema,
  );
  const change = outcome.text !== undefined ? minimalChange(doc.text, outcome.text) : undefined;
  return change ? [{ range: doc.lines.rangeOf(change.start, change.end), newText: change.newText }] : [];
}

function upgradeAction(
  input: AnalyzedDocument,
  edits: TextEdit[],
  kind: string,
  diagnostics: Diagnostic[],
): CodeAction {
  return {
    title: `Upgrade this ${input.analysis.topMessage.name === SOLVER ? 'solver' : 'net'} to the current format`,
    kind,
    ...(diagnostics.length > 0 ? { diagnostics, isPreferred: true } : {}),
    edit: { changes: { [input.doc.uri]: edits } },
  };
}
