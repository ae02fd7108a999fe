// The training-log reader on a log written by real Caffe, on excerpts in the older formats, and fed in
// pieces the way a growing file is followed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  applyDelta,
  emptyDelta,
  looksLikeTrainLog,
  parseTrainLog,
  TrainLogReader,
  type TrainLog,
} from '../../../../common/training/train-log';
import { makeSchedule } from '../../../../common/training/lr-schedule';
import { parse } from '../../../../server/src/parser/parse';
import { readSolverSchedule } from '../../../../server/src/training/solver-params';
import { repoRoot } from '../../../helpers/paths';

const logs = path.join(repoRoot, 'test/fixtures/training/logs');

test("a log of real Caffe with two test nets: today's format", () => {
  const log = parseTrainLog(fs.readFileSync(path.join(logs, 'tests.log'), 'utf8'));
  // display: 2 over 8 iterations, then the final "Iteration 8, loss = ..." of solve().
  assert.deepEqual(
    log.train.map((t) => t.iter),
    [0, 2, 4, 6, 8],
  );
  assert.deepEqual(log.train[1], { iter: 2, loss: 0.184152, outputs: { loss: 0.226942 } });
  assert.deepEqual(log.train[4], { iter: 8, loss: 0.16163, outputs: {} });
  assert.deepEqual(
    log.test.map((t) => `${t.iter}#${t.net}`),
    ['0#0', '0#1', '4#0', '4#1', '8#0', '8#1'],
  );
  assert.deepEqual(log.test[0], {
    iter: 0,
    net: 0,
    outputs: {
      loss: 0.374532,
      'mean[0]': -0.156866,
      'mean[1]': -0.0705661,
      'mean[2]': -0.00382401,
      'mean[3]': -0.127852,
    },
  });
  assert.deepEqual(log.lr, [
    { iter: 0, lr: 0.0137 },
    { iter: 2, lr: 0.0137 },
    { iter: 4, lr: 0.008631 },
    { iter: 6, lr: 0.008631 },
  ]);
});

// As Caffe printed it before the iteration speed was added (glog's date without the year).
const OLDER = `I0916 17:03:52.381402  2367 solver.cpp:160] Solving LeNet
I0916 17:03:52.381422  2367 solver.cpp:247] Iteration 0, Testing net (#0)
I0916 17:03:54.012233  2367 solver.cpp:298]     Test net output #0: accuracy = 0.0843
I0916 17:03:54.012267  2367 solver.cpp:298]     Test net output #1: loss = 2.34236 (* 1 = 2.34236 loss)
I0916 17:03:54.034147  2367 solver.cpp:191] Iteration 0, loss = 2.31498
I0916 17:03:54.034188  2367 solver.cpp:206]     Train net output #0: loss = 2.31498 (* 1 = 2.31498 loss)
I0916 17:03:54.034204  2367 solver.cpp:403] Iteration 0, lr = 0.01
I0916 17:03:55.880118  2367 solver.cpp:191] Iteration 100, loss = 0.227683
I0916 17:03:55.880160  2367 solver.cpp:206]     Train net output #0: loss = 0.227683 (* 1 = 0.227683 loss)
I0916 17:03:55.880173  2367 solver.cpp:403] Iteration 100, lr = 0.00992565
W0916 17:03:55.990000  2367 something.cpp:12] an unrelated warning = 5
`;

test('the older "Iteration N, loss = L" format', () => {
  assert.deepEqual(parseTrainLog(OLDER), {
    train: [
      { iter: 0, loss: 2.31498, outputs: { loss: 2.31498 } },
      { iter: 100, loss: 0.227683, outputs: { loss: 0.227683 } },
    ],
    test: [{ iter: 0, net: 0, outputs: { accuracy: 0.0843, loss: 2.34236 } }],
    lr: [
      { iter: 0, lr: 0.01 },
      { iter: 100, lr: 0.00992565 },
    ],
    // The net's name from "Solving LeNet".
    runs: [{ train: 0, test: 0, lr: 0, name: 'LeNet' }],
  });
});

