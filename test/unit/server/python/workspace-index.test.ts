import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { createPythonParser } from '../../../../server/src/python/parser';
import { PythonIndex } from '../../../../server/src/python/workspace-index';
import { memoryFileSystem } from './memory-fs';

const parserReady = createPythonParser();
const ROOT = path.resolve('/ws');
const R = (p: string) => path.join(ROOT, p);

async function indexOf(files: Record<string, string>, exclude: string[] = []) {
  const abs = Object.fromEntries(Object.entries(files).map(([k, v]) => [R(k), v]));
  const fs = memoryFileSystem(abs);
  const index = new PythonIndex({ fs, parser: await parserReady, roots: [ROOT], exclude });
  await index.build();
  return { index, fs };
}

const layerNames = (index: PythonIndex) =>
  index
    .layerClasses()
    .map((l) => `${path.relative(ROOT, l.file).split(path.sep).join('/')}:${l.cls.name}`)
    .sort();

test('layer classes are found transitively across modules and through a package re-export', async () => {
  const { index } = await indexOf({
    'lib/base.py': 'import caffe as c\nclass Base(c.Layer): pass\nclass Helper(object): pass\n',
    'lib/mid.py': 'from base import Base\nclass Mid(Base): pass\nclass Plain(Helper): pass\n',
    'lib/pkg/__init__.py': 'from .top import Top\n',
    'lib/pkg/top.py': 'from ..mid import Mid\nclass Top(Mid): pass\n',
    'tools/user.py':
      'import _init_paths\nfrom pkg import Top\nclass Leaf(Top): pass\nclass NotLayer(Unknown): pass\n',
    'tools/_init_paths.py':
      "import sys, os.path as osp\nsys.path.insert(0, osp.join(osp.dirname(__file__), '..', 'lib'))\n",
  });
  assert.deepEqual(layerNames(index), [
    'lib/base.py:Base',
    'lib/mid.py:Mid',
    'lib/pkg/top.py:Top',
    'tools/user.py:Leaf',
  ]);
  assert.equal(index.isLayerClass(R('lib/base.py'), 'Helper'), false);
  assert.equal(index.isLayerClass(R('tools/user.py'), 'NotLayer'), false);
  assert.equal(index.isLayerClass(R('tools/user.py'), 'NoSuchClass'), false);
  assert.deepEqual(index.sysPathFolders(), [R('lib')]);
  assert.deepEqual(
    index.layerClassesInModule(R('lib/base.py')).map((c) => c.name),
    ['Base'],
  );
});

test("a relative sys.path folder is taken from the script's folder and from the workspace root", async () => {
  // SSH's package does sys.path.insert(0, 'lib') and is imported by main_train.py at the root.
  const { index } = await indexOf({
    'SSH/__init__.py': "import sys\nif not 'lib' in sys.path:\n    sys.path.insert(0, 'lib')\n",
    'tools/paths.py': "import sys, os\nsys.path.append(os.path.join(os.path.dirname(__file__), 'caffe'))\n",
  });
  assert.deepEqual(index.sysPathFolders(), [R('SSH/lib'), R('lib'), R('tools/caffe')]);
});

test("caffe.Layer reached through a wildcard import of a module that imports caffe (ccnn's config)", async () => {
  const { index } = await indexOf({
    'src/config.py': 'import sys\nsys.path.append("caffe/python")\nimport caffe\n',
    'src/python_layers.py':
      'from config import *\nimport numpy as np\n\nclass WeakLoss(caffe.Layer):\n    pass\n',
    'src/other.py': 'from helpers import *\n\nclass Far(caffe.Layer):\n    pass\n',
    'src/helpers.py': 'import numpy\n',
  });
  assert.equal(index.isLayerClass(R('src/python_layers.py'), 'WeakLoss'), true);
  // A wildcard module that binds no caffe gives no layer.
  assert.equal(index.isLayerClass(R('src/other.py'), 'Far'), false);
});

test('cyclic inheritance does not loop', async () => {
  const { index } = await indexOf({
    'a.py': 'from b import B\nclass A(B): pass\n',
    'b.py': 'from a import A\nclass B(A): pass\n',
  });
  assert.equal(index.isLayerClass(R('a.py'), 'A'), false);
  assert.deepEqual(index.layerClasses(), []);
});

