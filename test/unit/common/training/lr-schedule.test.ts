// Learning-rate schedules: values worked out by hand at chosen iterations (the boundaries of each
// step included), the points of a plot, and the problems reported for missing or contradictory
// parameters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  makeSchedule,
  multistepIterations,
  scheduleProblems,
  schedulePoints,
  shortestFloat32,
  type LrSchedule,
  type ScheduleInput,
} from '../../../../common/training/lr-schedule';

function schedule(input: Partial<ScheduleInput>): LrSchedule {
  const made = makeSchedule({ stepvalue: [], ...input });
  assert.ok(made.schedule, `no schedule: ${made.problems.map((p) => p.message).join('; ')}`);
  return made.schedule;
}

/** Equal to single precision (Caffe keeps rates as floats). */
function near(actual: number, expected: number, what: string): void {
  const scale = Math.max(Math.abs(expected), 1e-30);
  assert.ok(Math.abs(actual - expected) / scale < 1e-6, `${what}: ${actual}, expected ${expected}`);
}

function expectRates(s: LrSchedule, expected: Record<number, number>): void {
  for (const [iter, lr] of Object.entries(expected)) near(s.rateAt(Number(iter)), lr, `iteration ${iter}`);
}

test('fixed keeps base_lr', () => {
  const s = schedule({ lrPolicy: 'fixed', baseLr: 0.01, maxIter: 100 });
  expectRates(s, { 0: 0.01, 1: 0.01, 99: 0.01, 5000: 0.01 });
  assert.deepEqual(s.jumpsUpTo(100), []);
});

test('step: base_lr * gamma ^ floor(iter / stepsize), dropping exactly at each multiple', () => {
  const s = schedule({ lrPolicy: 'step', baseLr: 0.01, gamma: 0.1, stepsize: 100, maxIter: 350 });
  expectRates(s, { 0: 0.01, 99: 0.01, 100: 0.001, 199: 0.001, 200: 0.0001, 299: 0.0001, 300: 0.00001 });
  assert.deepEqual(s.jumpsUpTo(350), [100, 200, 300]);
  assert.deepEqual(s.jumpsUpTo(299), [100, 200]);
});

test('exp: base_lr * gamma ^ iter', () => {
  const s = schedule({ lrPolicy: 'exp', baseLr: 0.01, gamma: 0.99 });
  expectRates(s, { 0: 0.01, 1: 0.0099, 2: 0.009801, 3: 0.00970299 });
});

test('inv: base_lr * (1 + gamma * iter) ^ -power (the LeNet solver)', () => {
  const s = schedule({ lrPolicy: 'inv', baseLr: 0.01, gamma: 0.0001, power: 0.75 });
  // (1 + 1)^-0.75 = 0.5946035575; (1 + 3)^-0.75 = 2^-1.5 = 0.3535533906
  expectRates(s, { 0: 0.01, 10000: 0.005946035575, 30000: 0.003535533906 });
});

test('multistep: one gamma per stepvalue passed, at the stepvalue itself', () => {
  const s = schedule({ lrPolicy: 'multistep', baseLr: 0.1, gamma: 0.1, stepvalue: [10, 20], maxIter: 30 });
  expectRates(s, { 0: 0.1, 9: 0.1, 10: 0.01, 19: 0.01, 20: 0.001, 29: 0.001 });
  assert.deepEqual(s.jumpsUpTo(30), [10, 20]);
});

