import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runLayer } from '../../../../common/run/run-layer';
import type { RunRequest } from '../../../../common/run/types';
import { aliveAfter, fixtures, groupMembers, hasProc, isAlive, SYSTEM_PYTHON } from './helpers';
import { needs } from '../../../helpers/resources';

const skip = hasProc ? needs('python') : { skip: 'needs /proc to look for left-over processes' };

const forever: RunRequest = {
  module: 'loops_forever',
  layer: 'LoopsForever',
  paramStr: 'spawn_child',
  bottoms: [{ shape: [2, 3] }],
  pycaffe: 'never',
};

function childPid(output: string): number | undefined {
  const m = /child pid (\d+)/.exec(output);
  return m ? Number(m[1]) : undefined;
}

test('an endless forward is killed at the timeout with every process it started', skip, async () => {
  let pgid: number | undefined;
  const r = await runLayer(forever, {
    python: SYSTEM_PYTHON,
    pythonPath: [fixtures],
    timeoutMs: 1500,
    onSpawn: (pid) => {
      pgid = pid;
    },
  });
  assert.equal(r.ok, false);
  assert.equal(r.error?.type, 'Timeout');
  assert.equal(r.error?.phase, 'timeout');
  assert.match(r.error?.message ?? '', /1\.5 s/);
  assert.ok(pgid !== undefined);
  assert.equal(isAlive(pgid), false, 'the harness is gone');
  assert.deepEqual(groupMembers(pgid), [], 'nothing is left in its process group');
  const child = childPid(r.output);
  if (child !== undefined)
    assert.equal(await aliveAfter(child), false, 'the child the layer started is gone');
});

test('an AbortSignal cancels the run and kills the layer and its child', skip, async () => {
  const controller = new AbortController();
  let pgid: number | undefined;
  let seen = '';
  const r = await runLayer(forever, {
    python: SYSTEM_PYTHON,
    pythonPath: [fixtures],
    timeoutMs: 120_000,
    signal: controller.signal,
    onSpawn: (pid) => {
      pgid = pid;
    },
    // Cancel once the layer has started its child, so the kill is known to cover a grandchild.
    onOutput: (text) => {
      seen += text;
      if (childPid(seen) !== undefined) controller.abort();
    },
  });
  assert.equal(r.error?.type, 'Cancelled');
  assert.equal(r.error?.phase, 'cancelled');
  const child = childPid(r.output);
  assert.ok(child !== undefined, r.output);
  assert.ok(pgid !== undefined);
  assert.equal(await aliveAfter(child), false);
  assert.deepEqual(groupMembers(pgid), []);
});

test('an already aborted signal never starts Python', async () => {
  const controller = new AbortController();
  controller.abort();
  let started = false;
  const r = await runLayer(forever, {
    python: SYSTEM_PYTHON,
    signal: controller.signal,
    onSpawn: () => {
      started = true;
    },
  });
  assert.equal(r.error?.type, 'Cancelled');
  assert.equal(started, false);
});
