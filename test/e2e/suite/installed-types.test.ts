import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as vscode from 'vscode';
import { openFixture, waitForDiagnostics } from './helpers';

// The layer types of the user's own Caffe: Caffe: Refresh Installed Layer Types asks the interpreter's
// pycaffe (caffe.layer_type_list()) and the net's unknown types are then judged by what it registers.

const NET = `name: "t"
layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }
layer { name: "roi" type: "ROIPooling" bottom: "x" bottom: "x" top: "y" roi_pooling_param { pooled_h: 2 pooled_w: 2 } }
`;

/** The folder pycaffe was built into (CAFFE_PROTOTXT_PYCAFFE), and an interpreter that imports it. */
function pycaffe(): { dir: string; python: string } | undefined {
  const dir = process.env.CAFFE_PROTOTXT_PYCAFFE;
  if (!dir) return undefined;
  for (const python of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(python, ['-c', 'import sys, caffe; print(sys.executable)'], {
      encoding: 'utf8',
      env: { ...process.env, PYTHONPATH: dir },
    });
    if (r.status === 0) return { dir, python: r.stdout.trim() };
  }
  return undefined;
}

suite('installed layer types', () => {
  const settings = () => vscode.workspace.getConfiguration('prototxt');
  let found: { dir: string; python: string } | undefined;

  suiteSetup(function () {
    found = pycaffe();
    if (found) return;
    const why = 'no pycaffe (CAFFE_PROTOTXT_PYCAFFE; scripts/pycaffe.sh builds it)';
    if (process.env.CI === 'true') throw new Error(`installed layer types: ${why}`);
    console.log(`installed layer types: skipped, ${why}`);
    this.skip();
  });

  suiteTeardown(async () => {
    await settings().update('python.extraPaths', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('python.interpreter', undefined, vscode.ConfigurationTarget.Global);
  });

  test("an unknown type is judged by what the interpreter's Caffe registers", async () => {
    const { dir, python } = found as { dir: string; python: string };
    const document = await vscode.workspace.openTextDocument({ language: 'prototxt', content: NET });
    await vscode.window.showTextDocument(document);
    // The warning on the layer's type (the layer is otherwise as Fast R-CNN's Caffe wants it).
    const roiWarning = (ds: vscode.Diagnostic[]) =>
      ds.find((d) => d.range.start.line === 2 && document.getText(d.range) === '"ROIPooling"');
    const before = await waitForDiagnostics(
      document.uri,
      'the ROIPooling diagnostic',
      (ds) => !!roiWarning(ds),
    );
    assert.doesNotMatch(roiWarning(before)?.message ?? '', / imports /);

    await settings().update('python.interpreter', python, vscode.ConfigurationTarget.Global);
    await settings().update('python.extraPaths', [dir], vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('prototxt.refreshInstalledLayerTypes');
    const after = await waitForDiagnostics(
      document.uri,
      "the ROIPooling diagnostic naming the interpreter's Caffe",
      (ds) =>
        roiWarning(ds)?.message.includes(`the Caffe that ${python} imports does not register it`) ?? false,
      60_000,
    );
    assert.match(roiWarning(after)?.message ?? '', /Fast\/Faster R-CNN .* has it: use a build of that Caffe/);
    // Input is registered by every Caffe: nothing is said of it.
    assert.equal(
      after.filter((d) => d.range.start.line === 1).length,
      0,
      after.map((d) => d.message).join('\n'),
    );
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test("an import neither the interpreter nor the workspace has is told on the net's module", async () => {
    const { dir, python } = found as { dir: string; python: string };
    await settings().update('python.interpreter', python, vscode.ConfigurationTarget.Global);
    await settings().update('python.extraPaths', [dir], vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('prototxt.refreshInstalledLayerTypes');
    const net = (await openFixture('imports/net.prototxt')).document;
    const missing = (ds: vscode.Diagnostic[]) => ds.find((d) => d.code === 'python-import-missing');
    const told = await waitForDiagnostics(
      net.uri,
      'the missing-import warning',
      (ds) => !!missing(ds),
      60_000,
    );
    const warning = missing(told) as vscode.Diagnostic;
    assert.equal(net.getText(warning.range), '"box_layer"');
    assert.match(
      warning.message,
      new RegExp(
        `^Module 'box_layer' cannot be imported: imports/box_layer\\.py line 6 imports 'absent_box_utils', ` +
          `which is neither installed for ${python.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} nor on the workspace's search path\\.`,
      ),
    );
    // numpy and the standard library are the interpreter's: nothing is said of them.
    const layer = (await openFixture('imports/box_layer.py')).document;
    const inFile = await waitForDiagnostics(layer.uri, 'the import line', (ds) => !!missing(ds), 30_000);
    assert.deepEqual(
      inFile.filter((d) => d.code === 'python-import-missing').map((d) => d.range.start.line),
      [5],
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
