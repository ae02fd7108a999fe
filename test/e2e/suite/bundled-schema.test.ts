import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { Commands } from '../../../common/protocol';
import { openFixture, revertAndClose, runQuickFix, waitForDiagnostics, workspaceUri } from './helpers';

const forkWarning = (d: vscode.Diagnostic) => /^Choose the R-FCN schema/.test(d.message);

suite('a field only a fork defines, under the bundled BVLC schema', () => {
  const settingsFile = workspaceUri('.vscode/settings.json').fsPath;
  let saved: string;

  suiteSetup(() => {
    saved = readFileSync(settingsFile, 'utf8');
  });

  suiteTeardown(async () => {
    const prototxt = vscode.workspace.getConfiguration('prototxt');
    await prototxt.update('schema.paths', undefined, vscode.ConfigurationTarget.Workspace);
    await prototxt.update('schema.autoDiscover', undefined, vscode.ConfigurationTarget.Workspace);
    writeFileSync(settingsFile, saved);
  });

  test("its quick fix checks the workspace against the fork's shipped schema, and the warnings go", async () => {
    const editor = await openFixture('fork/rfcn_head.prototxt');
    const { document } = editor;
    const warnings = (
      await waitForDiagnostics(document.uri, 'the fork warnings', (ds) => ds.some(forkWarning))
    ).filter(forkWarning);
    const title =
      'Check this workspace against the R-FCN (Microsoft/caffe) schema shipped with the extension';
    await runQuickFix(document.uri, warnings[0].range, title, Commands.useBundledSchema);
    const written = vscode.workspace.getConfiguration('prototxt').inspect<string[]>('schema.paths');
    assert.deepEqual(written?.workspaceValue, ['bundled:rfcn']);
    // Checked against R-FCN's caffe.proto, the layer and its block are what they should be.
    await waitForDiagnostics(document.uri, 'the fork warnings to go', (ds) => !ds.some(forkWarning), 30_000);
    await revertAndClose(document);
  });
});
