import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPythonParser } from '../../../../server/src/python/parser';
import { DiskCache } from '../../../../server/src/util/disk-cache';
import { indexOnDemand } from '../../../../server/src/workspace/python-demand';
import { memoryFileSystem } from '../python/memory-fs';

const ROOT = path.resolve('/ws');
const FILES: Record<string, string> = {
  [path.join(ROOT, 'tools/_init_paths.py')]:
    "import sys, os.path as osp\nsys.path.insert(0, osp.join(osp.dirname(__file__), '..', 'lib'))\n",
  [path.join(ROOT, 'lib/layers/__init__.py')]: 'from .roi import RoiLayer\n',
  [path.join(ROOT, 'lib/layers/roi.py')]:
    'import caffe, yaml\nfrom .base import Base\nclass RoiLayer(Base):\n' +
    '    def setup(self, bottom, top):\n        p = yaml.load(self.param_str)\n        self.n = p["num_classes"]\n',
  [path.join(ROOT, 'lib/layers/base.py')]: 'import caffe\nclass Base(caffe.Layer):\n    pass\n',
  [path.join(ROOT, 'lib/unused.py')]: 'class Unused(object): pass\n',
};
const NEEDS = [{ module: 'layers.roi', fromDir: path.join(ROOT, 'models') }];

async function run(results: DiskCache, files = FILES) {
  let asked = 0;
  const parser = () => (asked++, createPythonParser());
  const options = {
    fs: memoryFileSystem(files),
    parser,
    results,
    roots: [ROOT],
    extraPaths: [],
    exclude: [],
  };
  const { index } = await indexOnDemand(options, NEEDS, []);
  const analysed = index
    .files()
    .sort()
    .map((f) => index.moduleInfo(f));
  const layers = index
    .layerClasses()
    .map(
      (l) => `${path.relative(ROOT, l.file)}:${l.cls.name}:${l.cls.paramKeys.map((k) => k.name).join(',')}`,
    )
    .sort();
  return { asked, analysed, layers };
}

test('analyses kept by an earlier run are read back: the same index, and tree-sitter is never loaded', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demand-cache-'));
  try {
    const first = await run(new DiskCache({ dir, build: 'b' }));
    assert.equal(first.asked, 1);
    assert.deepEqual(first.layers, ['lib/layers/base.py:Base:', 'lib/layers/roi.py:RoiLayer:num_classes']);
    const second = await run(new DiskCache({ dir, build: 'b' }));
    assert.equal(second.asked, 0);
    // Equal as data (JSON leaves out the keys whose value is undefined), and read back as spans.
    const data = (v: unknown): unknown => JSON.parse(JSON.stringify(v));
    assert.deepEqual(data(second.analysed), data(first.analysed));
    const base = (a: typeof first.analysed) => a.find((m) => m?.classes.length)?.classes[0];
    assert.deepEqual(base(second.analysed)?.nameSpan.range, base(first.analysed)?.nameSpan.range);
    assert.deepEqual(base(second.analysed)?.nameSpan.range, {
      start: { line: 1, character: 6 },
      end: { line: 1, character: 10 },
    });
    assert.deepEqual(second.layers, first.layers);
    // An edited file is parsed again (and only then is the parser loaded); the others are read back.
    const edited = {
      ...FILES,
      [path.join(ROOT, 'lib/layers/base.py')]: 'import caffe\nclass Base(object):\n    pass\n',
    };
    const third = await run(new DiskCache({ dir, build: 'b' }), edited);
    assert.equal(third.asked, 1);
    assert.deepEqual(third.layers, []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
