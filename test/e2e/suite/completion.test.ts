import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  completionLabel,
  openFixture,
  positionOf,
  revertAndClose,
  screenshot,
  screenshotsEnabled,
  waitFor,
} from './helpers';

suite('completion', () => {
  test('inside convolution_param { } the fields of ConvolutionParameter are offered', async () => {
    const editor = await openFixture('net.prototxt');
    const document = editor.document;
    try {
      // Open a fresh line inside the block, as a user does before typing a field name.
      const brace = positionOf(document, 'convolution_param {', 'convolution_param {'.length);
      assert.ok(await editor.edit((builder) => builder.insert(brace, '\n    ')));
      const at = new vscode.Position(brace.line + 1, 4);
      const labels = await waitFor('completion items with kernel_size', async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>(
          'vscode.executeCompletionItemProvider',
          document.uri,
          at,
        );
        // Word-based suggestions (kind Text) stand in when no real provider answers: leave them out.
        const found = list.items
          .filter((i) => i.kind !== vscode.CompletionItemKind.Text)
          .map(completionLabel);
        return found.includes('kernel_size') ? found : undefined;
      });
      // num_output is already set in this block and is not repeated, so a server may leave it out.
      for (const field of ['kernel_size', 'stride', 'pad', 'group', 'weight_filler', 'bias_term']) {
        assert.ok(labels.includes(field), `${field} offered (got ${labels.join(', ')})`);
      }
      // Fields of other messages that appear nowhere in the file: offering them would be wrong.
      for (const field of ['loss_weight', 'global_pooling']) {
        assert.ok(!labels.includes(field), `${field} not offered inside convolution_param`);
      }
      if (screenshotsEnabled()) {
        editor.selection = new vscode.Selection(at, at);
        await vscode.commands.executeCommand('editor.action.triggerSuggest');
        await screenshot('completion', '.suggest-widget.visible');
        await vscode.commands.executeCommand('hideSuggestWidget');
      }
    } finally {
      await revertAndClose(document);
    }
  });
});
