import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openFixture, revertAndClose, waitFor } from './helpers';

const OPTIONS: vscode.FormattingOptions = { tabSize: 2, insertSpaces: true };

function formattingEdits(uri: vscode.Uri): Promise<vscode.TextEdit[] | undefined> {
  return Promise.resolve(
    vscode.commands.executeCommand<vscode.TextEdit[] | undefined>(
      'vscode.executeFormatDocumentProvider',
      uri,
      OPTIONS,
    ),
  );
}

async function apply(uri: vscode.Uri, edits: vscode.TextEdit[]): Promise<void> {
  if (edits.length === 0) return; // applyEdit reports false for an empty edit
  const edit = new vscode.WorkspaceEdit();
  edit.set(uri, edits);
  assert.ok(await vscode.workspace.applyEdit(edit), 'the formatting edits apply');
}

/** Lines whose indentation is not `depth * unit`, with depth counted from the braces before them. */
function misindented(text: string): string[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const nested = lines.find((l) => /^\s+\S/.test(l));
  const unit = nested ? nested.length - nested.trimStart().length : 0;
  const wrong: string[] = [];
  let depth = 0;
  for (const line of lines) {
    const body = line.trimStart();
    const expected = (body.startsWith('}') ? depth - 1 : depth) * unit;
    if (line.length - body.length !== expected) wrong.push(line);
    const code = body.replace(/#.*$/, '').replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '');
    depth += (code.match(/\{/g)?.length ?? 0) - (code.match(/\}/g)?.length ?? 0);
  }
  return wrong;
}

suite('formatting', () => {
  test('formatting re-indents a badly indented file and changes nothing else', async () => {
    const editor = await openFixture('messy.prototxt');
    const document = editor.document;
    try {
      const before = document.getText();
      assert.notDeepEqual(misindented(before), [], 'the fixture starts badly indented');
      const edits = await waitFor('formatting edits', async () => {
        const found = await formattingEdits(document.uri);
        return found && found.length > 0 ? found : undefined;
      });
      await apply(document.uri, edits);
      const after = document.getText();
      assert.notEqual(after, before);
      assert.deepEqual(misindented(after), []);
      assert.equal(after.replace(/\s+/g, ''), before.replace(/\s+/g, ''), 'only whitespace changed');

      await apply(document.uri, (await formattingEdits(document.uri)) ?? []);
      assert.equal(document.getText(), after, 'formatting is idempotent');
    } finally {
      await revertAndClose(document);
    }
  });
});
