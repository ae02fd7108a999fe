// A layer run under the debugger, driven over the Debug Adapter Protocol against debugpy's own adapter
// (no editor): a breakpoint in the layer's forward stops there with the layer's file as the top frame
// and `bottom` readable, Continue lets the run finish with its usual result; the harness and the
// stand-in are not the user's code; a failing run stops at its raise; no timeout cuts a paused run;
// cancelling a paused run kills it. The same through caffe.Net where pycaffe is built.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { RunRequest } from '../../common/run/types';
import { debugRun, type StopSeen } from '../helpers/debug-session';
import {
  fixtures,
  groupMembers,
  hasProc,
  lineOf,
  pythonSkipReason,
  repoRoot,
  SYSTEM_PYTHON,
} from '../unit/common/run/helpers';
import { pycaffePath, skipReason } from '../helpers/resources';

const skip = skipReason('python', 'debugpy');

/** pycaffe's python/ folder (test/helpers/resources.ts). */
const PYCAFFE = pycaffePath() ?? '';

function pycaffeSkipReason(): string | undefined {
  return skipReason('python', 'debugpy', 'pycaffe');
}

const harnessDir = path.join(repoRoot, 'client', 'python');
const scaleFile = path.join(fixtures, 'scale_layer.py');
const forwardLine = lineOf(scaleFile, 'top[0].data[...] = bottom[0].data * self._scale(bottom)');
const raisesFile = path.join(fixtures, 'setup_raises.py');

const scale = (pycaffe: RunRequest['pycaffe']): RunRequest => ({
  module: 'scale_layer',
  layer: 'ChannelScale',
  bottoms: [{ shape: [2, 3, 4, 5] }],
  pycaffe,
});

const quietCaffe = { ...process.env, GLOG_minloglevel: '2' };

function assertStoppedInForward(stop: StopSeen | undefined): void {
  assert.ok(stop, 'the run stopped');
  assert.equal(stop.reason, 'breakpoint');
  assert.deepEqual(stop.frames[0], { name: 'forward', path: scaleFile, line: forwardLine });
  for (const frame of stop.frames)
    assert.ok(
      !frame.path?.startsWith(harnessDir + path.sep),
      `harness frame shown: ${JSON.stringify(frame)}`,
    );
  assert.deepEqual(
    stop.locals.map((v) => v.name).filter((n) => !n.includes(' ')),
    ['bottom', 'self', 'top'],
  );
}

