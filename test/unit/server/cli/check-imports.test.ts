// `check --python`: a layer module whose import stops because it (or a module it imports) imports a
// module that neither the interpreter nor the workspace has. The interpreter lists what it can import
// itself; real Caffe says whether the net builds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { reportedCodes, runCliIn } from '../../../helpers/run-cli';
import { BVLC_LAYER_TYPES } from '../../../../server/src/schema/layer-types';
import { fakePycaffe } from '../../../helpers/fake-pycaffe';
import { needs, pycaffeEnv, pycaffePath, SYSTEM_PYTHON } from '../../../helpers/resources';
import { tempDir } from '../../../helpers/temp-dir';

const run = (cwd: string, ...argv: string[]) => runCliIn(cwd, argv);
const codes = reportedCodes;

const LAYER = (imports: string) =>
  `import caffe\n${imports}\n\nclass L(caffe.Layer):\n    def setup(self, bottom, top):\n        pass\n\n` +
  '    def reshape(self, bottom, top):\n        top[0].reshape(1, 2)\n\n' +
  '    def forward(self, bottom, top):\n        top[0].data[...] = 1\n\n' +
  '    def backward(self, top, propagate_down, bottom):\n        pass\n';

const NET =
  'name: "n"\nlayer {\n  name: "p"\n  type: "Python"\n  top: "t"\n  python_param { module: "layer" layer: "L" }\n}\n';

/** A workspace with the net and `layer.py` importing `imports` after caffe. */
function workspace(prefix: string, imports: string): string {
  const ws = tempDir(prefix);
  fs.writeFileSync(path.join(ws, 'net.prototxt'), NET);
  fs.writeFileSync(path.join(ws, 'layer.py'), LAYER(imports));
  return ws;
}

/** Runs `f` without the caller's PYTHONPATH (check reads it as search folders). */
async function withoutPythonPath<T>(f: () => Promise<T>): Promise<T> {
  const saved = process.env.PYTHONPATH;
  delete process.env.PYTHONPATH;
  try {
    return await f();
  } finally {
    if (saved !== undefined) process.env.PYTHONPATH = saved;
  }
}

test(
  'check --python: an import nothing provides is told in the file and on the net; what exists is not',
  needs('python'),
  async () => {
    const fake = fakePycaffe(BVLC_LAYER_TYPES.map((l) => l.type));
    try {
      const ws = workspace(
        'check-imports-',
        [
          'import os, json',
          'import numpy as np',
          'from helpers.boxes import overlaps',
          'import nsdir',
          'import built_ext',
          'import linked_pkg.sub',
          'try:',
          '    import cPickle as pickle',
          'except ImportError:',
          '    import pickle',
          "if __name__ == '__main__':",
          '    import only_when_run',
        ].join('\n'),
      );
      // A package of the workspace whose module imports what is nowhere; a namespace folder; a built
      // extension module (no .py).
      fs.mkdirSync(path.join(ws, 'helpers'));
      fs.writeFileSync(path.join(ws, 'helpers', '__init__.py'), '');
      fs.writeFileSync(
        path.join(ws, 'helpers', 'boxes.py'),
        'import easydict_nowhere\n\ndef overlaps(a, b):\n    return 0\n',
      );
      fs.mkdirSync(path.join(ws, 'nsdir'));
      fs.writeFileSync(path.join(ws, 'built_ext.cpython-311-x86_64-linux-gnu.so'), '');
      // A package reached through a link (a shared checkout of a helper library).
      const shared = tempDir('check-imports-shared-');
      fs.mkdirSync(path.join(shared, 'linked_pkg'));
      fs.writeFileSync(path.join(shared, 'linked_pkg', '__init__.py'), '');
      fs.writeFileSync(path.join(shared, 'linked_pkg', 'sub.py'), '');
      fs.symlinkSync(path.join(shared, 'linked_pkg'), path.join(ws, 'linked_pkg'));
      const argv = ['check', '--root', '.', '--python', SYSTEM_PYTHON, '--python-path', fake.dir];
      const { out, err } = await withoutPythonPath(() =>
        run(ws, ...argv, 'net.prototxt', 'helpers/boxes.py'),
      );
      assert.equal(err, 'caffe-prototxt check: 2 files checked: 2 warnings in all of them\n');
      assert.deepEqual(codes(out), [
        'net.prototxt python-import-missing',
        `${path.join('helpers', 'boxes.py')} python-import-missing`,
      ]);
      assert.match(
        out,
        /net\.prototxt:6:26: warning: Module 'layer' cannot be imported: helpers\/boxes\.py line 1 imports 'easydict_nowhere', which is neither installed for \/usr\/bin\/python3 nor on the workspace's search path \(reached through layer\.py -> helpers\/boxes\.py\)\. Caffe stops at this layer: No module named 'easydict_nowhere'\./,
      );
      assert.match(
        out,
        /boxes\.py:1:1: warning: No module named 'easydict_nowhere': this line imports 'easydict_nowhere', which is neither installed for \/usr\/bin\/python3 nor on the workspace's search path, so importing this file stops here\. Install/,
      );
      // Without --python no interpreter says what it has: nothing is told.
      const plain = await withoutPythonPath(() => run(ws, 'check', '--root', '.', 'net.prototxt'));
      assert.doesNotMatch(plain.out, /python-import-missing/);
      // Once the module is there (a folder on the search path), the import is no problem.
      fs.mkdirSync(path.join(ws, 'vendor', 'easydict_nowhere'), { recursive: true });
      fs.writeFileSync(path.join(ws, 'vendor', 'easydict_nowhere', '__init__.py'), '');
      const fixed = await withoutPythonPath(() =>
        run(ws, ...argv, '--python-path', 'vendor', 'net.prototxt'),
      );
      assert.doesNotMatch(fixed.out, /python-import-missing/);
    } finally {
      fake.dispose();
    }
  },
);

