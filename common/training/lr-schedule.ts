// The learning rate Caffe's SGD solver (and every solver built on it: Nesterov, AdaGrad, RMSProp,
// AdaDelta, Adam) uses at each iteration, for each `lr_policy` it knows. The arithmetic follows the
// compiled solver: parameters are single-precision floats, the step index of "step" is an integer
// division, "step", "exp" and "multistep" raise gamma to an integer power in double precision, and
// "inv", "poly" and "sigmoid" work in single precision throughout. Rates are the float Caffe keeps.
// "multistep" advances at most one step per iteration, so repeated or decreasing stepvalues take
// effect one iteration after the step before them, as in a run started at iteration 0.
// A rate is given as the shortest decimal that reads back as Caffe's float (0.1, not 0.100000001...).
// Pure: no I/O, no imports.

export const LR_POLICIES = ['fixed', 'step', 'exp', 'inv', 'multistep', 'poly', 'sigmoid'] as const;
export type LrPolicy = (typeof LR_POLICIES)[number];

/** The solver fields the schedule reads, as written (undefined when absent). */
export interface ScheduleInput {
  lrPolicy?: string;
  baseLr?: number;
  gamma?: number;
  power?: number;
  stepsize?: number;
  stepvalue: readonly number[];
  maxIter?: number;
  /**
   * NVIDIA Caffe's warm-up and floor (fields of its SolverParameter only): over the first
   * `rampupInterval` iterations the rate rises from `rampupLr` to base_lr as the square of the
   * fraction done; no rate is below `minLr`, which "poly" decays to instead of 0.
   */
  rampupInterval?: number;
  rampupLr?: number;
  minLr?: number;
  /** The solver names the net it trains, so it is meant to be run (a missing policy is reported then). */
  runnable?: boolean;
  /**
   * The solver tests before its first iteration (test_iter given, test_initialization not false): with
   * max_iter 0 it is an evaluation run (SSD's score_ssd_pascal.py writes such solvers).
   */
  testsFirst?: boolean;
}

export type ScheduleField =
  'lr_policy' | 'base_lr' | 'gamma' | 'power' | 'stepsize' | 'stepvalue' | 'max_iter' | 'min_lr';

export interface ScheduleProblem {
  /** 'error': Caffe stops or the rates are not numbers; 'warning': likely a mistake; 'hint': unused. */
  severity: 'error' | 'warning' | 'hint';
  /** The field the problem is about (absent from the file when the problem is that it is missing). */
  field: ScheduleField;
  /** Which `stepvalue` entry, for problems about one of them. */
  index?: number;
  message: string;
  /** A replacement value for the field (a policy name for a miscased one). */
  replacement?: string;
  /**
   * A drop max_iter ends training before, one that a run longer than max_iter would reach: what comes
   * past it ("stepvalue 140000").
   */
  pastEnd?: string;
}

export interface LrPoint {
  iter: number;
  lr: number;
}

export interface LrSchedule {
  policy: LrPolicy;
  /** The rate at an iteration (a non-negative integer) of a run started at iteration 0. */
  rateAt(iter: number): number;
  /** Iterations in [1, end] where the rate changes by a step ("step" and "multistep"; else none). */
  jumpsUpTo(end: number): number[];
}

/** Which of gamma, power, stepsize, stepvalue and max_iter each policy reads (all read base_lr). */
export const PARAMETERS_READ: Readonly<Record<LrPolicy, readonly ScheduleField[]>> = {
  fixed: [],
  step: ['gamma', 'stepsize'],
  exp: ['gamma'],
  inv: ['gamma', 'power'],
  multistep: ['gamma', 'stepvalue'],
  poly: ['power', 'max_iter'],
  sigmoid: ['gamma', 'stepsize'],
};

const f32 = Math.fround;

/** The shortest decimal whose single-precision value is the float `x` (x itself when not finite). */
export function shortestFloat32(x: number): number {
  const single = f32(x);
  if (!Number.isFinite(single)) return single;
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(single.toPrecision(digits));
    if (f32(candidate) === single) return candidate;
  }
  return Number(single.toPrecision(9));
}

export function isLrPolicy(name: string): name is LrPolicy {
  return (LR_POLICIES as readonly string[]).includes(name);
}