test('multistep: repeated or decreasing stepvalues advance one step per iteration, as Caffe does', () => {
  assert.deepEqual(multistepIterations([3, 3, 5]), [3, 4, 5]);
  assert.deepEqual(multistepIterations([3, 3, 4]), [3, 4, 5]);
  assert.deepEqual(multistepIterations([20, 10]), [20, 21]);
  assert.deepEqual(multistepIterations([0, 0]), [0, 1]);
  // Caffe's own log for 0.01, gamma 0.5, stepvalue 3, 3, 5: 0.01 0.01 0.01 0.005 0.0025 0.00125 0.00125
  const s = schedule({ lrPolicy: 'multistep', baseLr: 0.01, gamma: 0.5, stepvalue: [3, 3, 5] });
  expectRates(s, { 0: 0.01, 2: 0.01, 3: 0.005, 4: 0.0025, 5: 0.00125, 6: 0.00125 });
  // A step at iteration 0 has no jump to draw.
  assert.deepEqual(
    schedule({ lrPolicy: 'multistep', baseLr: 1, gamma: 0.5, stepvalue: [0, 2] }).jumpsUpTo(9),
    [2],
  );
});

test('poly: base_lr * (1 - iter / max_iter) ^ power, 0 at max_iter', () => {
  const s = schedule({ lrPolicy: 'poly', baseLr: 0.01, power: 2, maxIter: 100 });
  expectRates(s, { 0: 0.01, 50: 0.0025, 90: 0.0001 });
  // At 99, 1 - 0.99 cancels in single precision: (1 - 0.99000001)^2 * 0.01 = 9.99998e-7, not 1e-6.
  near(s.rateAt(99), 9.99998e-7, 'iteration 99');
  assert.equal(s.rateAt(100), 0);
  const linear = schedule({ lrPolicy: 'poly', baseLr: 0.5, power: 1, maxIter: 8 });
  expectRates(linear, { 0: 0.5, 2: 0.375, 6: 0.125 });
});

test('sigmoid: base_lr / (1 + exp(-gamma * (iter - stepsize))), half of base_lr at stepsize', () => {
  const s = schedule({ lrPolicy: 'sigmoid', baseLr: 0.01, gamma: 0.1, stepsize: 50 });
  // 1 / (1 + e^-1) = 0.7310585786; 1 / (1 + e) = 0.2689414214
  expectRates(s, { 50: 0.005, 60: 0.007310585786, 40: 0.002689414214 });
});

test('rates are the float Caffe keeps, written as the shortest decimal of that float', () => {
  assert.equal(shortestFloat32(Math.fround(0.1)), 0.1);
  assert.equal(shortestFloat32(0.1 + 1e-12), 0.1);
  assert.equal(shortestFloat32(Math.fround(1 / 3)), 0.33333334);
  assert.equal(schedule({ lrPolicy: 'fixed', baseLr: 0.1 }).rateAt(7), 0.1);
  // 0.01f * 0.1f^2 is 1.00000000745e-4 in double; Caffe keeps its float, the float of 0.0001.
  assert.equal(schedule({ lrPolicy: 'step', baseLr: 0.01, gamma: 0.1, stepsize: 1 }).rateAt(2), 0.0001);
  // poly divides and subtracts in single precision: 3 * (1 - 1/3) is 1.9999999 for Caffe, not 2.
  assert.equal(schedule({ lrPolicy: 'poly', baseLr: 3, power: 1, maxIter: 3 }).rateAt(1), 1.9999999);
});

test('points: every iteration of a short run', () => {
  const s = schedule({ lrPolicy: 'step', baseLr: 1, gamma: 0.5, stepsize: 4, maxIter: 10 });
  const points = schedulePoints(s, 10);
  assert.deepEqual(
    points.map((p) => p.iter),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  );
  assert.deepEqual(
    points.map((p) => p.lr),
    [1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25],
  );
});

test('points: both sides of every jump plus an even sampling, at most 1,000', () => {
  const s = schedule({ lrPolicy: 'multistep', baseLr: 0.1, gamma: 0.1, stepvalue: [32000, 48000] });
  const points = schedulePoints(s, 64000);
  assert.ok(points.length <= 1000 && points.length > 900, `${points.length} points`);
  const at = new Map(points.map((p) => [p.iter, p.lr]));
  assert.equal(at.get(31999), 0.1);
  near(at.get(32000) ?? NaN, 0.01, '32000');
  near(at.get(47999) ?? NaN, 0.01, '47999');
  near(at.get(48000) ?? NaN, 0.001, '48000');
  assert.equal(points[0].iter, 0);
  assert.equal(points[points.length - 1].iter, 64000);
  for (let i = 1; i < points.length; i++) assert.ok(points[i].iter > points[i - 1].iter);
});

