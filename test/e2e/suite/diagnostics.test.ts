import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  openFixture,
  positionOf,
  replaceText,
  revertAndClose,
  screenshot,
  screenshotsEnabled,
  waitForDiagnostics,
} from './helpers';

suite('diagnostics', () => {
  test('a misspelt field is reported, and the report clears once the edit fixes it', async () => {
    const editor = await openFixture('broken.prototxt');
    const document = editor.document;
    try {
      const typo = positionOf(document, 'num_ouput');
      // Other checks may also flag the enclosing block; the report wanted starts on the misspelt name.
      const isTypoReport = (d: vscode.Diagnostic) =>
        d.range.start.line === typo.line && d.range.contains(typo);
      const reported = await waitForDiagnostics(document.uri, 'a diagnostic on num_ouput', (all) =>
        all.some(isTypoReport),
      );
      const report = reported.find(isTypoReport);
      assert.ok(report);
      assert.equal(report.severity, vscode.DiagnosticSeverity.Error);
      assert.match(report.message, /num_ouput/);
      if (screenshotsEnabled()) {
        await vscode.commands.executeCommand('workbench.actions.view.problems');
        await screenshot('diagnostics', '.markers-panel .monaco-list-row');
        await vscode.commands.executeCommand('workbench.action.closePanel');
        await vscode.window.showTextDocument(document);
      }

      await replaceText(document, 'num_ouput', 'num_output');
      const after = await waitForDiagnostics(document.uri, 'the num_ouput error to clear', (all) =>
        all.every((d) => d.severity !== vscode.DiagnosticSeverity.Error),
      );
      assert.deepEqual(
        after.filter((d) => d.message.includes('num_ouput')),
        [],
      );
    } finally {
      await revertAndClose(document);
    }
  });
});