/** The schedule of a solver, or only problems when Caffe would stop or compute no numbers. */
export function makeSchedule(input: ScheduleInput): { schedule?: LrSchedule; problems: ScheduleProblem[] } {
  const problems = scheduleProblems(input);
  const policy = input.lrPolicy;
  if (policy === undefined || !isLrPolicy(policy) || problems.some((p) => p.severity === 'error')) {
    return { problems };
  }
  // No rate of "poly" is a number without a max_iter (a max_iter of 0 is only a warning: no run).
  if (policy === 'poly' && !((input.maxIter ?? 0) > 0)) return { problems };
  const exact = withRampupAndFloor(scheduleFor(policy, input), input);
  return { schedule: { ...exact, rateAt: (iter) => shortestFloat32(exact.rateAt(iter)) }, problems };
}

/** NVIDIA Caffe's warm-up before the policy's rates and its floor under them (see ScheduleInput). */
function withRampupAndFloor(schedule: LrSchedule, input: ScheduleInput): LrSchedule {
  const interval = input.rampupInterval ?? 0;
  const minLr = f32(input.minLr ?? 0);
  if (interval <= 0 && minLr <= 0) return schedule;
  const base = f32(input.baseLr ?? 0);
  const from = f32(input.rampupLr ?? 0);
  return {
    ...schedule,
    rateAt: (iter) => {
      let rate: number;
      if (iter < interval) {
        const alpha = f32(f32(iter) / f32(interval));
        rate = f32(from + f32(f32(f32(base - from) * alpha) * alpha));
      } else rate = schedule.rateAt(iter);
      return rate < minLr ? minLr : rate;
    },
  };
}

function scheduleFor(policy: LrPolicy, input: ScheduleInput): LrSchedule {
  const base = f32(input.baseLr ?? 0);
  const gamma = f32(input.gamma ?? 0);
  const power = f32(input.power ?? 0);
  const stepsize = input.stepsize ?? 0;
  const maxIter = input.maxIter ?? 0;
  const noJumps = (): number[] => [];
  switch (policy) {
    case 'fixed':
      return { policy, rateAt: () => base, jumpsUpTo: noJumps };
    case 'step':
      return {
        policy,
        rateAt: (iter) => f32(base * Math.pow(gamma, Math.floor(iter / stepsize))),
        jumpsUpTo: (end) => {
          const out: number[] = [];
          for (let at = stepsize; at <= end; at += stepsize) out.push(at);
          return out;
        },
      };
    case 'exp':
      return { policy, rateAt: (iter) => f32(base * Math.pow(gamma, iter)), jumpsUpTo: noJumps };
    case 'inv':
      return {
        policy,
        rateAt: (iter) => f32(base * f32(Math.pow(f32(1 + f32(gamma * f32(iter))), -power))),
        jumpsUpTo: noJumps,
      };
    case 'multistep': {
      // During NVIDIA Caffe's warm-up the policy is not consulted, so no step is taken before its end.
      const steps = multistepIterations(input.stepvalue, Math.max(0, input.rampupInterval ?? 0));
      return {
        policy,
        rateAt: (iter) => f32(base * Math.pow(gamma, countAtOrBelow(steps, iter))),
        jumpsUpTo: (end) => steps.filter((at) => at >= 1 && at <= end),
      };
    }
    case 'poly': {
      // NVIDIA Caffe decays to min_lr: (base_lr - min_lr) * (1 - iter / max_iter)^power + min_lr.
      const minLr = f32(input.minLr ?? 0);
      const span = f32(base - minLr);
      return {
        policy,
        rateAt: (iter) =>
          f32(f32(span * f32(Math.pow(f32(1 - f32(f32(iter) / f32(maxIter))), power))) + minLr),
        jumpsUpTo: noJumps,
      };
    }
    case 'sigmoid':
      return {
        policy,
        rateAt: (iter) => {
          const e = f32(Math.exp(f32(-gamma * f32(f32(iter) - f32(stepsize)))));
          return f32(base * f32(1 / f32(1 + e)));
        },
        jumpsUpTo: noJumps,
      };
  }
}

/**
 * The iteration at which "multistep" takes each step: Caffe compares the iteration with the next
 * stepvalue once per iteration (from `firstCheck` on) and advances by one, so a step never comes
 * before the iteration after the previous one.
 */
export function multistepIterations(stepvalues: readonly number[], firstCheck = 0): number[] {
  const out: number[] = [];
  let previous = firstCheck - 1;
  for (const value of stepvalues) {
    previous = Math.max(value, previous + 1);
    out.push(previous);
  }
  return out;
}

