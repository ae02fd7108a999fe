// A client that accepts versioned document changes gets the rename tied to the version it was
// computed for, so the edit cannot land on text that changed meanwhile.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { startServer, type TestServer } from '../helpers/lsp-client';

const uri = 'file:///virtual/rename-versioned.prototxt';
const TEXT = [
  'layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 } } }',
  'layer { name: "relu" type: "ReLU" bottom: "data" top: "data" }',
  '',
].join('\n');

let server: TestServer;
before(async () => {
  server = await startServer({
    capabilities: { workspace: { workspaceEdit: { documentChanges: true } } },
  });
  server.open(uri, TEXT, 'prototxt', 7);
});
after(async () => {
  await server.stop();
});

test('rename answers with documentChanges naming the document version', async () => {
  const edit = (await server.connection.sendRequest('textDocument/rename', {
    textDocument: { uri },
    position: { line: 0, character: 42 },
    newName: 'image',
  })) as WorkspaceEdit;
  assert.equal(edit.changes, undefined);
  const changes = (edit.documentChanges ?? []) as TextDocumentEdit[];
  assert.equal(changes.length, 1);
  assert.deepEqual(changes[0].textDocument, { uri, version: 7 });
  // `top: "data"` of both layers and the relu's bottom.
  assert.equal(changes[0].edits.length, 3);
  assert.ok(changes[0].edits.every((e) => 'newText' in e && e.newText === 'image'));
});
