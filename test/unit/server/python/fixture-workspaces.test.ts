// The fixture workspaces on disk (test/fixtures/python-workspaces), indexed through the real file system:
// each prototxt's `module`/`layer` must lead to its class, as Ctrl+click on `layer:` will.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createNodeFileSystem } from '../../../../server/src/python/file-system';
import { createPythonParser } from '../../../../server/src/python/parser';
import { PythonIndex } from '../../../../server/src/python/workspace-index';
import { repoRoot } from '../../../helpers/paths';

const FIXTURES = path.join(repoRoot, 'test/fixtures/python-workspaces');
const parserReady = createPythonParser();

async function workspace(name: string) {
  const root = path.join(FIXTURES, name);
  const index = new PythonIndex({ fs: createNodeFileSystem(), parser: await parserReady, roots: [root] });
  await index.build();
  const rel = (f: string | undefined) =>
    f === undefined ? undefined : path.relative(root, f).split(path.sep).join('/');
  return { root, index, rel };
}

/** The `module` and `layer` values of a prototxt's python_param blocks (a plain reader, enough here). */
function pythonParams(file: string): { module: string; layer: string }[] {
  const text = readFileSync(file, 'utf8');
  const out: { module: string; layer: string }[] = [];
  const re = /module:\s*["']([^"']+)["']\s*layer:\s*["']([^"']+)["']/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ module: m[1], layer: m[2] });
  return out;
}

function assertLayerResolves(
  index: PythonIndex,
  prototxt: string,
  expectedFiles: string[],
  rel: (f?: string) => unknown,
) {
  const params = pythonParams(prototxt);
  assert.equal(params.length, expectedFiles.length, `python layers in ${prototxt}`);
  params.forEach((p, i) => {
    const r = index.resolveModule(p.module, path.dirname(prototxt));
    assert.equal(rel(r.file), expectedFiles[i], `module ${p.module}`);
    assert.ok(r.file && index.findClass(r.file, p.layer), `class ${p.layer} in ${p.module}`);
    assert.equal(index.isLayerClass(r.file, p.layer), true, `${p.layer} is a caffe.Layer`);
  });
}

test('py-faster-rcnn layout: lib/ on sys.path through tools/_init_paths.py add_path', async () => {
  const { root, index, rel } = await workspace('faster-rcnn');
  assert.deepEqual(
    index.sysPathFolders().map((f) => rel(f)),
    ['caffe-fast-rcnn/python', 'lib'],
  );
  assert.deepEqual(
    index.layerClasses().map((l) => `${rel(l.file)}:${l.cls.name}`),
    [
      'lib/roi_data_layer/layer.py:RoIDataLayer',
      'lib/rpn/anchor_target_layer.py:AnchorTargetLayer',
      'lib/rpn/proposal_layer.py:ProposalLayer',
    ],
  );
  assert.ok(
    !index.files().some((f) => /venv|pyenv38|build/.test(rel(f) ?? '')),
    'virtualenvs and build skipped',
  );
  const prototxt = path.join(root, 'models/pascal_voc/VGG16/faster_rcnn_end2end/train.prototxt');
  assertLayerResolves(index, prototxt, ['lib/roi_data_layer/layer.py', 'lib/rpn/proposal_layer.py'], rel);

  const proposal = index.findClass(path.join(root, 'lib/rpn/proposal_layer.py'), 'ProposalLayer');
  assert.equal(proposal?.paramReads[0].format, 'yaml');
  assert.equal(proposal?.paramReads[0].attribute, 'param_str_');
  assert.deepEqual(
    proposal?.paramKeys.map((k) => [k.name, k.required, k.default ?? null]),
    [
      ['feat_stride', true, null],
      ['scales', false, '(8, 16, 32)'],
    ],
  );
  const modules = index
    .layerModules(path.dirname(prototxt))
    .map((m) => [rel(m.file), m.names[0], m.classes.map((c) => c.name).join(',')]);
  assert.deepEqual(modules, [
    ['lib/roi_data_layer/layer.py', 'roi_data_layer.layer', 'RoIDataLayer'],
    ['lib/rpn/anchor_target_layer.py', 'rpn.anchor_target_layer', 'AnchorTargetLayer'],
    ['lib/rpn/proposal_layer.py', 'rpn.proposal_layer', 'ProposalLayer'],
  ]);
  const anchor = index.findClass(path.join(root, 'lib/rpn/anchor_target_layer.py'), 'AnchorTargetLayer');
  assert.deepEqual(anchor?.methods.find((m) => m.name === 'backward')?.parameters, [
    'self',
    'top',
    'propagate_down',
  ]);
});