test('points: jumps too dense to list become an even sampling', () => {
  const s = schedule({ lrPolicy: 'step', baseLr: 1, gamma: 0.999, stepsize: 10, maxIter: 100000 });
  const points = schedulePoints(s, 100000, 1000);
  assert.equal(points.length, 1000);
  assert.equal(points[999].iter, 100000);
  // gamma is the float 0.99900001287...: its 10,000th power is 1.3e-4 above 0.999^10000.
  near(points[999].lr, Math.pow(Math.fround(0.999), 10000), 'last');
});

function problemsOf(input: Partial<ScheduleInput>): string[] {
  return scheduleProblems({ stepvalue: [], baseLr: 0.01, ...input }).map(
    (p) => `${p.severity} ${p.field}${p.index !== undefined ? `[${p.index}]` : ''}: ${p.message}`,
  );
}

test('problems: no policy (said only of a solver that names its net), an unknown one, a miscased one', () => {
  assert.deepEqual(problemsOf({}), []);
  assert.match(
    problemsOf({ runnable: true })[0],
    /^error lr_policy: No lr_policy: Caffe stops at the first update/,
  );
  assert.match(
    problemsOf({ lrPolicy: 'cosine' })[0],
    /^error lr_policy: .*no learning rate policy "cosine"\. It knows "fixed", /,
  );
  const miscased = scheduleProblems({ lrPolicy: 'Step', stepvalue: [] });
  assert.equal(miscased[0].replacement, 'step');
  assert.match(miscased[0].message, /did you mean "step"\?/);
  assert.equal(makeSchedule({ lrPolicy: 'Step', stepvalue: [] }).schedule, undefined);
});

test('problems: what makes Caffe stop leaves no schedule', () => {
  const cases: [Partial<ScheduleInput>, RegExp][] = [
    [{ lrPolicy: 'step', gamma: 0.1 }, /^error stepsize: lr_policy "step" needs stepsize > 0/],
    [{ lrPolicy: 'step', gamma: 0.1, stepsize: 0 }, /^error stepsize: /],
    [{ lrPolicy: 'sigmoid', gamma: 0.1, stepsize: -5 }, /^error stepsize: lr_policy "sigmoid" needs/],
    [{ lrPolicy: 'exp', gamma: -0.5 }, /^error gamma: lr_policy "exp" needs gamma >= 0/],
    [{ lrPolicy: 'multistep', gamma: -1, stepvalue: [5] }, /^error gamma: /],
    [{ lrPolicy: 'poly', power: 0.9 }, /^error max_iter: lr_policy "poly" divides .* by max_iter/],
  ];
  for (const [input, expected] of cases) {
    assert.match(problemsOf(input).join('\n'), expected);
    assert.equal(
      makeSchedule({ stepvalue: [], baseLr: 1, ...input }).schedule,
      undefined,
      JSON.stringify(input),
    );
  }
  assert.match(
    problemsOf({ lrPolicy: 'step', gamma: 0.1, stepvalue: [5] }).join('\n'),
    /stepvalue is read by lr_policy "multistep"/,
  );
});

