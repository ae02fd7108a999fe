// Tops learned from a Python layer are forgotten when that layer's module changes: an edit of the
// module's file (an open Python document here) drops them, the client is told which document's
// shapes changed, and the layers after it are unknown again.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { InlayHint } from 'vscode-languageserver-protocol';
import { fileUri, repoRoot, startServer, type TestServer } from '../helpers/lsp-client';

const root = path.join(repoRoot, 'test/fixtures/python-workspaces/faster-rcnn');
const pyFile = path.join(root, 'lib/rpn/proposal_layer.py');
const otherPy = path.join(root, 'lib/roi_data_layer/layer.py');
const netUri = fileUri(path.join(root, 'models/learned-shapes.prototxt'));
const NET = `name: "n"
layer { name: "in" type: "Input" top: "data" input_param { shape { dim: 1 dim: 4 } } }
layer { name: "prop" type: "Python" bottom: "data" top: "rois"
  python_param { module: "rpn.proposal_layer" layer: "ProposalLayer" } }
layer { name: "ip" type: "InnerProduct" bottom: "rois" top: "ip" inner_product_param { num_output: 3 } }
`;

let server: TestServer;
const changed: string[] = [];
before(async () => {
  server = await startServer({
    rootPath: root,
    capabilities: { workspace: { inlayHint: { refreshSupport: true } } },
  });
  server.connection.onRequest('workspace/inlayHint/refresh', () => null);
  server.connection.onNotification('prototxt/shapesChanged', (p: { uri: string }) => {
    changed.push(p.uri);
  });
  // The Python index is ready once a layer whose class is missing is reported.
  const probe = fileUri(path.join(root, 'models/probe.prototxt'));
  server.open(
    probe,
    'layer { name: "p" type: "Python" top: "t" python_param { module: "rpn.proposal_layer" layer: "Nope" } }\n',
  );
  await server.diagnostics(probe, (p) => p.diagnostics.some((d) => d.code === 'python-class-not-found'));
});
after(async () => {
  await server.stop();
});

async function hints(): Promise<string[]> {
  const found = (await server.connection.sendRequest('textDocument/inlayHint', {
    textDocument: { uri: netUri },
    range: { start: { line: 0, character: 0 }, end: { line: 99, character: 0 } },
  })) as InlayHint[];
  return found.map((h) => String(h.label));
}

async function until(what: string, ok: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await ok()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('editing another module keeps the learned tops; editing the layer module forgets them', async () => {
  server.open(netUri, NET);
  await server.diagnostics(netUri);
  const learned = await server.connection.sendRequest('prototxt/pythonLayerShapes', {
    uri: netUri,
    layerName: 'prop',
    phase: 'TRAIN',
    bottomShapes: [[1, 4]],
    topShapes: [[300, 5]],
    module: 'rpn.proposal_layer',
    layerClass: 'ProposalLayer',
    paramStr: '',
  });
  assert.deepEqual(learned, { accepted: true });
  assert.ok((await hints()).includes('TRAIN 300×3 · TEST ?'), (await hints()).join(' | '));

  server.open(fileUri(otherPy), readFileSync(otherPy, 'utf8'), 'python');
  server.open(fileUri(pyFile), readFileSync(pyFile, 'utf8'), 'python');
  await until('the shapesChanged notification', () => changed.includes(netUri));
  assert.deepEqual(changed, [netUri]);
  const after = await hints();
  assert.ok(!after.some((h) => h.includes('300')), after.join(' | '));
});
