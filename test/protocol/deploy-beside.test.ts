// The image size of a train/val net's data layer, which its LMDB holds, comes from the deploy net
// beside it: the shape diagnostics follow that file as it changes on disk.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { fileUri, startServer, type TestServer } from '../helpers/lsp-client';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-beside-'));
const trainVal = path.join(root, 'train_val.prototxt');
const deploy = path.join(root, 'deploy.prototxt');
const TRAIN_VAL = `name: "net"
layer { name: "data" type: "Data" top: "data" top: "label"
  data_param { source: "train_db" batch_size: 32 backend: LMDB } transform_param { mean_file: "mean.binaryproto" } }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv" convolution_param { num_output: 8 kernel_size: 5 } }
layer { name: "ip" type: "InnerProduct" bottom: "conv" top: "ip" inner_product_param { num_output: 10 } }
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "ip" bottom: "label" top: "loss" }
`;
const DEPLOY = (side: number) => `input: "data"\ninput_shape { dim: 1 dim: 3 dim: ${side} dim: ${side} }\n`;
let server: TestServer;

before(async () => {
  fs.writeFileSync(trainVal, TRAIN_VAL);
  fs.writeFileSync(deploy, DEPLOY(28));
  server = await startServer({ rootPath: root });
});
after(async () => {
  await server.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

// Shape problems that follow the size borrowed from the deploy net are warnings that say so.
const shapeErrors = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'kernel-too-large');

test('a deploy net too small for the convolution makes a shape warning, gone when the file is fixed', async () => {
  const uri = fileUri(trainVal);
  server.open(uri, TRAIN_VAL);
  assert.deepEqual(shapeErrors(await server.diagnostics(uri)), []);
  const hover = (await server.connection.sendRequest('textDocument/hover', {
    textDocument: { uri },
    position: { line: 3, character: 63 },
  })) as { contents: { value: string } } | null;
  assert.match(hover?.contents.value ?? '', /32×8×24×24/);

  fs.writeFileSync(deploy, DEPLOY(4));
  await server.connection.sendNotification('workspace/didChangeWatchedFiles', {
    changes: [{ uri: fileUri(deploy), type: 2 }],
  });
  const broken = shapeErrors(await server.diagnostics(uri, (p) => shapeErrors(p.diagnostics).length > 0));
  assert.equal(broken.length, 1);
  assert.equal(broken[0].range.start.line, 3);
  assert.equal(broken[0].severity, 2);
  assert.match(String(broken[0].message), /padded input 4 /);
  assert.match(String(broken[0].message), /taken from deploy\.prototxt beside it/);

  fs.writeFileSync(deploy, DEPLOY(28));
  await server.connection.sendNotification('workspace/didChangeWatchedFiles', {
    changes: [{ uri: fileUri(deploy), type: 2 }],
  });
  await server.diagnostics(uri, (p) => shapeErrors(p.diagnostics).length === 0 && p.version === 1);
});
