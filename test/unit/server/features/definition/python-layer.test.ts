import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Cursor } from '../../../../../server/src/features/context';
import { pythonLayerDefinition } from '../../../../../server/src/features/definition/python-layer';
import { inputAt, markIn, workspaceOf } from '../python-fixture';

async function definitionAt(ws: string, rel: string, needle: string, shift = 1) {
  const { root, python } = await workspaceOf(ws);
  const { input, position } = inputAt(root, rel, markIn(root, rel, needle, shift));
  const result = pythonLayerDefinition(new Cursor(input, position), python);
  return { root, result };
}
const where = (root: string, r: { uri: string; range: { start: { line: number } } }) =>
  `${path.relative(root, fileURLToPath(r.uri)).split(path.sep).join('/')}:${r.range.start.line}`;

const FRCNN = 'models/pascal_voc/VGG16/faster_rcnn_end2end/train.prototxt';

test('faster-rcnn: layer: "ProposalLayer" lands on the class in lib/rpn (found through _init_paths.py)', async () => {
  const { root, result } = await definitionAt('faster-rcnn', FRCNN, "'ProposalLayer'", 3);
  assert.deepEqual(
    result?.map((r) => where(root, r)),
    ['lib/rpn/proposal_layer.py:7'],
  );
});

test('faster-rcnn: the module value opens the module; the layer name and type: "Python" open the class', async () => {
  const mod = await definitionAt('faster-rcnn', FRCNN, "'rpn.proposal_layer'");
  assert.deepEqual(
    mod.result?.map((r) => where(mod.root, r)),
    ['lib/rpn/proposal_layer.py:0'],
  );
  const name = await definitionAt('faster-rcnn', FRCNN, "'proposal'");
  assert.deepEqual(
    name.result?.map((r) => where(name.root, r)),
    ['lib/rpn/proposal_layer.py:7'],
  );
});

test('fcn: a root module beside the net folder', async () => {
  const { root, result } = await definitionAt('fcn', 'voc-fcn32s/train.prototxt', '"VOCSegDataLayer"');
  assert.deepEqual(
    result?.map((r) => where(root, r)),
    ['voc_layers.py:6'],
  );
});

test('package path: mypkg.layers.clustering', async () => {
  const { root, result } = await definitionAt(
    'package',
    'models/detectnet/deploy.prototxt',
    '"ClusterDetections"',
  );
  assert.deepEqual(
    result?.map((r) => where(root, r)),
    ['mypkg/layers/clustering.py:3'],
  );
});

test('a module beside the prototxt wins over one at the root', async () => {
  const { root, result } = await definitionAt('beside', 'nets/my_net/train.prototxt', '"ScaleLayer"');
  assert.deepEqual(
    result?.map((r) => where(root, r)),
    ['nets/my_net/my_layers.py:3'],
  );
});

test("in a solver's embedded net the layer class is found as in a net file", async () => {
  const { root, python } = await workspaceOf('fcn');
  const net = markIn(root, 'voc-fcn32s/train.prototxt', '"VOCSegDataLayer"', 1);
  // The same net held by a solver beside it: offsets move, the module resolves from the same folder.
  const solver = `base_lr: 1e-10\nlr_policy: "fixed"\nnet_param {\n${net}}\n`;
  const { input, position } = inputAt(root, 'voc-fcn32s/solver-embedded.prototxt', solver);
  const result = pythonLayerDefinition(new Cursor(input, position), python);
  assert.deepEqual(
    result?.map((r) => where(root, r)),
    ['voc_layers.py:6'],
  );
});

test('elsewhere the generic definition answers (undefined)', async () => {
  const { result } = await definitionAt('faster-rcnn', FRCNN, "'rpn_rois'");
  assert.equal(result, undefined);
});

test('a module off the search path: the module and the class open in the file its warning names', async () => {
  const { root, python } = await workspaceOf('package');
  const text = (marked: string) =>
    `layer {\n  name: "c"\n  type: "Python"\n  top: "t"\n  python_param {\n${marked}  }\n}\n`;
  const at = async (marked: string) => {
    const { input, position } = inputAt(root, 'models/net.prototxt', text(marked));
    return pythonLayerDefinition(new Cursor(input, position), python)?.map((r) => where(root, r));
  };
  assert.deepEqual(await at('    module: "clus<|>tering"\n    layer: "ClusterDetections"\n'), [
    'mypkg/layers/clustering.py:0',
  ]);
  assert.deepEqual(await at('    module: "clustering"\n    layer: "Cluster<|>Detections"\n'), [
    'mypkg/layers/clustering.py:3',
  ]);
  // A class the file lacks: nothing to open.
  assert.deepEqual(await at('    module: "clustering"\n    layer: "No<|>Such"\n'), []);
});
