// A solver's nets as Caffe sets them up: one train net, one test_iter per test net (a `net` or
// `net_param` makes one more test net per extra test_iter), test_interval > 0 when there are test nets
// and test_state once per test net when given; test_interval without test nets does nothing, and one
// above max_iter tests only before training. A Caffe from before several test nets has its own rules.

import type { FieldNode } from '../../parser/ast';
import { solverNets } from '../../training/solver-nets';
import { numberValue, scalarText } from '../model/net-read';
import type { Check, CheckContext } from './context';

export const checkSolverNets: Check = (ctx) => {
  for (let b = 0; b < ctx.blocks.length; b++) {
    const block = ctx.blocks[b];
    if (block.def.fullName === 'caffe.SolverParameter') checkNets(ctx, block.node.fields);
  }
};

function checkNets(ctx: CheckContext, fields: readonly FieldNode[]): void {
  const nets = solverNets(fields);
  // A solver that names no net gets it from the program that runs it; nothing to compare.
  if (nets.length === 0) return;
  const report = (severity: 'error' | 'warning' | 'hint', at: FieldNode, message: string) =>
    ctx.report({ severity, code: 'solver-nets', message, start: at.start, end: at.end });
  const trains = nets.filter((n) => n.train);
  for (const extra of trains.slice(1)) {
    report(
      'error',
      extra.field,
      `Caffe trains one net, and "${trains[0].source}" already names it: it stops when more than one of net, net_param, train_net and train_net_param is given.`,
    );
  }
  if (ctx.schema.field(SOLVER, 'test_iter')?.label !== 'repeated') {
    checkOneTestNet(fields, report);
    return;
  }
  const testIters = fields.filter((f) => f.name === 'test_iter');
  const specific = nets.filter((n) => n.source === 'test_net' || n.source === 'test_net_param');
  const generic = nets.some((n) => n.source === 'net' || n.source === 'net_param');
  if (testIters.length < specific.length || (!generic && testIters.length > specific.length)) {
    const at = testIters[specific.length] ?? specific[testIters.length]?.field ?? testIters[0];
    report(
      'error',
      at,
      `${count(specific.length, 'test net')} (test_net, test_net_param) but ${count(testIters.length, 'test_iter')}: Caffe needs one test_iter per test net and stops otherwise.`,
    );
    return;
  }
  const instances = Math.max(testIters.length, specific.length);
  const interval = fields.find((f) => f.name === 'test_interval');
  const intervalValue = numberValue(interval?.value);
  if (
    instances > 0 &&
    !((intervalValue ?? 0) > 0) &&
    (interval === undefined || intervalValue !== undefined)
  ) {
    report(
      'error',
      interval ?? testIters[0] ?? specific[0].field,
      `The solver has ${count(instances, 'test net')} but no test_interval above 0: Caffe stops with a failed check. Set test_interval (iterations between tests).`,
    );
  }
  const maxIter = numberValue(fields.find((f) => f.name === 'max_iter')?.value);
  if (
    instances > 0 &&
    interval &&
    intervalValue !== undefined &&
    // max_iter 0 is an evaluation run: no training, and the tests of iteration 0 run after it anyway.
    maxIter !== undefined &&
    maxIter > 0 &&
    intervalValue > maxIter &&
    // With test_initialization: false as well, the solver makes its test nets and never runs them:
    // the idiom of scripts that test through solver.test_nets themselves.
    scalarText(fields.find((f) => f.name === 'test_initialization')?.value) !== 'false' &&
    // Every test_iter 0 runs no test batch at all (HED's solver turns testing off so).
    !(testIters.length > 0 && testIters.every((f) => numberValue(f.value) === 0))
  ) {
    report(
      'warning',
      interval,
      `test_interval ${intervalValue} is above max_iter ${maxIter}: the test nets run at iteration 0 only (with test_initialization) and never while training.`,
    );
  }
  if (instances === 0 && interval && (intervalValue ?? 0) > 0) {
    // An interval past max_iter says testing is meant to be off, which it is: nothing to fix.
    const off = maxIter !== undefined && (intervalValue ?? 0) > maxIter;
    report(
      off ? 'hint' : 'warning',
      interval,
      off
        ? `test_interval ${intervalValue} is above max_iter ${maxIter}, and the solver has no test nets anyway: it has no effect.`
        : "test_interval has no effect: the solver has no test nets (a test_iter makes one from the net's TEST phase; test_net names one).",
    );
  }
  const states = fields.filter((f) => f.name === 'test_state');
  if (states.length > 0 && states.length !== instances) {
    report(
      'error',
      states[0],
      `${count(states.length, 'test_state')} for ${count(instances, 'test net')}: Caffe needs test_state once per test net, or not at all.`,
    );
  }
}

const SOLVER = 'caffe.SolverParameter';

/**
 * The Caffe of a caffe.proto whose test_iter is singular (before solvers took several test nets, as
 * C3D's first release): at most one test_net; with it, Solver::Init checks test_iter > 0 and
 * test_interval > 0; without it, a test_interval makes Solve test before training and stop at the
 * missing net.
 */
function checkOneTestNet(
  fields: readonly FieldNode[],
  report: (severity: 'error' | 'warning', at: FieldNode, message: string) => void,
): void {
  const last = (name: string) => {
    for (let i = fields.length - 1; i >= 0; i--) if (fields[i].name === name) return fields[i];
    return undefined;
  };
  const testNet = last('test_net');
  const testIter = last('test_iter');
  const interval = last('test_interval');
  const intervalValue = numberValue(interval?.value);
  if (testNet) {
    const iterValue = numberValue(testIter?.value);
    if (!(testIter && iterValue === undefined) && !((iterValue ?? 0) > 0))
      report(
        'error',
        testIter ?? testNet,
        'A test_net needs test_iter above 0 (iterations per test): this Caffe stops with a failed check (test_iter > 0).',
      );
    if (!(interval && intervalValue === undefined) && !((intervalValue ?? 0) > 0))
      report(
        'error',
        interval ?? testNet,
        'A test_net needs test_interval above 0 (iterations between tests): this Caffe stops with a failed check (test_interval > 0).',
      );
  } else if (interval && (intervalValue ?? 0) > 0) {
    report(
      'error',
      interval,
      `test_interval ${intervalValue} without a test_net: this Caffe tests before training and stops, having no test net to run. Give a test_net, or remove test_interval.`,
    );
  }
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
