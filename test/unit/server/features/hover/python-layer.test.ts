import { test } from 'node:test';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import type { CompletionItem, MarkupContent } from 'vscode-languageserver';
import { Cursor } from '../../../../../server/src/features/context';
import { pythonLayerCompletion } from '../../../../../server/src/features/completion/python-layer';
import { pythonLayerHover } from '../../../../../server/src/features/hover/python-layer';
import { FIXTURES, inputAt, markIn, workspaceOf } from '../python-fixture';

const FRCNN = 'models/pascal_voc/VGG16/faster_rcnn_end2end/train.prototxt';
const layer = (body: string) =>
  `layer {\n  name: "x"\n  type: "Python"\n  top: "t"\n  python_param {\n${body}  }\n}\n`;

async function completeAt(ws: string, rel: string, marked: string) {
  const { root, python } = await workspaceOf(ws);
  const { input, position } = inputAt(root, rel, marked);
  return {
    input,
    items: pythonLayerCompletion(new Cursor(input, position), python),
  };
}
const newText = (i: CompletionItem) => (i.textEdit as { newText: string }).newText;

test('hover on param_str shows the value as the layer sees it, and the keys the class reads', async () => {
  const { root, python } = await workspaceOf('fcn');
  const { input, position } = inputAt(
    root,
    'voc-fcn32s/train.prototxt',
    markIn(root, 'voc-fcn32s/train.prototxt', 'seed'),
  );
  const hover = pythonLayerHover(new Cursor(input, position), python);
  const value = (hover?.contents as MarkupContent).value;
  assert.match(value, /VOCSegDataLayer reads it as a Python literal/);
  assert.match(value, /'mean': \(104\.00699, 116\.66877, 122\.67892\)/);
  assert.match(value, /voc_dir \(required\)/);
  assert.match(value, /randomize = True/);
});

test('hover on module lists the winning file and the shadowed ones', async () => {
  const { root, python } = await workspaceOf('beside');
  const rel = 'nets/my_net/train.prototxt';
  const { input, position } = inputAt(root, rel, markIn(root, rel, 'my_layers', 1));
  const value = (pythonLayerHover(new Cursor(input, position), python)?.contents as MarkupContent).value;
  assert.match(value, /Module file: nets\/my_net\/my_layers\.py/);
  assert.match(value, /Also matches \(shadowed\): my_layers\.py/);
});

test('module: completion lists indexed layer modules dotted from the resolution roots', async () => {
  const { items } = await completeAt(
    'faster-rcnn',
    FRCNN,
    markIn(path.join(FIXTURES, 'faster-rcnn'), FRCNN, "rpn.proposal_layer'", 1),
  );
  const labels = items!.map((i) => i.label);
  assert.ok(labels.includes('rpn.proposal_layer'), labels.join(', '));
  assert.ok(labels.includes('roi_data_layer.layer'), labels.join(', '));
  assert.ok(!labels.some((l) => l.includes('pyenv38') || l.startsWith('build')), labels.join(', '));
});

test('layer: completion puts the module classes first; without a value it inserts quotes', async () => {
  const { items } = await completeAt(
    'package',
    'models/detectnet/deploy.prototxt',
    layer('    module: "mypkg.layers.clustering"\n    layer: <|>\n'),
  );
  assert.deepEqual(items!.map((i) => i.label).sort(), ['ClusterDetections', 'RefinedClusterDetections']);
  assert.equal(newText(items!.find((i) => i.label === 'ClusterDetections')!), '"ClusterDetections"');
});

test('param_str completion offers the keys not yet written, in the string format, escaped for the literal', async () => {
  const { items } = await completeAt(
    'fcn',
    'voc-fcn32s/train.prototxt',
    layer(`    module: "voc_layers"\n    layer: "VOCSegDataLayer"\n    param_str: "{'voc_dir': 'd', <|>}"\n`),
  );
  const labels = items!.map((i) => i.label);
  assert.ok(!labels.includes('voc_dir'));
  assert.deepEqual(labels.slice(0, 2).sort(), ['mean', 'split']);
  const random = items!.find((i) => i.label === 'randomize')!;
  assert.equal(newText(random), "'randomize': True");
  assert.equal(random.detail, 'default: True');
  const single = await completeAt(
    'package',
    'models/detectnet/deploy.prototxt',
    layer(`    module: "mypkg.layers.clustering"\n    layer: "ClusterDetections"\n    param_str: '{<|>}'\n`),
  );
  assert.equal(newText(single.items!.find((i) => i.label === 'threshold')!), '"threshold": 0.5');
  const double = await completeAt(
    'package',
    'models/detectnet/deploy.prototxt',
    layer(`    module: "mypkg.layers.clustering"\n    layer: "ClusterDetections"\n    param_str: "{<|>}"\n`),
  );
  assert.equal(newText(double.items!.find((i) => i.label === 'threshold')!), '\\"threshold\\": 0.5');
});

test('outside python_param the generic completion answers', async () => {
  const { items } = await completeAt(
    'fcn',
    'voc-fcn32s/train.prototxt',
    layer('    module: "voc_layers"\n').replace('name: "x"', 'name: "<|>x"'),
  );
  assert.equal(items, undefined);
});