test(
  'a breakpoint in forward stops there; Continue finishes the run (stand-in)',
  { skip, timeout: 120_000 },
  async () => {
    const driver = path.join(harnessDir, 'caffe_prototxt_harness', 'driver.py');
    const outcome = await debugRun(scale('never'), {
      python: SYSTEM_PYTHON,
      pythonPath: [fixtures],
      breakpoints: [
        { path: scaleFile, lines: [forwardLine] },
        { path: driver, lines: [lineOf(driver, 'timed("forward", backend.forward, timings)')] },
      ],
    });
    assert.deepEqual(outcome.problems, []);
    // The harness is library code: a breakpoint there is refused, so only the layer's stops.
    assert.deepEqual(outcome.verified, [true, false]);
    assert.equal(outcome.stops.length, 1, JSON.stringify(outcome.stops));
    const [stop] = outcome.stops;
    assertStoppedInForward(stop);
    // The stand-in's blob shows its arrays.
    const data = stop?.firstBottom?.find((v) => v.name === 'data');
    assert.match(data?.value ?? '', /^array\(/, JSON.stringify(stop?.firstBottom));
    assert.ok(stop?.firstBottom?.some((v) => v.name === 'diff'));

    const { result } = outcome;
    assert.equal(result.ok, true, JSON.stringify(result.error));
    assert.equal(result.usedPycaffe, false);
    assert.deepEqual(result.tops[0]?.shape, [2, 3, 4, 5]);
    assert.equal(typeof result.timings.backward, 'number');
  },
);

test('debugpy offers the exception filters the editor uses', { skip, timeout: 120_000 }, async () => {
  const outcome = await debugRun(scale('never'), { python: SYSTEM_PYTHON, pythonPath: [fixtures] });
  const filters = (outcome.capabilities.exceptionBreakpointFilters as { filter: string }[]).map(
    (f) => f.filter,
  );
  for (const name of ['raised', 'uncaught', 'userUnhandled'])
    assert.ok(filters.includes(name), filters.join());
  assert.equal(outcome.result.ok, true);
  assert.deepEqual(outcome.stops, []);
});

test('userUnhandled stops at the raising line of the layer, once', { skip, timeout: 120_000 }, async () => {
  const outcome = await debugRun(
    {
      module: 'setup_raises',
      layer: 'RaisesInSetup',
      paramStr: 'x',
      bottoms: [{ shape: [2, 3] }],
      pycaffe: 'never',
    },
    { python: SYSTEM_PYTHON, pythonPath: [fixtures], exceptionFilters: ['userUnhandled'] },
  );
  assert.deepEqual(outcome.problems, []);
  assert.equal(outcome.stops.length, 1, JSON.stringify(outcome.stops));
  const [stop] = outcome.stops;
  assert.equal(stop?.reason, 'exception');
  assert.match(stop?.text ?? '', /^ValueError/);
  assert.equal(stop?.frames[0]?.path, raisesFile);
  assert.equal(stop?.frames[0]?.line, lineOf(raisesFile, 'SETUP_RAISES_LINE'));
  assert.deepEqual(
    stop?.locals.find((v) => v.name === 'limit'),
    { name: 'limit', value: '1' },
  );
  // The run then reports the exception as it always does.
  assert.equal(outcome.result.error?.type, 'ValueError');
  assert.equal(outcome.result.error?.phase, 'setup');
});

test(
  'an exception inside the stand-in stops in the layer line that called it',
  { skip, timeout: 120_000 },
  async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'debug-layer-'));
    try {
      const file = path.join(dir, 'bad_reshape.py');
      writeFileSync(
        file,
        [
          'import caffe',
          '',
          'class BadReshape(caffe.Layer):',
          '    def setup(self, bottom, top):',
          '        pass',
          '',
          '    def reshape(self, bottom, top):',
          '        top[0].reshape(-1, 2)  # NEGATIVE',
          '',
          '    def forward(self, bottom, top):',
          '        pass',
          '',
          '    def backward(self, top, propagate_down, bottom):',
          '        pass',
          '',
        ].join('\n'),
      );
      const outcome = await debugRun(
        { module: 'bad_reshape', layer: 'BadReshape', bottoms: [{ shape: [2] }], pycaffe: 'never' },
        { python: SYSTEM_PYTHON, pythonPath: [dir], exceptionFilters: ['raised', 'userUnhandled'] },
      );
      assert.deepEqual(outcome.problems, []);
      assert.ok(outcome.stops.length >= 1);
      for (const stop of outcome.stops) {
        assert.equal(stop.reason, 'exception');
        assert.deepEqual(
          stop.frames.map((f) => [f.path, f.line]),
          [[file, lineOf(file, 'NEGATIVE')]],
          'only the layer frame, never the stand-in raising inside reshape',
        );
      }
      assert.equal(outcome.result.error?.type, 'ValueError');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  "Debug gradient check: a breakpoint in backward stops at the run's and at the check's backward",
  { skip, timeout: 120_000 },
  async () => {
    const backwardLine = lineOf(scaleFile, 'g = top[0].diff');
    const outcome = await debugRun(
      { ...scale('never'), bottoms: [{ shape: [1, 2, 2, 2] }], gradcheck: true },
      {
        python: SYSTEM_PYTHON,
        pythonPath: [fixtures],
        breakpoints: [{ path: scaleFile, lines: [backwardLine] }],
      },
    );
    assert.deepEqual(outcome.problems, []);
    assert.deepEqual(
      outcome.stops.map((s) => [s.frames[0]?.name, s.frames[0]?.line]),
      [
        ['backward', backwardLine],
        ['backward', backwardLine],
      ],
    );
    assert.equal(outcome.result.gradcheck?.passed, true, JSON.stringify(outcome.result.gradcheck));
  },
);

test('no timeout applies while the run waits for the debugger', { skip, timeout: 120_000 }, async () => {
  // Without the debugger, one millisecond would kill the run before Python has even started.
  const outcome = await debugRun(scale('never'), {
    python: SYSTEM_PYTHON,
    pythonPath: [fixtures],
    timeoutMs: 1,
    breakpoints: [{ path: scaleFile, lines: [forwardLine] }],
  });
  assert.equal(outcome.stops.length, 1);
  assert.equal(outcome.result.ok, true, JSON.stringify(outcome.result.error));
});