test(
  'check --python: the own import of the layer module: told at its line and on the net',
  needs('python'),
  async () => {
    const fake = fakePycaffe(BVLC_LAYER_TYPES.map((l) => l.type));
    try {
      const ws = workspace('check-imports-own-', 'import yaml\nfrom nowhere_pkg.sub import thing');
      const argv = ['check', '--root', '.', '--python', SYSTEM_PYTHON, '--python-path', fake.dir, '.'];
      const { out } = await withoutPythonPath(() => run(ws, ...argv));
      assert.deepEqual(codes(out), ['layer.py python-import-missing', 'net.prototxt python-import-missing']);
      assert.match(out, /layer\.py:3:1: warning: No module named 'nowhere_pkg'/);
      assert.match(
        out,
        /Module 'layer' cannot be imported: layer\.py line 3 imports 'nowhere_pkg\.sub': 'nowhere_pkg' is neither installed for \/usr\/bin\/python3 nor on the workspace's search path\. Caffe/,
      );
      assert.match(out, /layer\.py:3:1: .*stops here, and Caffe with it at the layers whose class is here\./);
      assert.doesNotMatch(out, /'yaml'/);
    } finally {
      fake.dispose();
    }
  },
);

test(
  'real Caffe agrees: the net does not build while the warning stands, and builds once it is gone',
  needs('pycaffe'),
  async () => {
    const ws = workspace('check-imports-caffe-', 'import json\nimport stops_here_zz');
    const build = () =>
      spawnSync(
        SYSTEM_PYTHON,
        ['-c', "import caffe; caffe.Net('net.prototxt', caffe.TEST); print('built')"],
        {
          cwd: ws,
          env: { ...pycaffeEnv(), PYTHONPATH: [pycaffePath(), ws].join(path.delimiter) },
          encoding: 'utf8',
          timeout: 120_000,
        },
      );
    const argv = [
      'check',
      '--root',
      '.',
      '--python',
      SYSTEM_PYTHON,
      '--python-path',
      pycaffePath() ?? '',
      'net.prototxt',
    ];
    const before = build();
    assert.notEqual(before.stdout.trim(), 'built');
    assert.match(before.stderr, /No module named 'stops_here_zz'/);
    const warned = await withoutPythonPath(() => run(ws, ...argv));
    assert.deepEqual(codes(warned.out), ['net.prototxt python-import-missing']);
    fs.writeFileSync(path.join(ws, 'stops_here_zz.py'), 'VALUE = 1\n');
    const after = build();
    assert.equal(after.stdout.trim(), 'built', after.stderr);
    const quiet = await withoutPythonPath(() => run(ws, ...argv));
    assert.deepEqual(codes(quiet.out), []);
  },
);

