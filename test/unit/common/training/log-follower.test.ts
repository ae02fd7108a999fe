// Following a growing training log: the first read gives the whole log, appended lines (also cut in
// the middle of a line or of a UTF-8 character) come as deltas of only what changed, a file that shrinks
// is read again from its start, and a missing file is a problem, not a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogFollower } from '../../../../common/training/log-follower';
import {
  applyDelta,
  parseTrainLog,
  type TrainLog,
  type TrainLogDelta,
} from '../../../../common/training/train-log';
import { repoRoot } from '../../../helpers/paths';

const logs = path.join(repoRoot, 'test/fixtures/training/logs');

function follower(file: string) {
  const seen: { resets: TrainLog[]; deltas: TrainLogDelta[]; problems: string[] } = {
    resets: [],
    deltas: [],
    problems: [],
  };
  const f = new LogFollower(file, {
    reset: (log) => seen.resets.push(structuredClone(log)),
    append: (delta) => seen.deltas.push(structuredClone(delta)),
    problem: (message) => seen.problems.push(message),
  });
  return { f, seen };
}

test('a log written in pieces is followed to the same result as reading it whole', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'follow-'));
  try {
    const text = fs.readFileSync(path.join(logs, 'tests.log'), 'utf8');
    const file = path.join(dir, 'train.log');
    const cut = text.indexOf('\n', text.length / 2) + 20;
    fs.writeFileSync(file, text.slice(0, cut));
    const { f, seen } = follower(file);
    await f.start();
    assert.equal(seen.resets.length, 1);
    const mirror = seen.resets[0];
    // The rest, in pieces that end inside lines; each wake reads only what was added.
    for (let at = cut; at < text.length; at += 500) {
      fs.appendFileSync(file, text.slice(at, at + 500));
      await f.wake();
    }
    f.stop();
    for (const delta of seen.deltas) applyDelta(mirror, delta);
    assert.deepEqual(mirror, parseTrainLog(text));
    const copied = seen.deltas.reduce(
      (n, d) => n + d.train.entries.length + d.test.entries.length + d.lr.entries.length,
      0,
    );
    const whole = parseTrainLog(text);
    assert.ok(copied < whole.train.length + whole.test.length + whole.lr.length, `${copied} entries copied`);
    assert.deepEqual(seen.problems, []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a character split across reads, a rewritten file and a missing one', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'follow-'));
  try {
    const file = path.join(dir, 'train.log');
    const line = 'I0101 00:00:00.000000 1 solver.cpp:258]     Train net output #0: größe = 0.5\n';
    fs.writeFileSync(file, 'I0101 00:00:00.000000 1 solver.cpp:239] Iteration 10, loss = 1.5\n');
    const { f, seen } = follower(file);
    await f.start();
    const bytes = Buffer.from(line, 'utf8');
    const split = bytes.indexOf(Buffer.from('ö')) + 1;
    fs.appendFileSync(file, bytes.subarray(0, split));
    await f.wake();
    fs.appendFileSync(file, bytes.subarray(split));
    await f.wake();
    const mirror = seen.resets[0];
    for (const delta of seen.deltas) applyDelta(mirror, delta);
    assert.deepEqual(mirror.train, [{ iter: 10, loss: 1.5, outputs: { größe: 0.5 } }]);

    fs.writeFileSync(file, 'I0101 00:00:00.000000 1 solver.cpp:239] Iteration 0, loss = 9\n');
    await f.wake();
    assert.equal(seen.resets.length, 2);
    assert.deepEqual(seen.resets[1].train, [{ iter: 0, loss: 9, outputs: {} }]);

    fs.rmSync(file);
    await f.wake();
    f.stop();
    assert.match(seen.problems[0] ?? '', /Cannot read .*train\.log/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