test('problems: parameters left at 0 that make a policy degenerate are warnings', () => {
  assert.deepEqual(problemsOf({ lrPolicy: 'fixed', baseLr: undefined }), [
    'warning base_lr: No base_lr: it is 0, so every rate is 0.',
  ]);
  assert.deepEqual(problemsOf({ lrPolicy: 'step', stepsize: 10 }), [
    'warning gamma: No gamma: it is 0, so the rate drops to 0 at the first step.',
  ]);
  assert.deepEqual(problemsOf({ lrPolicy: 'inv', gamma: 0.0001 }), [
    'warning power: No power: it is 0, so lr_policy "inv" keeps the rate at base_lr.',
  ]);
  assert.deepEqual(problemsOf({ lrPolicy: 'poly', maxIter: 10 }), [
    'warning power: No power: it is 0, so lr_policy "poly" keeps the rate at base_lr.',
  ]);
  assert.deepEqual(problemsOf({ lrPolicy: 'multistep', gamma: 0.1, stepsize: 100 }), [
    'warning stepvalue: lr_policy "multistep" without stepvalue keeps the rate at base_lr (stepsize is read by lr_policy "step").',
    'hint stepsize: stepsize is not read by lr_policy "multistep".',
  ]);
  assert.deepEqual(problemsOf({ lrPolicy: 'sigmoid', stepsize: 100 }), [
    'warning gamma: No gamma: it is 0, so the rate stays base_lr / 2.',
  ]);
  // A warning's schedule is still drawn.
  assert.ok(makeSchedule({ lrPolicy: 'step', stepsize: 10, stepvalue: [] }).schedule);
});

test('problems: stepvalues out of order or past max_iter, a stepsize past max_iter', () => {
  assert.deepEqual(
    problemsOf({ lrPolicy: 'multistep', gamma: 0.1, stepvalue: [100, 100, 50, 300], maxIter: 300 }),
    [
      'warning stepvalue[1]: stepvalue 100 is not above the one before it (100): Caffe takes at most one step per iteration, so this step comes at iteration 101.',
      'warning stepvalue[2]: stepvalue 50 is not above the one before it (100): Caffe takes at most one step per iteration, so this step comes at iteration 102.',
      'hint stepvalue[3]: stepvalue 300 equals max_iter: training stops after iteration 299, so this step never comes.',
    ],
  );
  assert.deepEqual(problemsOf({ lrPolicy: 'multistep', gamma: 0.1, stepvalue: [100, 400], maxIter: 300 }), [
    'warning stepvalue[1]: stepvalue 400 is never reached: training stops after iteration 299 (max_iter 300).',
  ]);
  assert.deepEqual(problemsOf({ lrPolicy: 'multistep', gamma: 0.1, stepvalue: [299], maxIter: 300 }), []);
  // A step at max_iter itself is how a schedule often says "at the end": it never comes, which is a hint.
  assert.deepEqual(problemsOf({ lrPolicy: 'step', gamma: 0.1, stepsize: 300, maxIter: 300 }), [
    'hint stepsize: stepsize 300 equals max_iter: the first drop would come after the last iteration, so the rate never drops during training.',
  ]);
  assert.deepEqual(problemsOf({ lrPolicy: 'step', gamma: 0.1, stepsize: 400, maxIter: 300 }), [
    'warning stepsize: stepsize 400 is not below max_iter 300: the rate never drops during training.',
  ]);
  // A max_iter written as 0 is an evaluation run (`caffe train` tests iteration 0, updates nothing).
  assert.deepEqual(problemsOf({ lrPolicy: 'poly', power: 0.5, maxIter: 0 }), [
    'warning max_iter: lr_policy "poly" divides the iteration by max_iter, which is 0: `caffe train` runs no iteration, and a solver stepped from Python would get rates that are not numbers.',
  ]);
  // With tests before the first iteration it is the evaluation run SSD's scoring scripts write (Pelee).
  assert.deepEqual(problemsOf({ lrPolicy: 'poly', power: 0.5, maxIter: 0, testsFirst: true }), [
    'hint max_iter: max_iter is 0 and the solver tests first: `caffe train` only runs the tests of iteration 0 (an evaluation run) and never reads lr_policy "poly", which divides by max_iter; a solver stepped from Python would get rates that are not numbers.',
  ]);
  assert.equal(
    makeSchedule({ stepvalue: [], baseLr: 1, lrPolicy: 'poly', power: 0.5, maxIter: 0 }).schedule,
    undefined,
  );
  // Without max_iter (solvers stepped from Python), nothing is said about reaching a step.
  assert.deepEqual(problemsOf({ lrPolicy: 'step', gamma: 0.1, stepsize: 300 }), []);
  // Nor where no rate could drop: a rate of 0 (a solver that only snapshots), a run of one iteration.
  assert.deepEqual(problemsOf({ lrPolicy: 'step', gamma: 0.1, stepsize: 1, maxIter: 1, baseLr: 0 }), []);
  assert.deepEqual(problemsOf({ lrPolicy: 'step', gamma: 0.1, stepsize: 5, maxIter: 1 }), []);
  assert.deepEqual(
    problemsOf({ lrPolicy: 'multistep', gamma: 0.1, stepvalue: [300], maxIter: 300, baseLr: 0 }),
    [],
  );
  assert.deepEqual(problemsOf({ lrPolicy: 'step', gamma: 0.1, stepsize: 3, maxIter: 2 }), [
    'warning stepsize: stepsize 3 is not below max_iter 2: the rate never drops during training.',
  ]);
});