test(
  'a result written before the session ends is kept when the end cancels the run',
  { skip, timeout: 120_000 },
  async () => {
    // What an editor does: its session ends when the debuggee is gone, and it then stops the run.
    const controller = new AbortController();
    const outcome = await debugRun(scale('never'), {
      python: SYSTEM_PYTHON,
      pythonPath: [fixtures],
      signal: controller.signal,
      atEnd: () => controller.abort(),
    });
    assert.deepEqual(outcome.problems, []);
    assert.equal(outcome.result.ok, true, JSON.stringify(outcome.result.error));
    assert.deepEqual(outcome.result.tops[0]?.shape, [2, 3, 4, 5]);
  },
);

test(
  'cancelling a run stopped at a breakpoint kills its processes',
  { skip: skip ?? (hasProc ? undefined : 'needs /proc'), timeout: 120_000 },
  async () => {
    const controller = new AbortController();
    let pgid: number | undefined;
    const outcome = await debugRun(scale('never'), {
      python: SYSTEM_PYTHON,
      pythonPath: [fixtures],
      signal: controller.signal,
      onSpawn: (pid) => {
        pgid = pid;
      },
      breakpoints: [{ path: scaleFile, lines: [forwardLine] }],
      atStop: () => controller.abort(),
    });
    assert.equal(outcome.stops.length, 1);
    assert.equal(outcome.result.error?.type, 'Cancelled');
    assert.ok(pgid !== undefined);
    assert.deepEqual(groupMembers(pgid), []);
  },
);

test(
  'without debugpy the run says how to install it',
  { skip: pythonSkipReason(), timeout: 60_000 },
  async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'no-debugpy-'));
    try {
      mkdirSync(path.join(dir, 'debugpy'));
      writeFileSync(path.join(dir, 'debugpy', '__init__.py'), 'raise ImportError("hidden by the test")\n');
      const outcome = await debugRun(scale('never'), { python: SYSTEM_PYTHON, pythonPath: [dir, fixtures] });
      assert.equal(outcome.result.error?.type, 'DebugpyMissing');
      assert.match(outcome.result.error?.message ?? '', /-m pip install debugpy/);
      assert.match(outcome.result.error?.message ?? '', /python3-debugpy/);
      assert.deepEqual(outcome.stops, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  'through caffe.Net: the breakpoint in forward stops with the layer called from C++',
  { skip: pycaffeSkipReason(), timeout: 180_000 },
  async () => {
    const outcome = await debugRun(scale('always'), {
      python: SYSTEM_PYTHON,
      pythonPath: [fixtures, PYCAFFE],
      env: quietCaffe,
      breakpoints: [{ path: scaleFile, lines: [forwardLine] }],
    });
    assert.deepEqual(outcome.problems, []);
    assert.equal(outcome.stops.length, 1, JSON.stringify(outcome.stops));
    const [stop] = outcome.stops;
    assertStoppedInForward(stop);
    // pycaffe's C++ blob vector shows its blobs, and a blob its arrays.
    assert.match(
      stop?.locals.find((v) => v.name === 'bottom')?.value ?? '',
      /^RawBlobVec of 1 blob \[2x3x4x5\]$/,
    );
    const first = new Map(stop?.firstBottom?.map((v) => [v.name, v.value]));
    assert.match(first.get('data') ?? '', /^array\(/, JSON.stringify(stop?.firstBottom));
    assert.match(first.get('diff') ?? '', /^array\(/);
    assert.equal(outcome.result.ok, true, JSON.stringify(outcome.result.error));
    assert.equal(outcome.result.usedPycaffe, true);
    assert.deepEqual(outcome.result.tops[0]?.shape, [2, 3, 4, 5]);
  },
);

test(
  'through caffe.Net: userUnhandled stops at the raise in setup',
  { skip: pycaffeSkipReason(), timeout: 180_000 },
  async () => {
    const outcome = await debugRun(
      {
        module: 'setup_raises',
        layer: 'RaisesInSetup',
        paramStr: 'x',
        bottoms: [{ shape: [2, 3] }],
        pycaffe: 'always',
      },
      {
        python: SYSTEM_PYTHON,
        pythonPath: [fixtures, PYCAFFE],
        env: quietCaffe,
        exceptionFilters: ['userUnhandled'],
      },
    );
    assert.equal(outcome.stops.length, 1, JSON.stringify(outcome.stops));
    assert.equal(outcome.stops[0]?.frames[0]?.path, raisesFile);
    assert.equal(outcome.stops[0]?.frames[0]?.line, lineOf(raisesFile, 'SETUP_RAISES_LINE'));
    assert.equal(outcome.result.usedPycaffe, true);
    assert.equal(outcome.result.error?.type, 'ValueError');
  },
);
