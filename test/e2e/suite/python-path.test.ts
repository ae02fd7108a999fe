import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { Commands } from '../../../common/protocol';
import { openFixture, revertAndClose, runQuickFix, waitForDiagnostics, workspaceUri } from './helpers';

const offPath = (d: vscode.Diagnostic) => /is not on the search path/.test(d.message);

suite('a Python module off the search path', () => {
  const settingsFile = workspaceUri('.vscode/settings.json').fsPath;
  let saved: string;

  suiteSetup(() => {
    saved = readFileSync(settingsFile, 'utf8');
  });

  suiteTeardown(async () => {
    await vscode.workspace
      .getConfiguration('prototxt')
      .update('python.extraPaths', undefined, vscode.ConfigurationTarget.Workspace);
    // The fixture's settings file as it was, whatever formatting the settings editor left.
    writeFileSync(settingsFile, saved);
  });

  test('its quick fix adds the folder to prototxt.python.extraPaths and the warning goes', async () => {
    const editor = await openFixture('offpath/nets/net.prototxt');
    const { document } = editor;
    const [warning] = (
      await waitForDiagnostics(document.uri, 'the module warning', (ds) => ds.some(offPath))
    ).filter(offPath);
    assert.match(warning.message, /offpath\/lib\/off_layers\.py defines its class CopyLayer/);
    const title = 'Add offpath/lib to prototxt.python.extraPaths';
    await runQuickFix(document.uri, warning.range, title, Commands.addPythonPath);
    const written = vscode.workspace.getConfiguration('prototxt').inspect<string[]>('python.extraPaths');
    assert.deepEqual(written?.workspaceValue, ['offpath/lib']);
    // The server reads the setting again, indexes the folder and finds the module there.
    await waitForDiagnostics(document.uri, 'the module warning to go', (ds) => !ds.some(offPath), 30_000);
    await revertAndClose(document);
  });
});
