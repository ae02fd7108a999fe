import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openFixture, positionOf, waitFor, workspaceUri } from './helpers';

interface Target {
  uri: vscode.Uri;
  range: vscode.Range;
}

function targets(found: (vscode.Location | vscode.LocationLink)[]): Target[] {
  return found.map((l) =>
    'targetUri' in l ? { uri: l.targetUri, range: l.targetSelectionRange ?? l.targetRange } : l,
  );
}

function definitionsAt(uri: vscode.Uri, at: vscode.Position, what: string): Promise<Target[]> {
  return waitFor(what, async () => {
    const found = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
      'vscode.executeDefinitionProvider',
      uri,
      at,
    );
    return found.length > 0 ? targets(found) : undefined;
  });
}

suite('go to definition', () => {
  test('on a bottom value it lands on the top of the layer that produces the blob', async () => {
    const editor = await openFixture('net.prototxt');
    const document = editor.document;
    const at = positionOf(document, 'bottom: "pool1"', 'bottom: "'.length + 2);
    const found = await definitionsAt(document.uri, at, 'a definition of bottom "pool1"');
    const producer = positionOf(document, 'top: "pool1"');
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0].uri.fsPath, document.uri.fsPath);
    assert.equal(found[0].range.start.line, producer.line);
    assert.match(document.getText(found[0].range), /pool1/);
  });

  test('on python_param layer it lands on the Python class', async () => {
    const editor = await openFixture('net.prototxt');
    const at = positionOf(editor.document, 'layer: "ScaleLayer"', 'layer: "'.length + 2);
    const found = await definitionsAt(editor.document.uri, at, 'a definition of layer "ScaleLayer"');
    const module = await vscode.workspace.openTextDocument(workspaceUri('scale_layer.py'));
    const classLine = positionOf(module, 'class ScaleLayer').line;
    assert.ok(
      found.some((t) => t.uri.fsPath === module.uri.fsPath && t.range.start.line === classLine),
      `expected scale_layer.py:${classLine + 1}, got ${JSON.stringify(found)}`,
    );
  });
});
