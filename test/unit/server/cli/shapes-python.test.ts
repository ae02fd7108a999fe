// `caffe-prototxt shapes --run-python`: Python layers' tops from their reshape, upstream first, with
// failures and unknown bottoms reported and inference going on past them.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../../../server/src/cli/commands';
import type { ShapesJson } from '../../../../server/src/cli/commands/shapes';
import { fixtures, SYSTEM_PYTHON } from '../../common/run/helpers';
import { needs } from '../../../helpers/resources';

const skip = needs('python');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'shapes-python-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

// Halves H and W in reshape; forward would raise (a reshape-only run never calls it).
const HALVE = `
import caffe

class Halve(caffe.Layer):
    def setup(self, bottom, top):
        pass

    def reshape(self, bottom, top):
        n, c, h, w = bottom[0].data.shape
        top[0].reshape(n, c, h // 2, w // 2)

    def forward(self, bottom, top):
        raise RuntimeError("forward must not run")

    def backward(self, top, propagate_down, bottom):
        pass
`;

const NET = `name: "py"
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 2 dim: 3 dim: 8 dim: 8 } } }
layer { name: "half" type: "Python" bottom: "data" top: "half" python_param { module: "halve_layer" layer: "Halve" } }
layer { name: "spin" type: "Python" bottom: "half" top: "spun" python_param { module: "loops_forever" layer: "LoopsForever" } }
layer { name: "again" type: "Python" bottom: "spun" top: "quarter" python_param { module: "halve_layer" layer: "Halve" } }
layer { name: "ip" type: "InnerProduct" bottom: "quarter" top: "ip" inner_product_param { num_output: 4 } }
layer { name: "fails" type: "Python" bottom: "data" top: "never" python_param { module: "setup_raises" layer: "RaisesInSetup" } }
layer { name: "after" type: "Python" bottom: "never" top: "later" python_param { module: "halve_layer" layer: "Halve" } }
`;

function setUp(): void {
  fs.writeFileSync(path.join(scratch, 'halve_layer.py'), HALVE);
  for (const name of ['loops_forever.py', 'setup_raises.py'])
    fs.copyFileSync(path.join(fixtures, name), path.join(scratch, name));
  fs.writeFileSync(path.join(scratch, 'net.prototxt'), NET);
}

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['shapes', ...argv], {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    cwd: scratch,
  });
  return { code, out, err };
}

function topOf(json: ShapesJson, layer: string): readonly (number | null)[] | null | undefined {
  return json.layers.find((l) => l.name === layer)?.tops[0]?.shape;
}

test(
  '--run-python: tops of Python layers from reshape, chained, past a layer whose forward never ends',
  skip,
  async () => {
    setUp();
    const { code, out, err } = await run('--run-python', '--python', SYSTEM_PYTHON, '--json', 'net.prototxt');
    assert.equal(code, 0, err);
    const json = JSON.parse(out) as ShapesJson;
    assert.deepEqual(topOf(json, 'half'), [2, 3, 4, 4]);
    assert.deepEqual(topOf(json, 'spin'), [2, 3, 4, 4]);
    assert.deepEqual(topOf(json, 'again'), [2, 3, 2, 2]);
    assert.deepEqual(topOf(json, 'ip'), [2, 4]);
    assert.equal(json.layers.find((l) => l.name === 'ip')?.params, 3 * 2 * 2 * 4 + 4);
    // A failing setup: unknown, said why; the layer after it has unknown bottoms.
    assert.equal(topOf(json, 'fails'), null);
    assert.equal(topOf(json, 'after'), null);
    assert.match(err, /Python layer "half": reshape gives 2×3×4×4/);
    assert.match(err, /Python layer "fails": .*setup/);
    assert.match(err, /Python layer "after": the shapes of its bottoms are unknown/);
  },
);

test('without --run-python nothing runs and the Python tops are unknown', skip, async () => {
  setUp();
  const { code, out } = await run('--json', 'net.prototxt');
  assert.equal(code, 0);
  const json = JSON.parse(out) as ShapesJson;
  assert.equal(topOf(json, 'half'), null);
  assert.equal(topOf(json, 'ip'), null);
});

test('--python alone, or an interpreter that cannot be used, is bad usage', async () => {
  setUp();
  const alone = await run('--python', SYSTEM_PYTHON, 'net.prototxt');
  assert.equal(alone.code, 2);
  assert.match(alone.err, /--python is only used with --run-python/);
  const missing = await run('--run-python', '--python', path.join(scratch, 'no-python'), 'net.prototxt');
  assert.equal(missing.code, 2);
  assert.equal(missing.out, '');
  const timeout = await run('--run-python', '--timeout', '0', 'net.prototxt');
  assert.equal(timeout.code, 2);
});