test('the first releases: "Testing net" and "Test score #k", at the last iteration logged', () => {
  const log = parseTrainLog(
    [
      'I1203 18:41:01.1 1 solver.cpp:204] Iteration 100, lr = 0.00992565',
      'I1203 18:41:01.2 1 solver.cpp:66] Iteration 100, loss = 0.26044',
      'I1203 18:41:01.3 1 solver.cpp:84] Testing net',
      'I1203 18:41:01.4 1 solver.cpp:111] Test score #0: 0.9785',
      'I1203 18:41:01.5 1 solver.cpp:111] Test score #1: 0.0606671',
    ].join('\n'),
  );
  assert.deepEqual(log.test, [{ iter: 100, net: 0, outputs: { 'score #0': 0.9785, 'score #1': 0.0606671 } }]);
  assert.deepEqual(log.train, [{ iter: 100, loss: 0.26044, outputs: {} }]);
});

test('lines without the glog prefix, Windows line ends, nan and inf, test loss', () => {
  const log = parseTrainLog(
    'Iteration 10 (3.5 iter/s, 2.8s/10 iters), loss = nan\r\n' +
      '    Train net output #0: loss = -nan (* 1 = -nan loss)\r\n' +
      '    Train net output #1: norm = inf\r\n' +
      'Iteration 10, Testing net (#2)\r\n' +
      'Test loss: 0.5\r\n' +
      '    Test net output #0: acc = 1e-05\r\n',
  );
  assert.equal(log.train.length, 1);
  assert.ok(Number.isNaN(log.train[0].loss));
  assert.ok(Number.isNaN(log.train[0].outputs.loss));
  assert.equal(log.train[0].outputs.norm, Infinity);
  assert.deepEqual(log.test, [{ iter: 10, net: 2, loss: 0.5, outputs: { acc: 1e-5 } }]);
});

test('output lines only belong to the entry right above them; stray ones are skipped', () => {
  const log = parseTrainLog(
    '    Test net output #0: acc = 0.5\n' +
      'Iteration 5, loss = 1\n' +
      '    Test net output #0: acc = 0.25\n' +
      'Iteration 5, lr = 0.1\n' +
      '    Train net output #0: loss = 3\n' +
      'Iteration 6, loss = 2\n' +
      '    Train net output #0: __proto__ = 4\n',
  );
  assert.deepEqual(log.test, []);
  assert.deepEqual(log.train[0].outputs, {});
  assert.deepEqual(Object.keys(log.train[1].outputs), ['__proto__']);
  assert.equal(Object.getOwnPropertyDescriptor(log.train[1].outputs, '__proto__')?.value, 4);
});

test('followed while it grows: a line waits for its newline, any split gives the same result', () => {
  const text = fs.readFileSync(path.join(logs, 'tests.log'), 'utf8');
  const whole = parseTrainLog(text);
  const reader = new TrainLogReader();
  reader.push('I20261202 10:08:44.784 1 solver.cpp:239] Iteration 40 (1 iter/s, 0s/1 iters), loss = 0.12');
  assert.deepEqual(reader.result().train, []);
  reader.push('34\n');
  assert.deepEqual(reader.result().train, [{ iter: 40, loss: 0.1234, outputs: {} }]);
  for (const size of [1, 7, 64, 1000]) {
    const pieces = new TrainLogReader();
    for (let at = 0; at < text.length; at += size) pieces.push(text.slice(at, at + size));
    assert.deepEqual(pieces.result(), whole, `pieces of ${size}`);
  }
  const unfinished = new TrainLogReader();
  unfinished.push('Iteration 3, lr = 0.5');
  assert.deepEqual(unfinished.result().lr, []);
  unfinished.end();
  assert.deepEqual(unfinished.result().lr, [{ iter: 3, lr: 0.5 }]);
});

