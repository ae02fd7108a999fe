import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { markdownText, openFixture, positionOf, waitFor } from './helpers';

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
    // The README's hover picture is taken in hover-teach.test.ts (a message field's hover).
  });
});
