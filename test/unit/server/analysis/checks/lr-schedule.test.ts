// The lr-schedule check: where each problem of a solver's schedule is shown, and when it stays quiet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, checkBundled, type Found } from './helpers';
import { readSolverSchedule } from '../../../../../server/src/training/solver-params';
import { parse } from '../../../../../server/src/parser/parse';

function lr(found: readonly Found[]): string[] {
  return found.filter((f) => f.code === 'lr-schedule').map((f) => `${f.at} ${f.severity} ${f.message}`);
}

test('a clean solver has nothing to say', () => {
  const text =
    'net: "n.prototxt"\nbase_lr: 0.01\nlr_policy: "step"\ngamma: 0.1\nstepsize: 100\nmax_iter: 300\n';
  assert.deepEqual(lr(check(text)), []);
  assert.deepEqual(lr(checkBundled(text)), []);
});

test('a missing lr_policy is an error on base_lr when the solver names its net; missing parameters point at lr_policy', () => {
  assert.deepEqual(lr(check('base_lr: 0.01\nmomentum: 0.9\n')), []);
  assert.deepEqual(lr(check('net: "n.prototxt"\nbase_lr: 0.01\n')), [
    '2:1 error No lr_policy: Caffe stops at the first update ("Unknown learning rate policy"). Choose one of "fixed", "step", "exp", "inv", "multistep", "poly", "sigmoid".',
  ]);
  assert.deepEqual(lr(check('base_lr: 0.01\nmax_iter: 10\nlr_policy: "multistep"\ngamma: 0.1\n')), [
    '3:1 warning lr_policy "multistep" without stepvalue keeps the rate at base_lr.',
  ]);
  assert.deepEqual(lr(check('# proto-message: caffe.SolverParameter\n')), []);
});

test('an unknown policy: an error with the fix under BVLC, a warning under a proto of the user', () => {
  const text = 'base_lr: 0.01\nlr_policy: "Step"\ngamma: 0.1\nstepsize: 10\n';
  const bundled = checkBundled(text).filter((f) => f.code === 'lr-schedule');
  assert.equal(bundled.length, 1);
  assert.equal(bundled[0].at, '2:12');
  assert.equal(bundled[0].severity, 'error');
  assert.deepEqual(bundled[0].suggestions, ['"step"']);
  const user = check(text).filter((f) => f.code === 'lr-schedule');
  assert.equal(user[0].severity, 'warning');
  assert.match(user[0].message, /no learning rate policy "Step".* A fork of Caffe may add it\.$/);
});

test('a stepvalue problem is shown on that stepvalue, written as fields or as a list', () => {
  const fields =
    'base_lr: 1\nlr_policy: "multistep"\ngamma: 0.5\nstepvalue: 20\nstepvalue: 10\nmax_iter: 30\n';
  const found = lr(check(fields));
  assert.equal(found.length, 1);
  assert.match(found[0], /^5:12 warning stepvalue 10 is not above the one before it \(20\)/);
  const list = 'base_lr: 1\nlr_policy: "multistep"\ngamma: 0.5\nstepvalue: [10, 40]\nmax_iter: 30\n';
  assert.deepEqual(lr(check(list)), [
    '4:17 warning stepvalue 40 is never reached: training stops after iteration 29 (max_iter 30).',
  ]);
});

test('errors Caffe stops on, and unused parameters as hints on their fields', () => {
  const text = 'base_lr: 1\nlr_policy: "step"\ngamma: -0.1\npower: 2\nmax_iter: 30\n';
  assert.deepEqual(lr(check(text)), [
    '2:1 error lr_policy "step" needs stepsize > 0; Caffe stops with a failed check otherwise.',
    '3:1 error lr_policy "step" needs gamma >= 0 (Caffe stops with a failed check).',
    '4:1 hint power is not read by lr_policy "step".',
  ]);
});

test('values of the wrong kind are left to the value check; nets are not solvers', () => {
  assert.deepEqual(lr(check('base_lr: 1\nlr_policy: "step"\nstepsize: 2.5\n')), []);
  assert.deepEqual(lr(check('base_lr: 1\nlr_policy: step\ngamma: 0.1\nstepsize: 3\n')), []);
  assert.deepEqual(lr(check('name: "n"\nlayer { name: "a" type: "Input" top: "a" }\n')), []);
});

test('the reader takes the first of a repeated singular field and every stepvalue', () => {
  const read = readSolverSchedule(
    parse('lr_policy: "poly"\nlr_policy: "fixed"\nbase_lr: 2\nstepvalue: 1\nstepvalue: [2, 3]\nmax_iter: 9\n')
      .fields,
  );
  assert.deepEqual(read.input, {
    lrPolicy: 'poly',
    baseLr: 2,
    stepvalue: [1, 2, 3],
    maxIter: 9,
    runnable: false,
    testsFirst: false,
  });
  assert.equal(readSolverSchedule(parse('train_net: "t.prototxt"').fields).input.runnable, true);
  // Tests before the first iteration: test_iter given, test_initialization not false.
  const testsFirst = (text: string) => readSolverSchedule(parse(text).fields).input.testsFirst;
  assert.equal(testsFirst('test_iter: 10'), true);
  assert.equal(testsFirst('test_iter: 10\ntest_initialization: false'), false);
  assert.equal(testsFirst('test_initialization: true'), false);
  assert.deepEqual(read.unreadable, []);
  assert.equal(read.stepvalues.length, 3);
});