test('fcn layout: a root module read with eval(self.param_str)', async () => {
  const { root, index, rel } = await workspace('fcn');
  assert.deepEqual(
    index.layerClasses().map((l) => `${rel(l.file)}:${l.cls.name}`),
    ['voc_layers.py:VOCSegDataLayer'],
  );
  assertLayerResolves(index, path.join(root, 'voc-fcn32s/train.prototxt'), ['voc_layers.py'], rel);
  const cls = index.findClass(path.join(root, 'voc_layers.py'), 'VOCSegDataLayer');
  assert.equal(cls?.paramReads[0].format, 'eval');
  assert.equal(cls?.evalCalls.length, 1);
  assert.deepEqual(
    cls?.paramKeys.map((k) => [k.name, k.required, k.default ?? null]),
    [
      ['voc_dir', true, null],
      ['split', true, null],
      ['mean', true, null],
      ['randomize', false, 'True'],
      ['seed', false, 'None'],
      ['crop', false, null],
    ],
  );
  assert.deepEqual(index.sysPathFolders(), [path.join(root, 'python')], "solve.py's '../python'");
});

test('package layout: mypkg.layers.clustering, subclass of a subclass, re-exported through __init__', async () => {
  const { root, index, rel } = await workspace('package');
  assertLayerResolves(
    index,
    path.join(root, 'models/detectnet/deploy.prototxt'),
    ['mypkg/layers/clustering.py'],
    rel,
  );
  const names = index.layerClasses().map((l) => `${rel(l.file)}:${l.cls.name}`);
  assert.deepEqual(names.sort(), [
    'models/detectnet/custom_loss.py:CustomLoss',
    'mypkg/layers/base.py:JsonParamLayer',
    'mypkg/layers/clustering.py:ClusterDetections',
    'mypkg/layers/clustering.py:RefinedClusterDetections',
  ]);
  assert.equal(index.isLayerClass(path.join(root, 'mypkg/layers/clustering.py'), 'NotALayer'), false);
  const cluster = index.findClass(path.join(root, 'mypkg/layers/clustering.py'), 'ClusterDetections');
  assert.deepEqual(cluster?.paramReads, [], 'the subclass reads keys of its base, not param_str itself');
});

test('module beside the prototxt wins over a root module of the same name', async () => {
  const { root, index, rel } = await workspace('beside');
  const prototxt = path.join(root, 'nets/my_net/train.prototxt');
  assertLayerResolves(index, prototxt, ['nets/my_net/my_layers.py'], rel);
  const r = index.resolveModule('my_layers', path.dirname(prototxt));
  assert.deepEqual(
    r.others.map((f) => rel(f)),
    ['my_layers.py'],
  );
  const scale = index.findClass(path.join(root, 'nets/my_net/my_layers.py'), 'ScaleLayer');
  assert.equal(scale?.paramReads[0].format, 'float');
  assert.equal(
    index.isLayerClass(path.join(root, 'other/star.py'), 'StarLayer'),
    true,
    'from caffe import *',
  );
  const missing = index.resolveModule('no_such_module', path.dirname(prototxt));
  assert.equal(missing.file, undefined);
  assert.deepEqual(
    missing.searched.map((f) => rel(f)),
    ['nets/my_net', 'nets', ''],
  );
});
