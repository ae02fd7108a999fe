// The built CLI keeps a large caffe.proto's reading and the Python layers' analyses between runs
// (util/disk-cache): a second `check` gives the same report from the kept results, and an edited file
// is read afresh, never from a stale entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../helpers/lsp-client';

/** A Caffe schema of more than 16 KB (smaller ones are read each time), its size from documentation. */
function largeProto(): string {
  const doc = Array.from(
    { length: 300 },
    (_, i) => `// Documentation line ${i} of a schema kept as large as Caffe's own.`,
  );
  return [
    'syntax = "proto2";',
    'package caffe;',
    ...doc,
    'message NetParameter { optional string name = 1; repeated LayerParameter layer = 100; }',
    'message LayerParameter {',
    '  optional string name = 1; optional string type = 2;',
    '  repeated string bottom = 3; repeated string top = 4;',
    '  optional PythonParameter python_param = 130;',
    '}',
    'message PythonParameter {',
    '  optional string module = 1; optional string layer = 2;',
    "  optional string param_str = 3 [default = ''];",
    '}',
    '',
  ].join('\n');
}

const LAYER = (name: string) =>
  `import caffe\n\nclass ${name}(caffe.Layer):\n    def setup(self, bottom, top):\n        pass\n\n` +
  '    def reshape(self, bottom, top):\n        top[0].reshape(1)\n\n' +
  '    def forward(self, bottom, top):\n        pass\n\n' +
  '    def backward(self, top, propagate_down, bottom):\n        pass\n';

test('a second check reads the kept schema and Python analyses back, and an edited file afresh', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-cache-'));
  try {
    const work = path.join(dir, 'work');
    const cache = path.join(dir, 'cache');
    fs.mkdirSync(work);
    fs.writeFileSync(path.join(work, 'caffe.proto'), largeProto());
    fs.writeFileSync(path.join(work, 'mylayer.py'), LAYER('MyLayer'));
    fs.writeFileSync(
      path.join(work, 'net.prototxt'),
      'name: "n"\nlayer {\n  name: "py"\n  type: "Python"\n  top: "out"\n' +
        '  python_param { module: "mylayer" layer: "MyLayer" }\n}\n',
    );
    const check = () => {
      const run = spawnSync(
        process.execPath,
        [
          path.join(repoRoot, 'bin/caffe-prototxt.js'),
          'check',
          '--root',
          work,
          '--schema',
          'caffe.proto',
          'net.prototxt',
        ],
        {
          cwd: work,
          encoding: 'utf8',
          env: { ...process.env, CAFFE_PROTOTXT_CACHE: cache, CAFFE_PROTOTXT_NO_CACHE: '' },
        },
      );
      return { status: run.status, out: run.stdout + run.stderr };
    };
    const first = check();
    assert.equal(first.status, 0, first.out);
    const kept = (kind: string) => fs.readdirSync(path.join(cache, 'results', kind)).length;
    assert.equal(kept('proto'), 1);
    assert.ok(kept('python-module') >= 1);
    assert.deepEqual(check(), first);
    // The class renamed: the layer's class is now missing, which only a fresh analysis can tell.
    fs.writeFileSync(path.join(work, 'mylayer.py'), LAYER('Renamed'));
    const edited = check();
    assert.notEqual(edited.status, 0);
    assert.match(edited.out, /MyLayer/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
