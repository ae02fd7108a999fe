import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionId, openFixture, screenshot, waitFor } from './helpers';

suite('activation', () => {
  test('reports which VS Code runs the suite', () => {
    const kind = vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop';
    console.log(
      `      VS Code ${vscode.version} (${vscode.env.appName}, ${kind} UI, remote: ${vscode.env.remoteName ?? 'none'})`,
    );
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
  });

  test('opening a .prototxt activates the extension', async () => {
    const extension = vscode.extensions.getExtension(extensionId());
    assert.ok(extension, `${extensionId()} is loaded as the extension under development`);
    const editor = await openFixture('net.prototxt');
    assert.equal(editor.document.languageId, 'prototxt');
    await waitFor('the extension to activate', () => (extension.isActive ? true : undefined), {
      timeoutMs: 30_000,
    });
    // isActive is also true after a failed activation; activate() rethrows that failure.
    await extension.activate();
    assert.equal(extension.isActive, true);
    await screenshot('editor');
  });
});
