import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { markdownText, openFixture, positionOf, screenshot, screenshotsEnabled, waitFor } from './helpers';

async function hoverText(editor: vscode.TextEditor, at: vscode.Position, what: string): Promise<string> {
  return waitFor(what, async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      at,
    );
    const joined = hovers.map((h) => markdownText(h.contents)).join('\n');
    return joined.trim() ? joined : undefined;
  });
}

/** Shows the hover at `at` for a README picture (the workspace opens hovers below their line). */
async function showHover(editor: vscode.TextEditor, at: vscode.Position, name: string): Promise<void> {
  if (!screenshotsEnabled()) return;
  const shown = await vscode.window.showTextDocument(editor.document, { preserveFocus: false });
  shown.selection = new vscode.Selection(at, at);
  shown.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  // A hover asked for before the editor has scrolled to its line would not show.
  await waitFor(
    `line ${at.line + 1} in view`,
    () => (shown.visibleRanges.some((r) => r.contains(at)) ? true : undefined),
    { events: [vscode.window.onDidChangeTextEditorVisibleRanges] },
  );
  await vscode.commands.executeCommand('editor.action.showHover');
  await screenshot(name, '.monaco-hover');
  await vscode.commands.executeCommand('editor.action.hideHover');
}

suite('hovers that teach', () => {
  test('a message field lists what it holds, with types and defaults', async () => {
    const editor = await openFixture('net.prototxt');
    const at = positionOf(editor.document, 'convolution_param', 4);
    const text = await hoverText(editor, at, 'a hover on convolution_param');
    assert.match(text, /`ConvolutionParameter` holds:/);
    assert.match(text, /^num_output +uint32$/m);
    assert.match(text, /^bias_term +bool = true$/m);
    await showHover(editor, at, 'hover');
  });

  test('an unknown shape says which layer left it unknown and how to know it', async () => {
    const editor = await openFixture('train_only.prototxt');
    const at = positionOf(editor.document, 'bottom: "pool1"', 10);
    const text = await hoverText(editor, at, 'a hover on the pool1 bottom of fc');
    assert.match(text, /^\*\*TRAIN, TEST\*\*: shape `\?`; produced by `pool1 \(Pooling\)`/m);
    assert.match(text, /Unknown since layer `input-data` \(Python\), which leaves its top `data` unknown/);
    assert.match(text, /\*\*Infer top shapes\*\* above `input-data`/);
    assert.match(text, /`# input-shape: data=N,C,H,W`/);
    await showHover(editor, at, 'hover-unknown');
  });
});
