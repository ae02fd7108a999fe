// A log of several runs (one training after another appended to one file, a script that trains
// several nets): split into runs, each plotted on its own; a run resumed from a snapshot goes on in
// its run. First on written logs, then on the log the real pycaffe prints for such runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { logPanels } from '../../../../common/training/plot-panels';
import { parseTrainLog, runOf, TrainLogReader } from '../../../../common/training/train-log';
import { findPycaffe, runWithPycaffe, skipUnlessPycaffe } from '../../../helpers/caffe-solver';
import { repoRoot } from '../../../helpers/paths';

const glog = (line: string) => `I1202 10:00:00.000000 42 solver.cpp:1] ${line}`;
const run = (name: string, iters: number[], lr: number) => [
  glog('Initializing solver from parameters: '),
  glog(`Solving ${name}`),
  glog('Iteration 0, Testing net (#0)'),
  glog('    Test net output #0: accuracy = 0.1'),
  ...iters.flatMap((i) => [
    glog(`Iteration ${i} (1 iter/s, 1s/10 iters), loss = ${1 / (i + 1)}`),
    glog(`Iteration ${i}, lr = ${lr}`),
  ]),
];

test('runs: a solver set up after entries starts a run, named by "Solving"; a resumed one goes on', () => {
  const text = [
    ...run('first', [0, 10, 20], 0.1),
    ...run('second', [0, 10], 0.01),
    // Resumed from a snapshot: the same run.
    glog('Initializing solver from parameters: '),
    glog('Solving second'),
    glog('Restoring previous solver status from snap_iter_10.solverstate'),
    glog('Iteration 10 (1 iter/s, 1s/10 iters), loss = 0.5'),
    glog('Iteration 20 (1 iter/s, 1s/10 iters), loss = 0.4'),
  ].join('\n');
  const log = parseTrainLog(text);
  assert.deepEqual(log.runs, [
    { train: 0, test: 0, lr: 0, name: 'first' },
    { train: 3, test: 1, lr: 3, name: 'second' },
  ]);
  assert.deepEqual(
    runOf(log, 1).train.map((t) => t.iter),
    [0, 10, 10, 20],
  );
  assert.deepEqual(runOf(log, 0).test, [{ iter: 0, net: 0, outputs: { accuracy: 0.1 } }]);
  // The last run by default; another by number; all as one.
  const iters = (run?: number | 'all') => logPanels(log, { run })[0].series[0].points.map((p) => p.x);
  assert.deepEqual(iters(), [0, 10, 10, 20]);
  assert.deepEqual(iters(0), [0, 10, 20]);
  assert.deepEqual(iters('all'), [0, 10, 20, 0, 10, 10, 20]);
  assert.deepEqual(iters(7), [0, 10, 10, 20]);
});

test("runs without the solver's lines: a training iteration that goes back starts one", () => {
  const log = parseTrainLog(
    [
      'Iteration 0, loss = 2',
      'Iteration 100, loss = 1',
      'Iteration 0, loss = 3',
      'Iteration 50, loss = 2',
    ].join('\n'),
  );
  assert.deepEqual(log.runs, [
    { train: 0, test: 0, lr: 0 },
    { train: 2, test: 0, lr: 0 },
  ]);
  // A script's own print of "Solving..." (no glog prefix) names nothing and starts nothing.
  assert.deepEqual(parseTrainLog('Solving...\nIteration 0, loss = 2\n').runs, [{ train: 0, test: 0, lr: 0 }]);
});

test('a followed log hands on its runs with each change', () => {
  const text = [...run('first', [0, 10], 0.1), ...run('second', [0], 0.01)].join('\n');
  const reader = new TrainLogReader();
  const seen: number[] = [];
  for (const line of text.split('\n')) {
    reader.push(`${line}\n`);
    seen.push(reader.takeChanges().runs.length);
  }
  assert.equal(seen[0], 1);
  assert.equal(seen[seen.length - 1], 2);
  assert.deepEqual(reader.result().runs, parseTrainLog(text).runs);
});

const pycaffe = findPycaffe();

test(
  'the real pycaffe: two solvers in one process are two runs; a solve resumed from a snapshot goes on',
  { skip: skipUnlessPycaffe(pycaffe) },
  () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caffe-runs-'));
    try {
      const fixtures = path.join(repoRoot, 'test/fixtures/training');
      fs.copyFileSync(path.join(fixtures, 'net.prototxt'), path.join(dir, 'net.prototxt'));
      const step = fs.readFileSync(path.join(fixtures, 'step.prototxt'), 'utf8');
      fs.writeFileSync(path.join(dir, 'solver.prototxt'), `${step}\nsnapshot: 6\nsnapshot_prefix: "snap"\n`);
      const program = [
        'import caffe',
        'caffe.set_mode_cpu()',
        "caffe.SGDSolver('solver.prototxt').solve()",
        "caffe.SGDSolver('solver.prototxt').solve()",
        "caffe.SGDSolver('solver.prototxt').solve('snap_iter_6.solverstate')",
      ].join('\n');
      const ran = runWithPycaffe(pycaffe.folder as string, program, [], dir);
      assert.equal(ran.status, 0, ran.log);
      const log = parseTrainLog(ran.log);
      assert.equal(log.runs.length, 2, JSON.stringify(log.runs));
      assert.ok(
        log.runs.every((r) => r.name === 'tiny'),
        JSON.stringify(log.runs),
      );
      // Each fresh solve logs iterations 0 to 11; the resumed one 6 to 11 within the second run.
      assert.deepEqual(
        runOf(log, 0).lr.map((p) => p.iter),
        Array.from({ length: 12 }, (_, i) => i),
      );
      assert.deepEqual(
        runOf(log, 1).lr.map((p) => p.iter),
        [...Array.from({ length: 12 }, (_, i) => i), ...Array.from({ length: 6 }, (_, i) => i + 6)],
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);
