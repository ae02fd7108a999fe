import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { startServer, type TestServer } from '../helpers/lsp-client';

let server: TestServer;
let plain: TestServer;
before(async () => {
  server = await startServer();
  plain = await startServer({ capabilities: { textDocument: { hover: { contentFormat: ['plaintext'] } } } });
});
after(async () => {
  await Promise.all([server.stop(), plain.stop()]);
});

const TEXT = `layer {
  name: "data"
  type: "Input"
  top: "data"
  input_param { shape { dim: 1 dim: 3 dim: 32 dim: 32 } }
}
layer {
  name: "conv1"
  type: "Convolution"
  bottom: "data"
  top: "conv1"
  convolution_param { num_output: 16 kernel_size: 3 }
}
`;

async function hover(s: TestServer, uri: string, line: number, character: number) {
  return (await s.connection.sendRequest('textDocument/hover', {
    textDocument: { uri },
    position: { line, character },
  })) as Hover | null;
}

test('initialize announces hover', () => {
  assert.equal(server.initializeResult.capabilities.hoverProvider, true);
});

test('a field name, a layer type, a blob and a layer name over the protocol', async () => {
  const uri = 'file:///virtual/hover.prototxt';
  server.open(uri, TEXT);
  const field = await hover(server, uri, 11, 25);
  const c = field?.contents as MarkupContent;
  assert.equal(c.kind, 'markdown');
  assert.match(c.value, /optional uint32 num_output = 1;/);
  assert.deepEqual(field?.range, { start: { line: 11, character: 22 }, end: { line: 11, character: 32 } });
  const type = (await hover(server, uri, 8, 12))?.contents as MarkupContent;
  assert.match(type.value, /convolution_param/);
  const blob = (await hover(server, uri, 9, 12))?.contents as MarkupContent;
  assert.match(blob.value, /1×3×32×32/);
  assert.match(blob.value, /consumed by `conv1 \(Convolution\)`/);
  const layer = (await hover(server, uri, 7, 10))?.contents as MarkupContent;
  assert.match(layer.value, /parameters 448/);
  assert.match(layer.value, /1×16×30×30/);
});

test('plain text for a client without markdown; null on whitespace and for unknown documents', async () => {
  const uri = 'file:///virtual/hover-plain.prototxt';
  plain.open(uri, TEXT);
  const h = await hover(plain, uri, 11, 25);
  assert.equal((h?.contents as MarkupContent).kind, 'plaintext');
  assert.equal(await hover(plain, uri, 6, 8), null);
  assert.equal(await hover(plain, 'file:///virtual/never-opened.prototxt', 0, 0), null);
});