test('update and remove change the answers incrementally', async () => {
  const { index } = await indexOf({
    'base.py': 'import caffe\nclass Base(caffe.Layer): pass\n',
    'leaf.py': 'from base import Base\nclass Leaf(Base): pass\n',
  });
  assert.equal(index.isLayerClass(R('leaf.py'), 'Leaf'), true);
  index.update(R('base.py'), 'class Base(object): pass\n');
  assert.equal(index.isLayerClass(R('leaf.py'), 'Leaf'), false, 'the base is no longer a layer');
  index.update(R('base.py'), 'from caffe import Layer\nclass Base(Layer): pass\n');
  assert.equal(index.isLayerClass(R('leaf.py'), 'Leaf'), true);
  index.remove(R('base.py'));
  assert.equal(index.isLayerClass(R('leaf.py'), 'Leaf'), false, 'the base module is gone');
  assert.equal(index.moduleInfo(R('base.py')), undefined);
  index.update(R('sub/new_layer.py'), 'import caffe\nclass New(caffe.Layer): pass\n');
  assert.deepEqual(layerNames(index), ['sub/new_layer.py:New']);
  index.remove(R('sub'));
  assert.deepEqual(index.files(), [R('leaf.py')]);
});

test('virtualenvs, node_modules, .git, build, __pycache__ and user globs are skipped', async () => {
  const layer = 'import caffe\nclass L(caffe.Layer): pass\n';
  const { index, fs } = await indexOf(
    {
      'keep/a.py': layer,
      'venv/lib/python3.8/site-packages/x.py': layer,
      '.venv/x.py': layer,
      'myenv/pyvenv.cfg': 'home = /usr/bin',
      'myenv/lib/x.py': layer,
      'env/lib/python3/x.py': layer,
      'env/bin/activate': '',
      'node_modules/p/x.py': layer,
      '.git/x.py': layer,
      'build/lib/x.py': layer,
      'keep/__pycache__/x.py': layer,
      'third_party/big/x.py': layer,
      'data/gen_x.py': layer,
      'keep/notes.txt': 'not python',
    },
    ['third_party/**', '**/gen_*.py'],
  );
  assert.deepEqual(index.files(), [R('keep/a.py')]);
  assert.deepEqual(fs.reads, [R('keep/a.py')]);
  assert.equal(index.wouldIndex(R('keep/b.py')), true);
  assert.equal(index.wouldIndex(R('node_modules/q/b.py')), false);
  assert.equal(index.wouldIndex(R('third_party/b.py')), false);
  assert.equal(index.wouldIndex(R('keep/b.txt')), false);
  assert.equal(index.wouldIndex(path.resolve('/elsewhere/b.py')), false);
});

test('build reports progress and can be cancelled', async () => {
  const files = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [R(`m${i}.py`), `x = ${i}\n`]));
  const parser = await parserReady;
  const seen: string[] = [];
  const full = new PythonIndex({ fs: memoryFileSystem(files), parser, roots: [ROOT] });
  await full.build({ onProgress: (done, total) => seen.push(`${done}/${total}`) });
  assert.deepEqual(seen, ['1/5', '2/5', '3/5', '4/5', '5/5']);
  let calls = 0;
  const cancelled = new PythonIndex({ fs: memoryFileSystem(files), parser, roots: [ROOT] });
  await cancelled.build({ isCancelled: () => ++calls > 3 });
  assert.ok(cancelled.files().length < 5);
});

test('an unreadable file is skipped, the rest is indexed', async () => {
  const fs = memoryFileSystem({ [R('a.py')]: 'import caffe\nclass A(caffe.Layer): pass\n' });
  const listed = { ...fs, listPythonFiles: async () => [R('a.py'), R('gone.py')] };
  const index = new PythonIndex({ fs: listed, parser: await parserReady, roots: [ROOT] });
  await index.build();
  assert.deepEqual(index.files(), [R('a.py')]);
});

test('extraPaths are indexed and searched first', async () => {
  const extra = path.resolve('/shared/layers');
  const fs = memoryFileSystem({
    [path.join(extra, 'rpn', 'proposal_layer.py')]: 'import caffe\nclass ProposalLayer(caffe.Layer): pass\n',
    [R('rpn/proposal_layer.py')]: 'import caffe\nclass ProposalLayer(caffe.Layer): pass\n',
  });
  const index = new PythonIndex({ fs, parser: await parserReady, roots: [ROOT], extraPaths: [extra] });
  await index.build();
  const r = index.resolveModule('rpn.proposal_layer', R('models'));
  assert.equal(r.file, path.join(extra, 'rpn', 'proposal_layer.py'));
  assert.deepEqual(r.others, [R('rpn/proposal_layer.py')]);
});
