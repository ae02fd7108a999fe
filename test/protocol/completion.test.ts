import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionList, TextEdit } from 'vscode-languageserver-protocol';
import { startServer, type TestServer } from '../helpers/lsp-client';

let server: TestServer;
let plain: TestServer;
before(async () => {
  server = await startServer();
  // A client that supports neither snippets nor markdown.
  plain = await startServer({ capabilities: { textDocument: { completion: {}, hover: {} } } });
});
after(async () => {
  await Promise.all([server.stop(), plain.stop()]);
});

const TEXT =
  'layer {\n  name: "c"\n  type: "Convolution"\n  bottom: "data"\n  convolution_param {\n    \n  }\n}\n';

async function complete(s: TestServer, uri: string, line: number, character: number, trigger?: string) {
  const context = trigger ? { triggerKind: 2, triggerCharacter: trigger } : { triggerKind: 1 };
  return (await s.connection.sendRequest('textDocument/completion', {
    textDocument: { uri },
    position: { line, character },
    context,
  })) as CompletionList | null;
}

test('initialize announces completion with trigger characters', () => {
  const provider = server.initializeResult.capabilities.completionProvider;
  assert.ok(provider);
  assert.ok(provider.triggerCharacters?.includes(':'));
  assert.ok(provider.triggerCharacters?.includes('"'));
});

test('field names inside a block, with snippets for message fields', async () => {
  const uri = 'file:///virtual/completion.prototxt';
  server.open(uri, TEXT);
  const list = await complete(server, uri, 5, 4);
  assert.ok(list);
  const filler = list.items.find((i) => i.label === 'weight_filler');
  assert.ok(filler, list.items.map((i) => i.label).join(', '));
  assert.equal(filler.insertTextFormat, 2);
  assert.equal(filler.detail, 'FillerParameter');
  const num = list.items.find((i) => i.label === 'num_output');
  assert.equal((num?.textEdit as TextEdit).newText, 'num_output: ');
});

test('an incremental change, then values after `:` as typed', async () => {
  const uri = 'file:///virtual/completion-change.prototxt';
  server.open(uri, TEXT);
  await server.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [
      { range: { start: { line: 5, character: 4 }, end: { line: 5, character: 4 } }, text: 'engine:' },
    ],
  });
  const list = await complete(server, uri, 5, 11, ':');
  assert.deepEqual(
    list?.items.map((i) => i.label),
    ['DEFAULT', 'CAFFE', 'CUDNN'],
  );
  assert.equal((list?.items[0].textEdit as TextEdit).newText, ' DEFAULT');
});

test('plain-text clients get blocks without snippet syntax', async () => {
  const uri = 'file:///virtual/completion-plain.prototxt';
  plain.open(uri, TEXT);
  const list = await complete(plain, uri, 5, 4);
  const filler = list?.items.find((i) => i.label === 'weight_filler');
  assert.ok(filler);
  assert.notEqual(filler.insertTextFormat, 2);
  assert.equal((filler.textEdit as TextEdit).newText, 'weight_filler { }');
  assert.equal(typeof list?.items.find((i) => i.label === 'num_output')?.documentation, 'string');
});

test('an unknown document gets no items, a malformed request an error, and the server lives on', async () => {
  assert.equal(await complete(server, 'file:///virtual/never-opened.prototxt', 0, 0), null);
  await assert.rejects(server.connection.sendRequest('textDocument/completion', { position: { line: 0 } }));
  const uri = 'file:///virtual/completion-broken.prototxt';
  server.open(uri, 'layer {\n  name: "a\n  ty');
  const list = await complete(server, uri, 2, 4);
  assert.ok(list);
});