test('followed line by line, the changes rebuild the log and copy only new or still open entries', () => {
  const text = fs.readFileSync(path.join(logs, 'tests.log'), 'utf8');
  const whole = parseTrainLog(text);
  const reader = new TrainLogReader();
  const mirror: TrainLog = { train: [], test: [], lr: [], runs: [] };
  let copied = 0;
  let pieces = 0;
  // Pieces that end mid-line, as a file being written is read.
  for (let at = 0; at < text.length; at += 37) {
    reader.push(text.slice(at, at + 37));
    const delta = reader.takeChanges();
    copied += delta.train.entries.length + delta.test.entries.length + delta.lr.entries.length;
    pieces++;
    applyDelta(mirror, delta);
    assert.deepEqual(mirror, reader.result());
  }
  reader.end();
  applyDelta(mirror, reader.takeChanges());
  assert.deepEqual(mirror, whole);
  const entries = whole.train.length + whole.test.length + whole.lr.length;
  // An entry comes again only while lines are still being added to it (one per output line at most).
  const outputLines = text.split('\n').filter((l) => / net output #| Test loss: /.test(l)).length;
  assert.ok(copied <= entries + outputLines, `${copied} copied for ${entries} entries in ${pieces} pieces`);
  assert.ok(emptyDelta(reader.takeChanges()));
});

test('a log is recognised by its lines, whatever the file is called', () => {
  assert.ok(looksLikeTrainLog(fs.readFileSync(path.join(logs, 'tests.log'), 'utf8')));
  assert.ok(looksLikeTrainLog(OLDER));
  assert.ok(
    looksLikeTrainLog(
      'I0916 17:03:52.381402  2367 caffe.cpp:218] Using GPUs 0\nI0916 17:03:52.381402  2367 solver.cpp:44] Initializing solver from parameters: \n',
    ),
  );
  assert.ok(!looksLikeTrainLog('2024-01-01 server started\nloss = 3\nIteration of the plan\n'));
  assert.ok(!looksLikeTrainLog(''));
});

test('a 6,000-iteration run of real Caffe: every display and test, and rates equal to our schedule', () => {
  const log = parseTrainLog(fs.readFileSync(path.join(logs, 'classifier.log'), 'utf8'));
  assert.equal(log.train.length, 121);
  assert.deepEqual(
    log.test.map((t) => t.iter),
    Array.from({ length: 25 }, (_, i) => i * 250),
  );
  assert.deepEqual(Object.keys(log.test[0].outputs), ['accuracy', 'loss']);
  assert.ok(log.test[24].outputs.accuracy > 0.9, `final accuracy ${log.test[24].outputs.accuracy}`);
  const solver = fs.readFileSync(path.join(logs, '../classifier/solver.prototxt'), 'utf8');
  const schedule = makeSchedule(readSolverSchedule(parse(solver).fields).input).schedule;
  assert.ok(schedule);
  assert.equal(log.lr.length, 120);
  for (const { iter, lr } of log.lr)
    assert.equal(lr, Number(schedule.rateAt(iter).toPrecision(6)), `iteration ${iter}`);
});

test("NVIDIA Caffe's lines: the device tag, the epochs before the loss, more after the rate", () => {
  const glog = (file: string, text: string) => `I1202 10:00:00.000000 42 ${file}] ${text}`;
  const text = [
    glog('solver.cpp:594', 'Iteration 0, Testing net (#0)'),
    glog('solver.cpp:582', '    (0)    Test net output #0: accuracy = 0.001'),
    glog('solver.cpp:582', '    (0)    Test net output #1: loss = 6.9 (* 1 = 6.9 loss)'),
    glog('solver.cpp:344', '    [0] Iteration 0 (0.52 s), 0.0/90.0ep, loss = 6.95'),
    glog('solver.cpp:358', '    [0]     Train net output #0: loss = 6.95 (* 1 = 6.95 loss)'),
    glog('sgd_solver.cpp:180', '[0] Iteration 0, lr = 0.1, m = 0.9, lrm = 1, wd = 0.0001, gs = 1'),
    glog(
      'solver.cpp:339',
      '    [0] Iteration 20 (11.0664 iter/s, 1.80728s/20 iter), 0.1/90.0ep, loss = 6.88',
    ),
    glog('solver.cpp:358', '    [0]     Train net output #0: loss = 6.8 (* 1 = 6.8 loss)'),
    glog('sgd_solver.cpp:180', '[0] Iteration 20, lr = 0.1, m = 0.9, lrm = 1, wd = 0.0001, gs = 1'),
    // Its detection evaluation.
    glog('solver.cpp:594', 'Iteration 20, Testing net (#0)'),
    glog('solver.cpp:712', 'Test net output mAP #0: detection_eval = 0.42'),
  ].join('\n');
  assert.ok(looksLikeTrainLog(text));
  const log = parseTrainLog(text);
  assert.deepEqual(log.train, [
    { iter: 0, loss: 6.95, outputs: { loss: 6.95 } },
    { iter: 20, loss: 6.88, outputs: { loss: 6.8 } },
  ]);
  assert.deepEqual(log.test, [
    { iter: 0, net: 0, outputs: { accuracy: 0.001, loss: 6.9 } },
    { iter: 20, net: 0, outputs: { detection_eval: 0.42 } },
  ]);
  assert.deepEqual(log.lr, [
    { iter: 0, lr: 0.1 },
    { iter: 20, lr: 0.1 },
  ]);
});
