// run-layer's checks before Python starts (.npy fills, --shape text) and its module search: as the
// editor searches (PYTHONPATH, --python-path), with a missing module told in the user's words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../../../server/src/cli/commands';
import { moduleSearch, npyBottomShapes } from '../../../../server/src/cli/commands/run-layer-inputs';
import { SYSTEM_PYTHON } from '../../common/run/helpers';
import { needs } from '../../../helpers/resources';

async function cli(cwd: string, ...args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(args, { stdout: (t) => void (out += t), stderr: (t) => void (err += t), cwd });
  return { code, out, err };
}

/** A version 1.0 .npy file of float32 zeros of `shape`. */
function npy(shape: number[]): Buffer {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const head = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(head);
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([
    head,
    Buffer.from(header, 'latin1'),
    Buffer.alloc(4 * shape.reduce((a, b) => a * b, 1)),
  ]);
}

const NET = `layer { name: "in" type: "Input" top: "a" input_param { shape { dim: 2 dim: 3 } } }
layer { name: "p" type: "Python" bottom: "a" bottom: "b" top: "o" python_param { module: "mylayers" layer: "Copy" } }
`;
const LAYER = `import caffe
class Copy(caffe.Layer):
    def setup(self, bottom, top): pass
    def reshape(self, bottom, top): top[0].reshape(*bottom[1].data.shape)
    def forward(self, bottom, top): top[0].data[...] = bottom[1].data
    def backward(self, top, propagate_down, bottom): pass
`;

function workspace(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'caffe-run-inputs-'));
  writeFileSync(path.join(dir, 'net.prototxt'), NET);
  writeFileSync(path.join(dir, 'b.npy'), npy([4, 5]));
  writeFileSync(path.join(dir, 'scalar.npy'), npy([]));
  writeFileSync(path.join(dir, 'text.npy'), 'not numpy');
  return dir;
}

test('.npy fills: each gives its bottom its shape; unusable files are named before Python starts', () => {
  const dir = workspace();
  try {
    assert.deepEqual(npyBottomShapes(['random', { npy: 'b.npy' }], 2, dir), [undefined, [4, 5]]);
    assert.deepEqual(npyBottomShapes([{ npy: 'b.npy' }], 2, dir), [
      [4, 5],
      [4, 5],
    ]);
    assert.equal(npyBottomShapes([{ npy: 'gone.npy' }], 1, dir), '--fill gone.npy: no such file');
    assert.match(
      String(npyBottomShapes([{ npy: 'text.npy' }], 1, dir)),
      /^--fill text\.npy: not a \.npy file/,
    );
    assert.match(String(npyBottomShapes([{ npy: 'scalar.npy' }], 1, dir)), /0-dimensional/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing .npy or a bad --shape is a usage error (exit 2) that names the text', async () => {
  const dir = workspace();
  try {
    const npyMissing = await cli(
      dir,
      'run-layer',
      'net.prototxt',
      '--layer',
      'p',
      '--fill',
      'random',
      '--fill',
      'gone.npy',
    );
    assert.equal(npyMissing.code, 2);
    assert.match(npyMissing.err, /--fill gone\.npy: no such file/);
    assert.doesNotMatch(npyMissing.err, /RequestError|Traceback/);
    const shape = await cli(dir, 'run-layer', 'net.prototxt', '--layer', 'p', '--shape', 'x');
    assert.equal(shape.code, 2);
    assert.match(shape.err, /"x" is not a shape/);
    assert.equal(shape.err.match(/Usage:/g)?.length, 1, 'the usage is printed once');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the module search has PYTHONPATH and --python-path after the net folder and its workspace', () => {
  const search = moduleSearch('/w/nets/a/net.prototxt', '/w', '/w', ['extra'], { PYTHONPATH: '/p1:/p2' });
  assert.equal(search.prototxtDir, '/w/nets/a');
  assert.deepEqual(search.workspaceRoots, ['/w']);
  assert.deepEqual(search.extraPaths, ['/w/extra', '/p1', '/p2']);
});

test(
  'runs: a module on --python-path imports; a missing one is told in words, not as a traceback',
  needs('python'),
  async () => {
    const dir = workspace();
    const lib = mkdtempSync(path.join(os.tmpdir(), 'caffe-run-lib-'));
    try {
      const base = [
        'run-layer',
        'net.prototxt',
        '--layer',
        'p',
        '--python',
        SYSTEM_PYTHON,
        '--pycaffe',
        'never',
      ];
      const missing = await cli(dir, ...base, '--fill', 'random', '--fill', 'b.npy');
      assert.equal(missing.code, 1);
      assert.match(missing.err, /the layer's module could not be imported .*module "mylayers" was not found/);
      assert.match(missing.err, /--python-path DIR/);
      assert.doesNotMatch(missing.out + missing.err, /importlib|_bootstrap/);
      writeFileSync(path.join(lib, 'mylayers.py'), LAYER);
      const found = await cli(dir, ...base, '--fill', 'random', '--fill', 'b.npy', '--python-path', lib);
      assert.equal(found.code, 0, found.out + found.err);
      assert.match(found.out, /o: 4×5 float32/);
      assert.doesNotMatch(found.err, /not found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(lib, { recursive: true, force: true });
    }
  },
);

test(
  "runs: a module on a folder the workspace's scripts put on sys.path imports, as check finds it; one off every path is named",
  needs('python'),
  async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'caffe-run-syspath-'));
    try {
      for (const sub of ['nets', 'lib', 'tools']) mkdirSync(path.join(dir, sub));
      writeFileSync(path.join(dir, 'nets', 'net.prototxt'), NET);
      writeFileSync(path.join(dir, 'lib', 'mylayers.py'), LAYER);
      const run = () =>
        cli(
          dir,
          'run-layer',
          'nets/net.prototxt',
          '--layer',
          'p',
          '--shape',
          '4,5',
          '--python',
          SYSTEM_PYTHON,
          '--pycaffe',
          'never',
        );
      const off = await run();
      assert.equal(off.code, 1);
      assert.match(
        off.err,
        new RegExp(
          `${path.join('lib', 'mylayers.py').replace(/\\/g, '\\\\')} is that module: add --python-path lib`,
        ),
      );
      // py-faster-rcnn's way: a script beside the tools puts ../lib on sys.path.
      writeFileSync(
        path.join(dir, 'tools', '_init_paths.py'),
        "import os.path as osp\nimport sys\nsys.path.insert(0, osp.join(osp.dirname(__file__), '..', 'lib'))\n",
      );
      const found = await run();
      assert.equal(found.code, 0, found.out + found.err);
      assert.match(found.out, /o: 4×5 float32/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