function countAtOrBelow(sorted: readonly number[], iter: number): number {
  let n = 0;
  while (n < sorted.length && sorted[n] <= iter) n++;
  return n;
}

/**
 * Points of the schedule over iterations [0, end]: every iteration when there are at most
 * `maxPoints`; otherwise, for each jump, the iterations just before and at it, plus evenly spaced
 * iterations for the rest (only the even spacing when the jumps alone would take most of the budget).
 */
export function schedulePoints(schedule: LrSchedule, end: number, maxPoints = 1000): LrPoint[] {
  const last = Math.max(0, Math.floor(end));
  const budget = Math.max(2, Math.floor(maxPoints));
  const iters = new Set<number>();
  if (last + 1 <= budget) {
    for (let i = 0; i <= last; i++) iters.add(i);
  } else {
    const jumps = schedule.jumpsUpTo(last);
    const jumpCost = 2 * jumps.length;
    if (jumpCost <= budget / 2) {
      for (const j of jumps) iters.add(j - 1).add(j);
    }
    const even = budget - (jumpCost <= budget / 2 ? jumpCost : 0);
    for (let k = 0; k < even; k++) iters.add(Math.round((k * last) / (even - 1)));
  }
  return [...iters].sort((a, b) => a - b).map((iter) => ({ iter, lr: schedule.rateAt(iter) }));
}

const QUOTED_POLICIES = LR_POLICIES.map((p) => `"${p}"`).join(', ');

/** Missing, contradictory or unused schedule parameters, in Caffe's terms. */
export function scheduleProblems(input: ScheduleInput): ScheduleProblem[] {
  const problems: ScheduleProblem[] = [];
  const add = (
    severity: ScheduleProblem['severity'],
    field: ScheduleField,
    message: string,
    extra: Partial<ScheduleProblem> = {},
  ) => problems.push({ severity, field, message, ...extra });
  const policy = input.lrPolicy;
  if (policy === undefined) {
    if (!input.runnable) return problems;
    add(
      'error',
      'lr_policy',
      `No lr_policy: Caffe stops at the first update ("Unknown learning rate policy"). Choose one of ${QUOTED_POLICIES}.`,
    );
    return problems;
  }
  if (!isLrPolicy(policy)) {
    const near = LR_POLICIES.find((p) => p === policy.trim().toLowerCase());
    add(
      'error',
      'lr_policy',
      `BVLC Caffe's SGD solver has no learning rate policy "${policy}"${near ? `; did you mean "${near}"?` : '.'} It knows ${QUOTED_POLICIES}.`,
      near ? { replacement: near } : {},
    );
    return problems;
  }
  if (input.baseLr === undefined) add('warning', 'base_lr', 'No base_lr: it is 0, so every rate is 0.');
  // NVIDIA Caffe's floor.
  const minLr = input.minLr;
  if (minLr !== undefined && minLr < 0) {
    add('error', 'min_lr', 'min_lr must be >= 0: Caffe stops with a failed check.');
  } else if (policy === 'poly' && minLr !== undefined && (input.baseLr ?? 0) < minLr) {
    add(
      'error',
      'base_lr',
      `lr_policy "poly" needs base_lr >= min_lr (${minLr}): Caffe stops with a failed check.`,
    );
  }
  const reads = PARAMETERS_READ[policy];
  const gamma = input.gamma;
  if (reads.includes('gamma') && gamma !== undefined && gamma < 0) {
    add('error', 'gamma', `lr_policy "${policy}" needs gamma >= 0 (Caffe stops with a failed check).`);
  }
  const stepsizeNeeded = policy === 'step' || policy === 'sigmoid';
  if (stepsizeNeeded && !((input.stepsize ?? 0) > 0)) {
    const hint =
      policy === 'step' && input.stepvalue.length > 0 ? ' (stepvalue is read by lr_policy "multistep")' : '';
    add(
      'error',
      'stepsize',
      `lr_policy "${policy}" needs stepsize > 0; Caffe stops with a failed check otherwise${hint}.`,
    );
  }
  if (policy === 'poly' && input.maxIter === 0) {
    // Written out: `caffe train` then runs the tests of iteration 0 and no update (an evaluation run).
    if (input.testsFirst)
      add(
        'hint',
        'max_iter',
        'max_iter is 0 and the solver tests first: `caffe train` only runs the tests of iteration 0 (an evaluation run) and never reads lr_policy "poly", which divides by max_iter; a solver stepped from Python would get rates that are not numbers.',
      );
    else
      add(
        'warning',
        'max_iter',
        'lr_policy "poly" divides the iteration by max_iter, which is 0: `caffe train` runs no iteration, and a solver stepped from Python would get rates that are not numbers.',
      );
  } else if (policy === 'poly' && !((input.maxIter ?? 0) > 0)) {
    add(
      'error',
      'max_iter',
      'lr_policy "poly" divides the iteration by max_iter, which is not set: the rates would not be numbers.',
    );
  }
  missingParameters(policy, input, add);
  stepProblems(policy, input, add);
  for (const field of ['gamma', 'power', 'stepsize', 'stepvalue'] as const) {
    const given = field === 'stepvalue' ? input.stepvalue.length > 0 : input[field] !== undefined;
    if (given && !reads.includes(field)) {
      add('hint', field, `${field} is not read by lr_policy "${policy}".`);
    }
  }
  return problems;
}

