import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatNumber, formatRunReport, runFailed, summarizeRun } from '../../../../common/run/report';
import type { BlobStats, RunResult } from '../../../../common/run/types';
import { blobStats, failedGradcheck } from './results';

const stats = (shape: number[]): BlobStats => blobStats(shape, { inf: 1 });

const base: RunResult = {
  ok: true,
  interpreter: '/usr/bin/python3',
  pythonVersion: '3.11.2',
  numpyVersion: '1.24.2',
  usedPycaffe: false,
  tops: [stats([2, 8])],
  bottoms: [stats([2, 4])],
  bottomDiffs: [null],
  params: [],
  paramDiffs: [],
  timings: { setup: 1.5, reshape: 0.01234, forward: 250.4, backward: 2 },
  output: '',
  exitCode: 0,
  signal: null,
};
const label = {
  layerName: 'fc',
  module: 'm',
  layerClass: 'L',
  phase: 'TRAIN',
  bottomNames: ['x'],
  topNames: ['y'],
};

test('the text report: stats per top, timings, bottoms without propagate_down', () => {
  const text = formatRunReport(base, label);
  assert.match(text, /^layer "fc" \(m\.L\), phase TRAIN\n/);
  assert.match(
    text,
    /^interpreter: \/usr\/bin\/python3 \(Python 3\.11\.2, numpy 1\.24\.2\); stand-in caffe module$/m,
  );
  assert.match(text, /^ {2}y: 2×8 float32 {2}min -1 {2}max 2 {2}mean 0\.5 {2}std 0\.25 {2}NaN 0 {2}Inf 1$/m);
  assert.match(text, /^timings: setup 1\.5 ms, reshape 0\.0123 ms, forward 250 ms, backward 2 ms$/m);
  assert.match(text, /^ {2}x: no propagate_down$/m);
  assert.equal(runFailed(base), false);
  assert.equal(summarizeRun(base, label), '"fc": tops 2×8; forward 250 ms');
});

test('a failed gradient check names the worst element; an error names its line', () => {
  const failed: RunResult = {
    ...base,
    gradcheck: failedGradcheck({}),
  };
  assert.equal(runFailed(failed), true);
  const text = formatRunReport(failed, label);
  assert.match(text, /^gradient check: FAILED \(step 0\.01, threshold 0\.001, seed 1701, objective o\)$/m);
  assert.match(
    text,
    /^ {2}largest error: bottom\[0\] \(x\) at \[1, 2\]: error 0\.5 \(analytic 1, numeric 2\)$/m,
  );
  assert.match(text, /^ {2}param\[0\] 3: ok, 0 of 3 elements off, max error 1\.000e-5$/m);
  assert.match(
    summarizeRun(failed, label),
    /gradient check FAILED \(largest error 0\.5 in bottom\[0\] \(x\)\)$/,
  );

  const raised: RunResult = {
    ...base,
    ok: false,
    tops: [],
    error: {
      type: 'KeyError',
      message: "'k'",
      phase: 'forward',
      traceback: [],
      location: { file: '/l.py', line: 7, function: 'forward' },
    },
  };
  assert.equal(runFailed(raised), true);
  assert.match(
    formatRunReport(raised, label),
    /^error in forward: KeyError: 'k'\n {2}at \/l\.py:7 in forward$/m,
  );
  assert.equal(summarizeRun(raised, label), `"fc": KeyError in forward (line 7): 'k'`);
});

test('numbers are short: exponents for the very small and very large', () => {
  assert.equal(formatNumber(null), '-');
  assert.equal(formatNumber(0), '0');
  assert.equal(formatNumber(123456), '1.235e+5');
  assert.equal(formatNumber(0.0001234), '1.234e-4');
  assert.equal(formatNumber(3.14159265), '3.1416');
});

test('a request the harness refused reads as a run that could not start, not as an exception', () => {
  const refused: RunResult = {
    ...base,
    ok: false,
    error: {
      type: 'RequestError',
      message: 'bottoms[0]: cannot read b.npy',
      phase: 'request',
      traceback: [],
    },
  };
  const text = formatRunReport(refused, label);
  assert.match(text, /^the run could not start: bottoms\[0\]: cannot read b\.npy$/m);
  assert.doesNotMatch(text, /RequestError|error in request/);
});
