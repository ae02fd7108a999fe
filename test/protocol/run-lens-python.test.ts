import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CodeLens } from 'vscode-languageserver';
import type { RunLayerArgs } from '../../common/protocol';
import { fileUri, repoRoot, startServer, type TestServer } from '../helpers/lsp-client';

const root = path.join(repoRoot, 'test/fixtures/python-workspaces/faster-rcnn');
const netFile = path.join(root, 'models/pascal_voc/VGG16/faster_rcnn_end2end/train.prototxt');
const scratch = path.join(root, 'models/scratch-run.prototxt');

let server: TestServer;
before(async () => {
  server = await startServer({ rootPath: root });
  // A diagnostic that needs the Python index: once it is there, the index is ready.
  server.open(
    fileUri(scratch),
    'layer {\n  name: "p"\n  type: "Python"\n  top: "t"\n  python_param {\n    module: "rpn.proposal_layer"\n    layer: "ProposalLayr"\n  }\n}\n',
  );
  await server.diagnostics(fileUri(scratch), (p) =>
    p.diagnostics.some((d) => d.code === 'python-class-not-found'),
  );
});
after(async () => {
  await server.stop();
});

async function lensesOf(rel: string): Promise<CodeLens[]> {
  const file = path.join(root, rel);
  server.open(fileUri(file), readFileSync(file, 'utf8'), 'python');
  return server.connection.sendRequest<CodeLens[]>('textDocument/codeLens', {
    textDocument: { uri: fileUri(file) },
  });
}

test('textDocument/codeLens in a Python file: Run and Debug beside the usage count, with the usages', async () => {
  const lenses = await lensesOf('lib/rpn/proposal_layer.py');
  assert.deepEqual(
    lenses.map((l) => [l.range.start.line, l.command?.title]),
    [
      [7, '1 prototxt layer uses this layer'],
      [7, 'Run'],
      [7, 'Debug'],
    ],
  );
  assert.equal(lenses[2].command?.command, 'prototxt.debugLayer');
  assert.deepEqual(lenses[2].command?.arguments, lenses[1].command?.arguments);
  const args = lenses[1].command?.arguments?.[0] as RunLayerArgs;
  assert.equal(lenses[1].command?.command, 'prototxt.runLayer');
  assert.deepEqual(args, {
    uri: fileUri(path.join(root, 'lib/rpn/proposal_layer.py')),
    module: 'rpn.proposal_layer',
    layerClass: 'ProposalLayer',
    paramStr: '',
    phase: 'TRAIN',
    // The module's import root, then the other folders tools/_init_paths.py puts on sys.path.
    searchPaths: [path.join(root, 'lib'), path.join(root, 'caffe-fast-rcnn/python')],
    usages: [{ uri: fileUri(netFile), layerName: 'proposal', phase: 'TRAIN' }],
  });
});

test('a class no prototxt uses: imported from the folder the workspace scripts put on sys.path', async () => {
  const lenses = await lensesOf('lib/rpn/anchor_target_layer.py');
  const run = lenses.find((l) => l.command?.title === 'Run');
  const args = run?.command?.arguments?.[0] as RunLayerArgs | undefined;
  assert.equal(args?.module, 'rpn.anchor_target_layer');
  assert.deepEqual(args?.searchPaths, [path.join(root, 'lib'), path.join(root, 'caffe-fast-rcnn/python')]);
  assert.deepEqual(args?.usages, []);
});

test("the prototxt's Run layer lens imports its module from the folder a workspace script puts on sys.path", async () => {
  server.open(fileUri(netFile), readFileSync(netFile, 'utf8'));
  const lenses = await server.connection.sendRequest<CodeLens[]>('textDocument/codeLens', {
    textDocument: { uri: fileUri(netFile) },
  });
  const runs = lenses.filter((l) => l.command?.command === 'prototxt.runLayer');
  const args = runs.map((l) => l.command?.arguments?.[0] as RunLayerArgs);
  assert.deepEqual(
    args.map((a) => [a.layerName, a.module, a.searchPaths]),
    [
      ['input-data', 'roi_data_layer.layer', [path.join(root, 'lib')]],
      ['proposal', 'rpn.proposal_layer', [path.join(root, 'lib')]],
    ],
  );
});