type Add = (
  severity: ScheduleProblem['severity'],
  field: ScheduleField,
  message: string,
  extra?: Partial<ScheduleProblem>,
) => void;

/** Parameters whose default (0) makes the policy degenerate. */
function missingParameters(policy: LrPolicy, input: ScheduleInput, add: Add): void {
  if (input.gamma === undefined) {
    const effect: Partial<Record<LrPolicy, string>> = {
      step: 'the rate drops to 0 at the first step',
      exp: 'the rate is 0 after iteration 0',
      multistep: 'the rate drops to 0 at the first stepvalue',
      inv: 'the rate stays base_lr',
      sigmoid: 'the rate stays base_lr / 2',
    };
    if (effect[policy]) add('warning', 'gamma', `No gamma: it is 0, so ${effect[policy]}.`);
  }
  if (input.power === undefined && (policy === 'inv' || policy === 'poly')) {
    add('warning', 'power', `No power: it is 0, so lr_policy "${policy}" keeps the rate at base_lr.`);
  }
  if (policy === 'multistep' && input.stepvalue.length === 0) {
    const hint = input.stepsize !== undefined ? ' (stepsize is read by lr_policy "step")' : '';
    add('warning', 'stepvalue', `lr_policy "multistep" without stepvalue keeps the rate at base_lr${hint}.`);
  }
}

/**
 * Steps out of order or beyond the end of training. Steps past the end matter only where the rate
 * could drop at all: not with a rate of 0 (a solver that only evaluates or snapshots) nor in a run of
 * one iteration.
 */
function stepProblems(policy: LrPolicy, input: ScheduleInput, add: Add): void {
  const maxIter = (input.baseLr ?? 0) !== 0 && (input.maxIter ?? 0) > 1 ? (input.maxIter ?? 0) : 0;
  // A step at max_iter itself is the common way of writing "at the end": it never comes, which changes
  // nothing, so it is a hint; one beyond it is likely a schedule left from a longer run.
  if (policy === 'step' && maxIter > 0 && (input.stepsize ?? 0) >= maxIter) {
    if (input.stepsize === maxIter)
      add(
        'hint',
        'stepsize',
        `stepsize ${maxIter} equals max_iter: the first drop would come after the last iteration, so the rate never drops during training.`,
      );
    else
      add(
        'warning',
        'stepsize',
        `stepsize ${input.stepsize} is not below max_iter ${maxIter}: the rate never drops during training.`,
        { pastEnd: `stepsize ${input.stepsize}` },
      );
  }
  if (policy !== 'multistep') return;
  const values = input.stepvalue;
  const at = multistepIterations(values);
  for (let i = 0; i < values.length; i++) {
    if (i > 0 && values[i] <= values[i - 1]) {
      add(
        'warning',
        'stepvalue',
        `stepvalue ${values[i]} is not above the one before it (${values[i - 1]}): Caffe takes at most one step per iteration, so this step comes at iteration ${at[i]}.`,
        { index: i },
      );
    } else if (maxIter > 0 && at[i] >= maxIter) {
      const atEnd = values[i] === maxIter && at[i] === maxIter;
      add(
        atEnd ? 'hint' : 'warning',
        'stepvalue',
        atEnd
          ? `stepvalue ${values[i]} equals max_iter: training stops after iteration ${maxIter - 1}, so this step never comes.`
          : `stepvalue ${values[i]} is never reached: training stops after iteration ${maxIter - 1} (max_iter ${maxIter}).`,
        atEnd ? { index: i } : { index: i, pastEnd: `stepvalue ${values[i]}` },
      );
    }
  }
}
