import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { findHarness, runLayer } from '../../../../common/run/run-layer';
import type { RunRequest, RunResult } from '../../../../common/run/types';
import { fixtures, lineOf, pythonHas, SYSTEM_PYTHON, writeNpy } from './helpers';
import { has, needs } from '../../../helpers/resources';

const skip = needs('python');

function run(request: Partial<RunRequest> & Pick<RunRequest, 'module' | 'layer'>): Promise<RunResult> {
  return runLayer(
    { bottoms: [], pycaffe: 'never', ...request },
    { python: SYSTEM_PYTHON, pythonPath: [fixtures], timeoutMs: 60_000 },
  );
}

test('the harness is found next to the sources', () => {
  const harness = findHarness();
  assert.ok(harness?.endsWith(path.join('client', 'python', 'run_layer.py')), String(harness));
});

test(
  'Euclidean loss: top shape and value from .npy bottoms, diffs, timings, captured prints',
  skip,
  async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'run-layer-'));
    try {
      writeNpy(path.join(dir, 'a.npy'), [2, 2], [1, 2, 3, 4]);
      writeNpy(path.join(dir, 'b.npy'), [2, 2], [0, 0, 0, 0]);
      const r = await run({
        module: 'euclidean_loss',
        layer: 'EuclideanLoss',
        bottoms: [{ fill: { npy: path.join(dir, 'a.npy') } }, { fill: { npy: path.join(dir, 'b.npy') } }],
      });
      assert.equal(r.ok, true, JSON.stringify(r.error));
      assert.equal(r.usedPycaffe, false);
      assert.equal(r.interpreter, SYSTEM_PYTHON);
      assert.deepEqual(r.tops[0]?.shape, [1]);
      assert.equal(r.tops[0]?.dtype, 'float32');
      // (1 + 4 + 9 + 16) / num(2) / 2
      assert.equal(r.tops[0]?.mean, 7.5);
      assert.deepEqual(
        r.bottoms.map((b) => b.shape),
        [
          [2, 2],
          [2, 2],
        ],
      );
      // d/da = (a - b) / num with the loss top's diff 1; d/db is its negation.
      assert.equal(r.bottomDiffs[0]?.max, 2);
      assert.equal(r.bottomDiffs[0]?.min, 0.5);
      assert.equal(r.bottomDiffs[1]?.min, -2);
      for (const step of ['setup', 'reshape', 'forward', 'backward'] as const) {
        assert.equal(typeof r.timings[step], 'number', step);
      }
      assert.match(r.output, /EuclideanLoss\.setup: bottoms \[\[2, 2\], \[2, 2\]\]/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('random bottoms: statistics, NaN/Inf counts and opposite diffs', skip, async () => {
  const r = await run({
    module: 'euclidean_loss',
    layer: 'EuclideanLoss',
    bottoms: [{ shape: [4, 3, 8, 8] }, { shape: [4, 3, 8, 8], fill: 'zeros' }],
  });
  assert.equal(r.ok, true, JSON.stringify(r.error));
  const [a, b] = r.bottoms;
  assert.equal(a?.count, 768);
  assert.ok(Math.abs(a?.mean ?? 1) < 0.2 && Math.abs((a?.std ?? 0) - 1) < 0.2, JSON.stringify(a));
  assert.equal(b?.std, 0);
  assert.equal(a?.nan, 0);
  assert.equal(a?.inf, 0);
  assert.ok(Math.abs((r.bottomDiffs[0]?.mean ?? 0) + (r.bottomDiffs[1]?.mean ?? 0)) < 1e-6);
});

test('gradient check passes on the Euclidean loss', skip, async () => {
  const r = await run({
    module: 'euclidean_loss',
    layer: 'EuclideanLoss',
    bottoms: [{ shape: [2, 3, 2, 2] }, { shape: [2, 3, 2, 2] }],
    gradcheck: true,
  });
  assert.equal(r.ok, true, JSON.stringify(r.error));
  assert.equal(r.gradcheck?.passed, true, JSON.stringify(r.gradcheck));
  assert.deepEqual(
    r.gradcheck?.checks.map((c) => [c.blob, c.checked, c.sampled]),
    [
      ['bottom[0]', 24, false],
      ['bottom[1]', 24, false],
    ],
  );
  assert.equal(r.gradcheck?.step, 0.01);
  assert.equal(r.gradcheck?.threshold, 0.001);
});

test('gradient check covers the learnable blobs and samples big bottoms', skip, async () => {
  const r = await run({
    module: 'scale_layer',
    layer: 'ChannelScale',
    bottoms: [{ shape: [2, 3, 4, 5] }],
    gradcheck: true,
    maxChecks: 40,
  });
  assert.equal(r.ok, true, JSON.stringify(r.error));
  assert.equal(r.gradcheck?.passed, true, JSON.stringify(r.gradcheck));
  const checks = r.gradcheck?.checks ?? [];
  assert.deepEqual(
    checks.map((c) => [c.blob, c.total, c.checked, c.sampled, c.passed]),
    [
      ['bottom[0]', 120, 40, true, true],
      ['param[0]', 3, 3, false, true],
      ['param[1]', 1, 1, false, true],
    ],
  );
  assert.match(r.gradcheck?.note ?? '', /40 random elements/);
  assert.deepEqual(
    r.params.map((p) => p.shape),
    [[3], [1]],
  );
});

test('propagate_down false leaves a bottom out of backward and the check', skip, async () => {
  const r = await run({
    module: 'euclidean_loss',
    layer: 'EuclideanLoss',
    bottoms: [{ shape: [2, 3] }, { shape: [2, 3] }],
    propagateDown: [true, false],
    gradcheck: true,
  });
  assert.equal(r.ok, true, JSON.stringify(r.error));
  assert.equal(r.bottomDiffs[1], null);
  assert.deepEqual(
    r.gradcheck?.checks.map((c) => c.blob),
    ['bottom[0]'],
  );
});

test('gradient check fails on the wrong backward and says where', skip, async () => {
  const r = await run({
    module: 'broken_backward',
    layer: 'BrokenSquare',
    bottoms: [{ shape: [2, 3] }],
    gradcheck: true,
  });
  assert.equal(r.ok, true, JSON.stringify(r.error));
  const check = r.gradcheck?.checks[0];
  assert.equal(r.gradcheck?.passed, false);
  assert.equal(check?.blob, 'bottom[0]');
  assert.equal(check?.passed, false);
  assert.ok((check?.failures ?? 0) > 0);
  assert.equal(check?.at?.length, 2);
  // backward gives x * dy where the truth is 2x * dy: the relative error approaches 1/2.
  assert.ok(Math.abs((check?.maxError ?? 0) - 0.5) < 0.01, String(check?.maxError));
  assert.ok(
    Math.abs((check?.numeric ?? 0) - 2 * (check?.analytic ?? 0)) < 0.01 * Math.abs(check?.numeric ?? 1),
  );
});

test('an exception in setup comes back with its file and line', skip, async () => {
  const file = path.join(fixtures, 'setup_raises.py');
  const r = await run({
    module: 'setup_raises',
    layer: 'RaisesInSetup',
    paramStr: 'abc',
    bottoms: [{ shape: [1] }],
  });
  assert.equal(r.ok, false);
  assert.equal(r.error?.phase, 'setup');
  assert.equal(r.error?.type, 'ValueError');
  assert.equal(r.error?.message, 'bad param_str of length 3');
  assert.equal(r.error?.location?.file, file);
  assert.equal(r.error?.location?.line, lineOf(file, 'SETUP_RAISES_LINE'));
  assert.equal(r.error?.location?.function, 'setup');
  assert.equal(r.moduleFile, file);
  assert.ok(
    r.error?.traceback.every((f) => !f.file.includes('caffe_prototxt_harness')),
    'harness frames are dropped',
  );
});

test('YAML param_str and the phase reach the layer', skip, async (t) => {
  if (!has(t, 'python-yaml')) return;
  const request = {
    module: 'yaml_param',
    layer: 'YamlShift',
    paramStr: '{shift: 0.5, factor: 2.0, train_only: true}',
    bottoms: [{ shape: [2, 3], fill: 'zeros' as const }],
    gradcheck: true,
  };
  const train = await run({ ...request, phase: 'TRAIN' });
  assert.equal(train.ok, true, JSON.stringify(train.error));
  assert.equal(train.tops[0]?.mean, 0.5);
  assert.equal(train.gradcheck?.passed, true);
  const testPhase = await run({ ...request, phase: 'TEST' });
  assert.equal(testPhase.tops[0]?.mean, 0);
});

test('problems before the layer runs: bad request, missing module, missing class', skip, async () => {
  const bad = await run({ module: 'euclidean_loss', layer: 'EuclideanLoss', bottoms: [{ fill: 'random' }] });
  assert.equal(bad.error?.phase, 'request');
  assert.match(bad.error?.message ?? '', /bottoms\[0\]: 'shape' is required/);

  const missing = await run({ module: 'no_such_module_here', layer: 'X' });
  assert.equal(missing.error?.phase, 'import');
  assert.equal(missing.error?.type, 'ModuleNotFoundError');

  const noClass = await run({ module: 'euclidean_loss', layer: 'Nope' });
  assert.equal(noClass.error?.phase, 'import');
  assert.match(noClass.error?.message ?? '', /has no class Nope; classes there: .*EuclideanLoss/);
});

test(
  "a module Python cannot compile: the error at its line, without the import system's frames",
  skip,
  async () => {
    const r = await run({ module: 'python2_module', layer: 'OldLayer' });
    assert.equal(r.error?.phase, 'import');
    assert.equal(r.error?.type, 'SyntaxError');
    assert.deepEqual(
      r.error?.location && { file: path.basename(r.error.location.file), line: r.error.location.line },
      {
        file: 'python2_module.py',
        line: lineOf(path.join(fixtures, 'python2_module.py'), 'PY2_SYNTAX_LINE'),
      },
    );
    const frames = r.error?.traceback.map((f) => f.file) ?? [];
    assert.ok(frames.length > 0);
    assert.ok(
      frames.every((f) => !f.startsWith('<frozen') && !/importlib/.test(f)),
      frames.join('\n'),
    );
  },
);

test('pycaffe "always" without pycaffe is refused with the reason', skip, async (t) => {
  if (pythonHas('caffe')) {
    t.skip('pycaffe is installed here');
    return;
  }
  const r = await run({ module: 'euclidean_loss', layer: 'EuclideanLoss', pycaffe: 'always' });
  assert.equal(r.error?.phase, 'request');
  assert.match(r.error?.message ?? '', /pycaffe is required .* import caffe failed/);
});

test('an interpreter that does not start or dies is a clear error', async () => {
  const missing = await runLayer(
    { module: 'm', layer: 'L', bottoms: [] },
    { python: '/nonexistent/python3', timeoutMs: 10_000 },
  );
  assert.equal(missing.error?.type, 'SpawnError');
  assert.match(missing.error?.message ?? '', /not found: \/nonexistent\/python3/);

  const dies = await runLayer(
    { module: 'm', layer: 'L', bottoms: [] },
    { python: '/bin/false', timeoutMs: 10_000 },
  );
  assert.equal(dies.error?.type, 'HarnessCrash');
  assert.equal(dies.exitCode, 1);
});
