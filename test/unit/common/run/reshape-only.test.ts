// The harness's reshape-only runs (`stopAfter: 'reshape'`): construct -> setup -> reshape, the tops'
// shapes reported, forward and backward never called.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runLayer } from '../../../../common/run/run-layer';
import type { RunRequest, RunResult } from '../../../../common/run/types';
import { fixtures, SYSTEM_PYTHON } from './helpers';
import { needs } from '../../../helpers/resources';

const skip = needs('python');

function run(
  request: Omit<RunRequest, 'bottoms'> & Partial<RunRequest>,
  extra: string[] = [],
): Promise<RunResult> {
  return runLayer(
    { bottoms: [], pycaffe: 'never', ...request },
    { python: SYSTEM_PYTHON, pythonPath: [fixtures, ...extra], timeoutMs: 60_000 },
  );
}

// Tops of a shape of its own, and a forward/backward that raise: a reshape-only run never calls them.
const SPLITTER = `
import caffe

class Splitter(caffe.Layer):
    def setup(self, bottom, top):
        self.k = int(self.param_str or "3")

    def reshape(self, bottom, top):
        n = bottom[0].data.shape[0]
        top[0].reshape(n, self.k)
        top[1].reshape(n, bottom[0].count // n, 2)

    def forward(self, bottom, top):
        raise RuntimeError("forward must not run")

    def backward(self, top, propagate_down, bottom):
        raise RuntimeError("backward must not run")
`;

test('reshape only: the tops have their shapes, forward and backward are not run', skip, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'reshape-only-'));
  try {
    writeFileSync(path.join(dir, 'splitter_layer.py'), SPLITTER);
    const r = await run(
      {
        module: 'splitter_layer',
        layer: 'Splitter',
        paramStr: '5',
        bottoms: [{ shape: [2, 3, 4] }],
        tops: ['a', 'b'],
        stopAfter: 'reshape',
      },
      [dir],
    );
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.deepEqual(
      r.tops.map((t) => t.shape),
      [
        [2, 5],
        [2, 12, 2],
      ],
    );
    assert.deepEqual(r.bottoms[0]?.shape, [2, 3, 4]);
    assert.equal(typeof r.timings.setup, 'number');
    assert.equal(typeof r.timings.reshape, 'number');
    assert.equal(r.timings.forward, undefined);
    assert.equal(r.timings.backward, undefined);
    assert.deepEqual(r.bottomDiffs, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('reshape only: learnable blobs made in setup are reported', skip, async () => {
  const r = await run({
    module: 'scale_layer',
    layer: 'ChannelScale',
    bottoms: [{ shape: [2, 3, 4, 5] }],
    stopAfter: 'reshape',
  });
  assert.equal(r.ok, true, JSON.stringify(r.error));
  assert.deepEqual(r.tops[0]?.shape, [2, 3, 4, 5]);
  assert.deepEqual(
    r.params.map((p) => p.shape),
    [[3], [1]],
  );
  assert.deepEqual(r.paramDiffs, []);
});

test('reshape only: an exception in setup is still reported with its phase', skip, async () => {
  const r = await run({
    module: 'setup_raises',
    layer: 'RaisesInSetup',
    bottoms: [{ shape: [1, 2] }],
    stopAfter: 'reshape',
  });
  assert.equal(r.ok, false);
  assert.equal(r.error?.phase, 'setup');
});

test('reshape only: refused with a gradient check, and an unknown stopAfter is refused', skip, async () => {
  const both = await run({
    module: 'scale_layer',
    layer: 'ChannelScale',
    bottoms: [{ shape: [2, 3] }],
    stopAfter: 'reshape',
    gradcheck: true,
  });
  assert.equal(both.error?.phase, 'request');
  assert.match(both.error?.message ?? '', /cannot stop after reshape/);
  const bad = await run({
    module: 'scale_layer',
    layer: 'ChannelScale',
    bottoms: [{ shape: [2, 3] }],
    stopAfter: 'forward' as 'reshape',
  });
  assert.equal(bad.error?.phase, 'request');
  assert.match(bad.error?.message ?? '', /'stopAfter' must be backward or reshape/);
});