test(
  'a package of the workspace without the submodule imported from it: a Cython module not built, a module not there',
  needs('python'),
  async () => {
    const ws = workspace(
      'check-imports-cython-',
      'from utils.cython_bbox import bbox_overlaps\nfrom nms.cpu_nms import cpu_nms\nfrom utils import boxes',
    );
    const lib = path.join(ws, 'lib');
    for (const pkg of ['utils', 'nms']) {
      fs.mkdirSync(path.join(lib, pkg), { recursive: true });
      fs.writeFileSync(path.join(lib, pkg, '__init__.py'), '');
    }
    // As py-faster-rcnn's lib/setup.py: utils.cython_bbox is built from utils/bbox.pyx.
    fs.writeFileSync(
      path.join(lib, 'setup.py'),
      'from distutils.extension import Extension\n' +
        'ext_modules = [Extension("utils.cython_bbox", ["utils/bbox.pyx"]), Extension("nms.cpu_nms", ["nms/cpu_nms.pyx"])]\n',
    );
    fs.writeFileSync(path.join(lib, 'utils', 'bbox.pyx'), 'def bbox_overlaps(a, b):\n    return 0\n');
    fs.writeFileSync(path.join(lib, 'nms', 'cpu_nms.pyx'), 'def cpu_nms(d, t):\n    return d\n');
    fs.writeFileSync(path.join(lib, 'utils', 'boxes.py'), 'from .timer import Timer\n');
    // Python itself: the sources alone are no modules; nor is a module a package lacks.
    const python = (code: string) =>
      spawnSync(SYSTEM_PYTHON, ['-c', code], { env: { ...process.env, PYTHONPATH: lib }, encoding: 'utf8' })
        .stderr;
    assert.match(
      python('from utils.cython_bbox import bbox_overlaps'),
      /No module named 'utils\.cython_bbox'/,
    );
    assert.match(python('from nms.cpu_nms import cpu_nms'), /No module named 'nms\.cpu_nms'/);
    assert.match(python('import utils.boxes'), /No module named 'utils\.timer'/);
    // No interpreter is asked: what the workspace's own packages lack is known without one.
    const argv = [
      'check',
      '--root',
      '.',
      '--python-path',
      'lib',
      'net.prototxt',
      'layer.py',
      'lib/utils/boxes.py',
    ];
    const unbuilt = await withoutPythonPath(() => run(ws, ...argv));
    assert.deepEqual(codes(unbuilt.out), [
      'net.prototxt python-import-missing',
      'layer.py python-import-missing',
      'layer.py python-import-missing',
      `${path.join('lib', 'utils', 'boxes.py')} python-import-missing`,
    ]);
    assert.match(
      unbuilt.out,
      /Module 'layer' cannot be imported: layer\.py line 2 imports 'utils\.cython_bbox', an extension module lib\/setup\.py builds \(not built yet\)\. Caffe stops at this layer: No module named 'utils\.cython_bbox'\. Build it: python setup\.py build_ext --inplace in lib \(its setup\.py\); Caffe imports the built module\./,
    );
    assert.match(
      unbuilt.out,
      /layer\.py:3:1: warning: No module named 'nms\.cpu_nms': this line imports 'nms\.cpu_nms', of which only the Cython source lib\/nms\/cpu_nms\.pyx is there \(not built\), so importing this file stops here, and Caffe with it at the layers whose class is here\. Build it: python setup\.py build_ext --inplace in lib/,
    );
    // Built (the extension modules in place): the next import that stops is told, a module the
    // package lacks, reached through the package's own module.
    fs.writeFileSync(path.join(lib, 'utils', 'cython_bbox.cpython-311-x86_64-linux-gnu.so'), '');
    fs.writeFileSync(path.join(lib, 'nms', 'cpu_nms.so'), '');
    const built = await withoutPythonPath(() => run(ws, ...argv));
    assert.deepEqual(codes(built.out), [
      'net.prototxt python-import-missing',
      `${path.join('lib', 'utils', 'boxes.py')} python-import-missing`,
    ]);
    assert.match(
      built.out,
      /Module 'layer' cannot be imported: lib\/utils\/boxes\.py line 1 imports '\.timer', which the package in lib\/utils does not have \(reached through layer\.py -> lib\/utils\/boxes\.py\)\. Caffe stops at this layer: No module named 'utils\.timer'/,
    );
    assert.match(
      built.out,
      /boxes\.py:1:1: warning: No module named 'utils\.timer': this line imports '\.timer', which the package in lib\/utils does not have, so importing/,
    );
  },
);

test("Caffe's own package is not judged by the files of a checkout: whether it imports is the interpreter's answer", async () => {
  // A checkout's python/caffe before `make pycaffe`: no _caffe extension beside _caffe.cpp.
  const ws = tempDir('check-imports-pycaffe-');
  const pkg = path.join(ws, 'python', 'caffe');
  fs.mkdirSync(path.join(pkg, 'layers'), { recursive: true });
  fs.writeFileSync(path.join(pkg, '__init__.py'), 'from .pycaffe import Net\nfrom ._caffe import Layer\n');
  fs.writeFileSync(path.join(pkg, 'pycaffe.py'), 'from ._caffe import Net\n');
  fs.writeFileSync(path.join(pkg, '_caffe.cpp'), '');
  fs.writeFileSync(path.join(pkg, 'layers', '__init__.py'), '');
  fs.writeFileSync(path.join(pkg, 'layers', 'mine.py'), LAYER(''));
  fs.writeFileSync(
    path.join(ws, 'net.prototxt'),
    NET.replace('module: "layer"', 'module: "caffe.layers.mine"'),
  );
  const { out } = await withoutPythonPath(() =>
    run(ws, 'check', '--root', '.', '--python-path', 'python', 'net.prototxt'),
  );
  assert.doesNotMatch(out, /python-import-missing/);
});
