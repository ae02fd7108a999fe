import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../helpers/lsp-client';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server.stop();
});

test('initialize announces incremental sync and the server name', () => {
  const caps = server.initializeResult.capabilities;
  assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2 });
  assert.equal(server.initializeResult.serverInfo?.name, 'caffe-prototxt');
});

test('open -> diagnostics; an incremental change that fixes the file clears them', async () => {
  const uri = 'file:///virtual/net.prototxt';
  const text =
    'name: "n"\nlayer {\n  name: "c"\n  type: "Convolution"\n  convolution_param { num_ouput: 3 }\n}\n';
  server.open(uri, text);
  const first = await server.diagnostics(uri, (p) => p.version === 1);
  const unknown = first.find((d) => d.code === 'unknown-field');
  assert.ok(unknown, JSON.stringify(first));
  assert.deepEqual(unknown.range.start, { line: 4, character: 22 });
  assert.match(String(unknown.message), /num_output/);

  const start = { line: 4, character: 22 };
  await server.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start, end: { line: 4, character: 31 } }, text: 'num_output' }],
  });
  const second = await server.diagnostics(uri, (p) => p.version === 2);
  assert.deepEqual(
    second.filter((d) => d.severity === 1),
    [],
  );
});

test('closing a document clears its diagnostics', async () => {
  const uri = 'file:///virtual/closed.prototxt';
  server.open(uri, 'layer { nme: "x" }\n');
  const open = await server.diagnostics(uri, (p) => p.diagnostics.length > 0);
  assert.ok(open.length > 0);
  await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  await server.diagnostics(uri, (p) => p.diagnostics.length === 0);
});
