import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { fileUri, startServer, type TestServer } from '../helpers/lsp-client';

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
  assert.match(layer.value, /Parameters 448/);
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

test('an unknown shape over the protocol: which layer left it unknown and the two ways to know it', async () => {
  const uri = 'file:///virtual/hover-unknown.prototxt';
  server.open(
    uri,
    `layer {
  name: "input-data"
  type: "Python"
  top: "data"
  python_param { module: "roi_data_layer.layer" layer: "RoIDataLayer" }
}
layer {
  name: "conv1"
  type: "Convolution"
  bottom: "data"
  top: "conv1"
  convolution_param { num_output: 16 kernel_size: 3 }
}
`,
  );
  const value = ((await hover(server, uri, 10, 10))?.contents as MarkupContent).value;
  assert.match(value, /^Shape `\?`; produced by `conv1 \(Convolution\)`/m);
  assert.match(value, /^Unknown since layer `input-data` \(Python\), which leaves its top `data` unknown/m);
  assert.match(value, /click \*\*Infer top shapes\*\* above `input-data`/);
  assert.match(value, /`# input-shape: data=N,C,H,W`/);
});

test('a message field over the protocol: its fields, and where a workspace proto declares it', async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hover-proto-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const proto = path.join(root, 'src', 'caffe', 'proto', 'caffe.proto');
  fs.mkdirSync(path.dirname(proto), { recursive: true });
  fs.writeFileSync(
    proto,
    `syntax = "proto2";
package caffe;
message NetParameter {
  optional string name = 1;
  repeated LayerParameter layer = 100;
}
message LayerParameter {
  optional string name = 1;
  optional string type = 2;
  repeated string bottom = 3;
  repeated string top = 4;
  optional ConvolutionParameter convolution_param = 106;
}
// How a convolution is set up.
message ConvolutionParameter {
  optional uint32 num_output = 1;
  optional bool bias_term = 2 [default = true];
}
`,
  );
  const netPath = path.join(root, 'models', 'net.prototxt');
  fs.mkdirSync(path.dirname(netPath), { recursive: true });
  const net = 'layer {\n  name: "c"\n  type: "Convolution"\n  convolution_param { num_output: 2 }\n}\n';
  fs.writeFileSync(netPath, net);
  const s = await startServer({ rootPath: root });
  t.after(() => s.stop());
  const uri = fileUri(netPath);
  s.open(uri, net);
  const value = ((await hover(s, uri, 3, 6))?.contents as MarkupContent).value;
  assert.match(value, /^`ConvolutionParameter` holds:$/m);
  assert.match(value, /^num_output +uint32$/m);
  assert.match(value, /^bias_term +bool = true$/m);
  const link = `${fileUri(proto)}#L12`;
  assert.ok(
    value.includes(`Declared in [src/caffe/proto/caffe.proto:12](${link}).`),
    `a workspace-relative link to line 12: ${value}`,
  );
});