test('problems: parameters the policy does not read are hints', () => {
  assert.deepEqual(problemsOf({ lrPolicy: 'fixed', gamma: 0.1, power: 0.75, stepvalue: [5, 6] }), [
    'hint gamma: gamma is not read by lr_policy "fixed".',
    'hint power: power is not read by lr_policy "fixed".',
    'hint stepvalue: stepvalue is not read by lr_policy "fixed".',
  ]);
  assert.deepEqual(problemsOf({ lrPolicy: 'poly', power: 0.9, gamma: 0.1, maxIter: 10 }), [
    'hint gamma: gamma is not read by lr_policy "poly".',
  ]);
});

test("NVIDIA Caffe's warm-up and floor: the square ramp to base_lr, poly decaying to min_lr, no rate under it", () => {
  const rate = (s: LrSchedule, iter: number) => Number(s.rateAt(iter).toPrecision(6));
  const poly = schedule({
    lrPolicy: 'poly',
    baseLr: 0.1,
    power: 2,
    maxIter: 1000,
    rampupInterval: 100,
    rampupLr: 0.001,
    minLr: 0.0001,
  });
  // 0.001 + (0.1 - 0.001) * 0.5²; then (0.1 - 0.0001) * 0.9² + 0.0001; at the end min_lr.
  assert.deepEqual(
    [0, 50, 100, 1000].map((i) => rate(poly, i)),
    [0.001, 0.02575, 0.081019, 0.0001],
  );
  // No rate is checked during the warm-up: the step of stepvalue 50 comes at its end.
  const multistep = schedule({
    lrPolicy: 'multistep',
    baseLr: 0.1,
    gamma: 0.1,
    stepvalue: [50, 200],
    rampupInterval: 100,
  });
  assert.deepEqual(
    [0, 99, 100, 199, 200].map((i) => rate(multistep, i)),
    [0, 0.09801, 0.01, 0.01, 0.001],
  );
  assert.deepEqual(multistepIterations([50, 200], 100), [100, 200]);
  const floored = schedule({ lrPolicy: 'step', baseLr: 0.1, gamma: 0.1, stepsize: 10, minLr: 0.005 });
  assert.deepEqual(
    [9, 10, 20, 30].map((i) => rate(floored, i)),
    [0.1, 0.01, 0.005, 0.005],
  );
  // Without them, BVLC's rates.
  assert.equal(rate(schedule({ lrPolicy: 'poly', baseLr: 0.1, power: 1, maxIter: 10 }), 5), 0.05);
  const problems = (input: Partial<ScheduleInput>) =>
    scheduleProblems({ stepvalue: [], ...input }).map((p) => `${p.severity} ${p.field}`);
  assert.deepEqual(problems({ lrPolicy: 'fixed', baseLr: 0.1, minLr: -1 }), ['error min_lr']);
  assert.deepEqual(problems({ lrPolicy: 'poly', baseLr: 0.001, power: 1, maxIter: 10, minLr: 0.01 }), [
    'error base_lr',
  ]);
});
