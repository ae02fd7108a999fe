// A repository's proto of additions (PSANet's layer, built on PSPNet's Caffe) goes into the shipped
// schema chosen for its nets: the net is checked against both, and the status names both.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ListSchemasResult } from '../../common/protocol';
import { fileUri, startServer, type TestServer } from '../helpers/lsp-client';

let server: TestServer;
let root = '';

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-additions-'));
  fs.mkdirSync(path.join(root, 'src/caffe/proto'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'src/caffe/proto/caffe.proto'),
    'message LayerParameter {\n  optional AttentionParameter attention_param = 1001;\n}\n' +
      'message AttentionParameter {\n  optional uint32 mask_h = 1;\n}\n',
  );
  fs.mkdirSync(path.join(root, 'models'));
  server = await startServer({
    rootPath: root,
    configuration: (section) => (section === 'prototxt' ? { schema: { paths: ['bundled:pspnet'] } } : null),
  });
});
after(async () => {
  await server.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

test("the chosen fork with the repository's additions: both known, the status names both", async () => {
  const file = path.join(root, 'models', 'net.prototxt');
  const text =
    'input: "x"\ninput_shape { dim: 1 dim: 4 dim: 8 dim: 8 }\n' +
    'layer { name: "bn" type: "BN" bottom: "x" top: "y" bn_param { momentum: 0.9 } }\n' +
    'layer { name: "a" type: "ReLU" bottom: "y" top: "z" attention_param { mask_x: 3 } }\n';
  fs.writeFileSync(file, text);
  const uri = fileUri(file);
  server.open(uri, text);
  // The settings arrive after the server starts: the diagnostics made once the fork is in use.
  const diagnostics = await server.diagnostics(uri, (p) =>
    p.diagnostics.every((d) => d.code !== 'fork-field' && d.code !== 'unknown-layer-type'),
  );
  // PSPNet's BN and the layer's block are known; a typo inside the block is still one.
  assert.deepEqual(
    diagnostics.filter((d) => d.severity === 1).map((d) => d.message),
    ['Message type "caffe.AttentionParameter" has no field named "mask_x". Did you mean "mask_h"?'],
  );
  const list = (await server.connection.sendRequest('prototxt/listSchemas', { uri })) as ListSchemasResult;
  assert.equal(list.current?.setting, 'bundled:pspnet');
  assert.equal(
    list.current?.label,
    `PSPNet (hszhao/PSPNet) (bundled) + ${path.basename(root)}/…/caffe.proto`,
  );
});
