import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { markdownText, openFixture, positionOf, screenshot, screenshotsEnabled, waitFor } from './helpers';

suite('hover', () => {
  test('hovering a field shows its type', async () => {
    const editor = await openFixture('net.prototxt');
    const at = positionOf(editor.document, 'num_output', 3);
    const text = await waitFor('a hover on num_output', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        editor.document.uri,
        at,
      );
      const joined = hovers.map((h) => markdownText(h.contents)).join('\n');
      return joined.trim() ? joined : undefined;
    });
    assert.match(text, /num_output/);
    assert.match(text, /uint32/);
    if (screenshotsEnabled()) {
      editor.selection = new vscode.Selection(at, at);
      await vscode.commands.executeCommand('editor.action.showHover');
      await screenshot('hover', '.monaco-hover');
      await vscode.commands.executeCommand('editor.action.hideHover');
    }
  });
});
