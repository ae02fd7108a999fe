// `shapes` on a solver analyses the net it names (beside it or under the workspace root) or embeds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../../../server/src/cli/commands';

const net = (
  batch: number,
) => `layer { name: "in" type: "Input" top: "data" input_param { shape { dim: ${batch} dim: 3 dim: 8 dim: 8 } } }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv" convolution_param { num_output: 4 kernel_size: 3 } }
`;

async function shapes(cwd: string, ...args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(['shapes', '--json', ...args], {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    cwd,
  });
  return { code, out, err };
}

const convTop = (json: string): unknown =>
  (JSON.parse(json) as { layers: { name: string; tops: { shape: unknown }[] }[] }).layers.find(
    (l) => l.name === 'conv',
  )?.tops[0].shape;

test('a solver: the train net it names, the test net with --phase TEST, an embedded net', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'caffe-shapes-solver-'));
  try {
    mkdirSync(path.join(dir, '.git'));
    mkdirSync(path.join(dir, 'models'));
    writeFileSync(path.join(dir, 'models', 'train.prototxt'), net(16));
    writeFileSync(path.join(dir, 'models', 'test.prototxt'), net(2));
    writeFileSync(
      path.join(dir, 'models', 'solver.prototxt'),
      'train_net: "models/train.prototxt"\ntest_net: "models/test.prototxt"\ntest_iter: 1\nbase_lr: 0.1\nlr_policy: "fixed"\n',
    );
    const train = await shapes(dir, 'models/solver.prototxt');
    assert.equal(train.code, 0, train.err);
    assert.deepEqual(convTop(train.out), [16, 4, 6, 6]);
    assert.match(
      train.err,
      /shapes of the TRAIN net of the solver \(train_net\), found in the workspace root/,
    );
    const test = await shapes(dir, '--phase', 'TEST', 'models/solver.prototxt');
    assert.deepEqual(convTop(test.out), [2, 4, 6, 6]);
    writeFileSync(path.join(dir, 'embedded.prototxt'), `base_lr: 0.1\nnet_param {\n${net(5)}}\n`);
    const embedded = await shapes(dir, 'embedded.prototxt');
    assert.equal(embedded.code, 0, embedded.err);
    assert.deepEqual(convTop(embedded.out), [5, 4, 6, 6]);
    writeFileSync(path.join(dir, 'lost.prototxt'), 'net: "nowhere.prototxt"\nbase_lr: 0.1\n');
    const lost = await shapes(dir, 'lost.prototxt');
    assert.equal(lost.code, 1);
    assert.match(
      lost.err,
      /"nowhere\.prototxt" was found neither beside the solver nor under the workspace root/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a solver naming itself or another solver as its net: shapes, graph and run-layer say so and stop', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'caffe-solver-loop-'));
  try {
    writeFileSync(path.join(dir, 'self.prototxt'), 'net: "self.prototxt"\nbase_lr: 0.1\n');
    writeFileSync(path.join(dir, 'a.prototxt'), 'net: "b.prototxt"\nbase_lr: 0.1\n');
    writeFileSync(path.join(dir, 'b.prototxt'), 'net: "a.prototxt"\nbase_lr: 0.1\n');
    const run = async (...args: string[]) => {
      let err = '';
      const code = await runCli(args, { stdout: () => undefined, stderr: (t) => void (err += t), cwd: dir });
      return { code, err };
    };
    const self = await shapes(dir, 'self.prototxt');
    assert.equal(self.code, 1);
    assert.match(
      self.err,
      /self\.prototxt: the net file of self\.prototxt holds a solver, not a net: nothing to infer/,
    );
    const pair = await shapes(dir, 'a.prototxt');
    assert.equal(pair.code, 1);
    assert.match(pair.err, /b\.prototxt: the net file of a\.prototxt holds a solver, not a net/);
    const graph = await run('graph', 'a.prototxt');
    assert.equal(graph.code, 1);
    assert.match(
      graph.err,
      /b\.prototxt: the net file of a\.prototxt holds a solver, not a net: nothing to draw/,
    );
    const layer = await run('run-layer', 'self.prototxt', '--layer', 'x');
    assert.equal(layer.code, 1);
    assert.match(layer.err, /self\.prototxt, the net file of self\.prototxt, holds a solver, not a net/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
