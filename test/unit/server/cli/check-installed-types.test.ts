// `check --python PATH` asks that interpreter's pycaffe which layer types its Caffe registers; without
// --python no interpreter is run at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../../../server/src/cli/commands';
import { BVLC_LAYER_TYPES } from '../../../../server/src/schema/layer-types';
import { fakePycaffe } from '../../../helpers/fake-pycaffe';
import { needs, SYSTEM_PYTHON } from '../../../helpers/resources';

const NET = `name: "n"
layer { name: "in" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 } } }
layer { name: "py" type: "Python" bottom: "data" top: "p" python_param { module: "m" layer: "L" } }
layer { name: "r" type: "ReLU" bottom: "p" top: "p" }
`;
const skip = process.platform === 'win32' ? { skip: 'POSIX shell scripts' } : needs('python');

async function run(cwd: string, ...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd });
  return { code, out, err };
}

function workspace(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'check-types-'));
  writeFileSync(path.join(dir, 'net.prototxt'), NET);
  return dir;
}

test('check --python: a type the installed Caffe lacks is reported as Caffe reports it', skip, async () => {
  const dir = workspace();
  const fake = fakePycaffe(BVLC_LAYER_TYPES.map((l) => l.type).filter((t) => t !== 'Python'));
  const saved = process.env.PYTHONPATH;
  delete process.env.PYTHONPATH;
  try {
    const argv = ['check', '--root', dir, '--python', SYSTEM_PYTHON, '--python-path', fake.dir];
    const { out, err } = await run(dir, ...argv, 'net.prototxt');
    assert.equal(err, 'caffe-prototxt check: 1 file checked: 2 warnings\n');
    const lines = out.split('\n').filter((l) => l.includes('[layer-type-not-registered]'));
    assert.equal(lines.length, 1, out);
    assert.match(
      lines[0],
      /^net\.prototxt:3:26: warning: Unknown layer type: Python: the Caffe that \/usr\/bin\/python3 imports was built without WITH_PYTHON_LAYER/,
    );
    // Without --python the same files are checked without it.
    const plain = await run(dir, 'check', '--root', dir, '--python-path', fake.dir, 'net.prototxt');
    assert.doesNotMatch(plain.out, /layer-type-not-registered/);
  } finally {
    if (saved !== undefined) process.env.PYTHONPATH = saved;
    fake.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('check --python: an interpreter without caffe is a note; a missing one is bad usage', skip, async () => {
  const dir = workspace();
  const saved = process.env.PYTHONPATH;
  delete process.env.PYTHONPATH;
  try {
    const none = await run(dir, 'check', '--root', dir, '--python', SYSTEM_PYTHON, 'net.prototxt');
    assert.match(none.err, /layer types are not checked against the installed Caffe: caffe does not import/);
    assert.doesNotMatch(none.out, /layer-type-not-registered/);
    assert.equal(none.code, 0);
    const missing = await run(dir, 'check', '--python', path.join(dir, 'no-python'), 'net.prototxt');
    assert.equal(missing.code, 2);
    assert.match(missing.err, /--python: .*no-python was not found/);
  } finally {
    if (saved !== undefined) process.env.PYTHONPATH = saved;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('check without --python runs no interpreter', skip, async () => {
  const dir = workspace();
  const bin = mkdtempSync(path.join(os.tmpdir(), 'check-bin-'));
  const marker = path.join(bin, 'ran');
  for (const name of ['python3', 'python']) {
    writeFileSync(path.join(bin, name), `#!/bin/sh\ntouch ${marker}\nexec ${SYSTEM_PYTHON} "$@"\n`);
    chmodSync(path.join(bin, name), 0o755);
  }
  const savedPath = process.env.PATH;
  process.env.PATH = `${bin}${path.delimiter}${savedPath ?? ''}`;
  try {
    const { out } = await run(dir, 'check', '--root', dir, 'net.prototxt');
    assert.match(out, /net\.prototxt/);
    assert.equal(existsSync(marker), false);
  } finally {
    process.env.PATH = savedPath;
    rmSync(bin, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});
