// Our schedules against Caffe itself: for every lr_policy, each "Iteration N, lr = X" that real Caffe
// logged (printed with six significant digits) equals our rate at N printed the same way. First on the
// logs committed in test/fixtures/training/logs, then on a fresh run of the same solvers with pycaffe,
// whose log must also read back as the committed one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LR_POLICIES, makeSchedule } from '../../../../common/training/lr-schedule';
import { parseTrainLog, type TrainLog } from '../../../../common/training/train-log';
import { parse } from '../../../../server/src/parser/parse';
import { readSolverSchedule } from '../../../../server/src/training/solver-params';
import { findPycaffe, fromSolving, skipUnlessPycaffe, solveWithCaffe } from '../../../helpers/caffe-solver';
import { repoRoot } from '../../../helpers/paths';

const folder = path.join(repoRoot, 'test/fixtures/training');
const pycaffe = findPycaffe();

/**
 * As C++ streams print a float by default: six significant digits of the float's exact value (our
 * rate is the float's shortest decimal; rounding that again could round the other way).
 */
function printed(x: number): number {
  return Number(Math.fround(x).toPrecision(6));
}

function scheduleOf(policy: string) {
  const text = fs.readFileSync(path.join(folder, `${policy}.prototxt`), 'utf8');
  const solver = readSolverSchedule(parse(text).fields);
  const made = makeSchedule(solver.input);
  assert.ok(made.schedule, `${policy}: ${made.problems.map((p) => p.message).join('; ')}`);
  assert.equal(made.schedule.policy, policy);
  return { schedule: made.schedule, maxIter: solver.input.maxIter ?? 0 };
}

/** Every iteration of the run has its logged rate, and ours prints the same. */
function assertSameRates(policy: string, log: TrainLog): void {
  const { schedule, maxIter } = scheduleOf(policy);
  assert.deepEqual(
    log.lr.map((p) => p.iter),
    Array.from({ length: maxIter }, (_, i) => i),
    `${policy}: one logged rate per iteration`,
  );
  for (const { iter, lr } of log.lr) {
    assert.equal(printed(schedule.rateAt(iter)), lr, `${policy} at iteration ${iter}`);
  }
}

/**
 * Relative difference allowed between a loss or output this Caffe logs and the committed one: the
 * rates are computed the same everywhere, but the losses come from BLAS kernels that add in another
 * order on another processor (a last printed digit off after a few iterations).
 */
const LOSS_TOLERANCE = 1e-4;

/**
 * `actual` has the entries of `expected`: the same iterations, rates and output names, with losses
 * and outputs within LOSS_TOLERANCE.
 */
function assertSameLog(actual: TrainLog, expected: TrainLog, message: string): void {
  assert.deepEqual(actual.lr, expected.lr, `${message} (rates)`);
  const close = (a: unknown, b: unknown, where: string): void => {
    if (typeof a === 'number' && typeof b === 'number' && !where.endsWith('.iter')) {
      const scale = Math.max(Math.abs(a), Math.abs(b), 1e-12);
      assert.ok(
        a === b || Math.abs(a - b) <= LOSS_TOLERANCE * scale,
        `${message}: ${where} is ${a}, committed ${b}`,
      );
      return;
    }
    if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
      assert.equal(a, b, `${message}: ${where}`);
      return;
    }
    assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort(), `${message}: the fields of ${where}`);
    for (const key of Object.keys(a))
      close((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${where}.${key}`);
  };
  close(actual.train, expected.train, 'train');
  close(actual.test, expected.test, 'test');
}

function fixtureLog(name: string): TrainLog {
  return parseTrainLog(fs.readFileSync(path.join(folder, 'logs', `${name}.log`), 'utf8'));
}

for (const policy of LR_POLICIES) {
  test(`${policy}: the rates real Caffe logged are ours`, () => {
    const log = fixtureLog(policy);
    assertSameRates(policy, log);
    // Each displayed iteration and the final one of solve() have a training loss.
    assert.equal(log.train.length, scheduleOf(policy).maxIter + 1);
  });
}

test('the logged rates change where the policies say they do', () => {
  const changes = (policy: string) =>
    fixtureLog(policy)
      .lr.filter((p, i, all) => i > 0 && p.lr !== all[i - 1].lr)
      .map((p) => p.iter);
  assert.deepEqual(changes('fixed'), []);
  assert.deepEqual(changes('step'), [4, 8]);
  // stepvalue 3, 3, 5, 9: the repeated 3 steps at 4.
  assert.deepEqual(changes('multistep'), [3, 4, 5, 9]);
  assert.deepEqual(changes('exp'), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
});

const skip = skipUnlessPycaffe(pycaffe);

test(
  'a fresh run of every solver with pycaffe logs our rates and reads back as the fixture',
  { skip },
  () => {
    assert.ok(pycaffe.folder, pycaffe.missing || 'pycaffe');
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'caffe-lr-'));
    try {
      for (const name of fs.readdirSync(folder).filter((f) => f.endsWith('.prototxt'))) {
        fs.copyFileSync(path.join(folder, name), path.join(scratch, name));
      }
      for (const name of [...LR_POLICIES, 'tests']) {
        const run = solveWithCaffe(pycaffe.folder, `${name}.prototxt`, scratch);
        assert.equal(run.status, 0, `${name}: ${run.error?.message ?? ''}\n${run.log.slice(-2000)}`);
        const log = parseTrainLog(fromSolving(run.log));
        if (name !== 'tests') assertSameRates(name, log);
        assertSameLog(log, fixtureLog(name), `${name}: the committed log is what this Caffe writes`);
      }
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  },
);

test('a solver without lr_policy: Caffe stops at the first update, and we say so', { skip }, () => {
  assert.ok(pycaffe.folder, pycaffe.missing || 'pycaffe');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'caffe-lr-'));
  try {
    fs.copyFileSync(path.join(folder, 'net.prototxt'), path.join(scratch, 'net.prototxt'));
    const text = fs.readFileSync(path.join(folder, 'fixed.prototxt'), 'utf8').replace(/^lr_policy:.*\n/m, '');
    fs.writeFileSync(path.join(scratch, 'solver.prototxt'), text);
    const run = solveWithCaffe(pycaffe.folder, 'solver.prototxt', scratch);
    assert.notEqual(run.status, 0);
    assert.match(run.log, /Unknown learning rate policy/);
    const problems = makeSchedule(readSolverSchedule(parse(text).fields).input).problems;
    assert.deepEqual(
      problems.map((p) => `${p.severity} ${p.field}`),
      ['error lr_policy'],
    );
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});
