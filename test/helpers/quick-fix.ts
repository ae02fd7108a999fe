// The text a quick fix leaves, for tests of code actions: the first quick fix at the `<|>` marker
// whose title passes `wanted`, applied to the document.

import { CodeActionKind } from 'vscode-languageserver';
import { provideCodeActions } from '../../server/src/features/code-actions/code-actions';
import { applyEdits } from '../../server/src/training/text-edits';
import { featureInputAt } from './analyzed-document';

export function quickFixAt(
  marked: string,
  wanted: (title: string) => boolean,
): { title: string; text: string } | undefined {
  const { input, position } = featureInputAt(marked);
  const actions = provideCodeActions(input, {
    textDocument: { uri: input.doc.uri },
    range: { start: position, end: position },
    context: { diagnostics: [], only: [CodeActionKind.QuickFix] },
  });
  const fix = actions.find((a) => wanted(a.title));
  if (!fix) return undefined;
  const edits = (fix.edit?.changes?.[input.doc.uri] ?? []).map((e) => ({
    start: input.doc.lines.offsetAt(e.range.start),
    end: input.doc.lines.offsetAt(e.range.end),
    newText: e.newText,
  }));
  return { title: fix.title, text: applyEdits(input.doc.text, edits) };
}
