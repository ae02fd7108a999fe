import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openFixture, revertAndClose, waitFor, waitForDiagnostics } from './helpers';

const python2 = (d: vscode.Diagnostic) => d.code === 'python2-syntax';
const onModule = (d: vscode.Diagnostic) => d.code === 'python-module-python2';

suite('a Python 2 layer module', () => {
  test("the net warns, the file's quick fix writes it for Python 3, and the warning goes", async () => {
    const net = (await openFixture('py2/net.prototxt')).document;
    const [warning] = (
      await waitForDiagnostics(net.uri, 'the module warning', (ds) => ds.some(onModule))
    ).filter(onModule);
    assert.match(
      warning.message,
      /^Module 'old_layer' is Python 2 code: py2\/old_layer\.py line 7 has a print statement \(and 2 more lines that stop its import\)/,
    );

    const editor = await openFixture('py2/old_layer.py');
    const { document } = editor;
    const lines = (
      await waitForDiagnostics(document.uri, 'the Python 2 lines', (ds) => ds.filter(python2).length === 3)
    )
      .filter(python2)
      .map((d) => d.range.start.line);
    assert.deepEqual(lines, [6, 7, 13]);
    const first = vscode.languages.getDiagnostics(document.uri).filter(python2)[0];
    const all = await waitFor('the quick fix for the whole file', async () => {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        document.uri,
        first.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      return actions.find((a) => a.title === "Write the file's Python 2 code for Python 3 (3 places)");
    });
    assert.ok(all.edit && (await vscode.workspace.applyEdit(all.edit)));
    const text = document.getText();
    assert.match(text, / {8}print\('setting up', len\(bottom\)\)\n {8}self\.scale = 10\n/);
    assert.match(text, /if self\.scale != 0:/);
    await waitForDiagnostics(document.uri, 'the Python 2 lines to go', (ds) => !ds.some(python2));
    // The net reads the open document's text: Python 3 now, so nothing to say.
    await waitForDiagnostics(net.uri, 'the module warning to go', (ds) => !ds.some(onModule), 30_000);
    await revertAndClose(document);
    await revertAndClose(net);
  });

  test("the net's own quick fix writes the module for Python 3 without opening it", async () => {
    const net = (await openFixture('py2/net.prototxt')).document;
    const warning = (await waitForDiagnostics(net.uri, 'the module warning', (ds) => ds.some(onModule))).find(
      onModule,
    ) as vscode.Diagnostic;
    const fix = await waitFor("the net's quick fix", async () => {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        net.uri,
        warning.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      return actions.find((a) => a.title.startsWith("Write the Python 2 code this layer's import runs"));
    });
    assert.equal(
      fix.title,
      "Write the Python 2 code this layer's import runs for Python 3 (3 places in 1 file)",
    );
    assert.ok(fix.edit && (await vscode.workspace.applyEdit(fix.edit)));
    // The edit opens the module in memory (never saved here): Python 3 there, and the net's warning goes.
    const layer = vscode.workspace.textDocuments.find((d) => d.uri.path.endsWith('/py2/old_layer.py'));
    assert.ok(layer?.isDirty);
    assert.match(layer.getText(), /print\('setting up', len\(bottom\)\)/);
    await waitForDiagnostics(net.uri, 'the module warning to go', (ds) => !ds.some(onModule), 30_000);
    await revertAndClose(layer);
    await revertAndClose(net);
  });
});
