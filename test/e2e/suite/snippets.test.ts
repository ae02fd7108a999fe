import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { manifest, openFixture, positionOf, repoRoot, revertAndClose, waitFor } from './helpers';

interface SnippetEntry {
  prefix: string | string[];
  body: string | string[];
}

/** The name (key) of the contributed Python snippet whose prefix is `prefix`. */
function pythonSnippetName(prefix: string): string {
  const contribution = manifest().contributes?.snippets?.find((s) => s.language === 'python');
  assert.ok(contribution, 'package.json contributes Python snippets');
  const file = path.join(repoRoot, contribution.path);
  const snippets = JSON.parse(readFileSync(file, 'utf8')) as Record<string, SnippetEntry>;
  const entry = Object.entries(snippets).find(([, s]) => [s.prefix].flat().includes(prefix));
  assert.ok(entry, `${contribution.path} has a snippet with prefix "${prefix}"`);
  return entry[0];
}

suite('snippets', () => {
  test('the backward snippet inserts the signature Caffe calls', async () => {
    const name = pythonSnippetName('backward');
    const editor = await openFixture('blank_layer.py');
    const document = editor.document;
    try {
      const pass = positionOf(document, 'pass');
      editor.selection = new vscode.Selection(pass, pass.translate(0, 'pass'.length));
      await vscode.commands.executeCommand('editor.action.insertSnippet', { langId: 'python', name });
      const text = await waitFor(
        'the snippet text',
        () => (document.getText().includes('def backward') ? document.getText() : undefined),
        { events: [vscode.workspace.onDidChangeTextDocument], timeoutMs: 10_000 },
      );
      assert.match(text, /^ {4}def backward\(self, top, propagate_down, bottom\):$/m);
      await vscode.commands.executeCommand('leaveSnippet');
    } finally {
      await revertAndClose(document);
    }
  });
});
