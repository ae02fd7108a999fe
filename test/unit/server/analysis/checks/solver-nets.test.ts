// The solver-nets check: train nets, test_iter per test net, test_interval, test_state. Each solver
// that gets an error here is one real Caffe refuses to set up (checked with pycaffe when present).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { schemaFromProtoText } from '../../../../../server/src/schema/user-proto';
import { check } from './helpers';
import {
  findPycaffe,
  runWithPycaffe,
  skipUnlessPycaffe,
  solveWithCaffe,
} from '../../../../helpers/caffe-solver';
import { repoRoot } from '../../../../helpers/paths';

const fixtures = path.join(repoRoot, 'test/fixtures/training');

function nets(text: string): string[] {
  return check(text)
    .filter((f) => f.code === 'solver-nets')
    .map((f) => `${f.at} ${f.severity} ${f.message}`);
}

const BASE = 'base_lr: 0.01\nlr_policy: "fixed"\nmax_iter: 2\n';

/** Solvers with the verdict we give them: [text after BASE, expected findings]. */
const CASES: [string, string[]][] = [
  ['net: "net.prototxt"\ntest_iter: 2\ntest_interval: 1\n', []],
  ['net: "net.prototxt"\n', []],
  ['train_net: "net.prototxt"\ntest_net: "net.prototxt"\ntest_iter: 1\ntest_interval: 1\n', []],
  [
    'net: "net.prototxt"\ntrain_net: "net.prototxt"\n',
    [
      '5:1 error Caffe trains one net, and "net" already names it: it stops when more than one of net, net_param, train_net and train_net_param is given.',
    ],
  ],
  [
    'train_net: "net.prototxt"\ntest_net: "net.prototxt"\ntest_interval: 1\n',
    [
      '5:1 error 1 test net (test_net, test_net_param) but 0 test_iters: Caffe needs one test_iter per test net and stops otherwise.',
    ],
  ],
  [
    'train_net: "net.prototxt"\ntest_net: "net.prototxt"\ntest_iter: 1\ntest_iter: 1\ntest_interval: 1\n',
    [
      '7:1 error 1 test net (test_net, test_net_param) but 2 test_iters: Caffe needs one test_iter per test net and stops otherwise.',
    ],
  ],
  [
    'net: "net.prototxt"\ntest_iter: 2\n',
    [
      '5:1 error The solver has 1 test net but no test_interval above 0: Caffe stops with a failed check. Set test_interval (iterations between tests).',
    ],
  ],
  [
    'net: "net.prototxt"\ntest_interval: 1\n',
    [
      "5:1 warning test_interval has no effect: the solver has no test nets (a test_iter makes one from the net's TEST phase; test_net names one).",
    ],
  ],
  // An interval past max_iter turns testing off, which it is anyway.
  [
    'net: "net.prototxt"\ntest_interval: 100\n',
    [
      '5:1 hint test_interval 100 is above max_iter 2, and the solver has no test nets anyway: it has no effect.',
    ],
  ],
  [
    'net: "net.prototxt"\ntest_iter: 1\ntest_interval: 5\n',
    [
      '6:1 warning test_interval 5 is above max_iter 2: the test nets run at iteration 0 only (with test_initialization) and never while training.',
    ],
  ],
  // Test nets made but never run by the solver: the script that trains tests through solver.test_nets.
  ['net: "net.prototxt"\ntest_iter: 1\ntest_interval: 999999999\ntest_initialization: false\n', []],
  // test_iter 0: the tests run no batch at all, at iteration 0 either (HED's solver).
  ['net: "net.prototxt"\ntest_iter: 0\ntest_interval: 1000000\n', []],
  [
    'net: "net.prototxt"\ntest_iter: 1\ntest_iter: 1\ntest_interval: 1\ntest_state { stage: "a" }\n',
    ['8:1 error 1 test_state for 2 test nets: Caffe needs test_state once per test net, or not at all.'],
  ],
];

test('what the check says about each solver', () => {
  for (const [text, expected] of CASES) assert.deepEqual(nets(BASE + text), expected, text);
  // A solver that names no net is set up by the program that runs it.
  assert.deepEqual(nets('base_lr: 0.1\ntest_interval: 100\ntest_iter: 5\n'), []);
});

const pycaffe = findPycaffe();

test(
  'with test_interval above max_iter, Caffe tests at iteration 0 only',
  { skip: skipUnlessPycaffe(pycaffe) },
  () => {
    assert.ok(pycaffe.folder, pycaffe.missing || 'pycaffe');
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'solver-nets-'));
    try {
      fs.copyFileSync(path.join(fixtures, 'net.prototxt'), path.join(scratch, 'net.prototxt'));
      const solver = `${BASE}net: "net.prototxt"\ntest_iter: 1\ntest_interval: 5\nsnapshot_after_train: false\n`;
      fs.writeFileSync(path.join(scratch, 'solver.prototxt'), solver);
      const run = solveWithCaffe(pycaffe.folder ?? '', 'solver.prototxt', scratch);
      assert.equal(run.status, 0, run.log.slice(-600));
      assert.deepEqual(
        run.log
          .split('\n')
          .filter((l) => / Testing net /.test(l))
          .map((l) => l.replace(/^.*\] /, '')),
        ['Iteration 0, Testing net (#0)'],
      );
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  },
);

test(
  'max_iter 0 is an evaluation run: Caffe tests at iteration 0 and updates nothing, also under lr_policy "poly"',
  { skip: skipUnlessPycaffe(pycaffe) },
  () => {
    assert.ok(pycaffe.folder, pycaffe.missing || 'pycaffe');
    const solver =
      'net: "net.prototxt"\ntest_iter: 1\ntest_interval: 2000\ntest_initialization: true\n' +
      'base_lr: 0.01\nlr_policy: "poly"\npower: 0.5\nmax_iter: 0\ndisplay: 1\nsnapshot_after_train: false\n';
    // Nothing said of test_interval; the poly rate is a warning (for a solver stepped from Python).
    assert.deepEqual(nets(solver), []);
    assert.deepEqual(
      check(solver)
        .filter((f) => f.severity === 'error')
        .map((f) => f.code),
      [],
    );
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'solver-nets-'));
    try {
      fs.copyFileSync(path.join(fixtures, 'net.prototxt'), path.join(scratch, 'net.prototxt'));
      fs.writeFileSync(path.join(scratch, 'solver.prototxt'), solver);
      const run = solveWithCaffe(pycaffe.folder ?? '', 'solver.prototxt', scratch);
      assert.equal(run.status, 0, run.log.slice(-600));
      const lines = run.log.split('\n').map((l) => l.replace(/^.*\] /, ''));
      assert.deepEqual(
        lines.filter((l) => /Testing net/.test(l)),
        ['Iteration 0, Testing net (#0)'],
      );
      // No update: Caffe logs a rate (" lr = ") at each iteration it trains.
      assert.deepEqual(
        lines.filter((l) => / lr = /.test(l)),
        [],
      );
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  },
);

test('Caffe refuses exactly the solvers with errors', { skip: skipUnlessPycaffe(pycaffe) }, () => {
  assert.ok(pycaffe.folder, pycaffe.missing || 'pycaffe');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'solver-nets-'));
  try {
    fs.copyFileSync(path.join(fixtures, 'net.prototxt'), path.join(scratch, 'net.prototxt'));
    CASES.forEach(([text, expected], i) => {
      fs.writeFileSync(path.join(scratch, `s${i}.prototxt`), BASE + text);
      const run = runWithPycaffe(
        pycaffe.folder ?? '',
        'import sys, caffe\ncaffe.SGDSolver(sys.argv[1])\n',
        [`s${i}.prototxt`],
        scratch,
      );
      const refused = run.status !== 0;
      assert.equal(
        refused,
        expected.some((e) => / error /.test(e)),
        `${text}\n${run.log.slice(-600)}`,
      );
      if (refused) assert.match(run.log, /Check failed/, text);
    });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});

test('a Caffe from before several test nets (test_iter singular in its proto, as C3D v1.0) has its own rules', () => {
  // The solver fields of such a caffe.proto; Solver::Init and Solve as that Caffe has them.
  const { schema } = schemaFromProtoText(
    `package caffe;
message SolverParameter {
  optional string train_net = 1;
  optional string test_net = 2;
  optional int32 test_iter = 3 [default = 0];
  optional int32 test_interval = 4 [default = 0];
  optional float base_lr = 5;
  optional int32 max_iter = 7;
  optional string lr_policy = 8;
}
message NetParameter { optional string name = 1; }
`,
    '/old/caffe.proto',
  );
  const old = (text: string) =>
    check(BASE + text, { schema })
      .filter((f) => f.code === 'solver-nets')
      .map((f) => `${f.at} ${f.severity} ${f.message}`);
  // C3D's fine-tuning solver: a test_iter but no test_net, never tested (test_interval 0).
  assert.deepEqual(old('train_net: "net.prototxt"\ntest_iter: 100\ntest_interval: 0\n'), []);
  assert.deepEqual(
    old('train_net: "net.prototxt"\ntest_net: "net.prototxt"\ntest_iter: 2\ntest_interval: 5\n'),
    [],
  );
  assert.deepEqual(old('train_net: "net.prototxt"\ntest_net: "net.prototxt"\ntest_interval: 5\n'), [
    '5:1 error A test_net needs test_iter above 0 (iterations per test): this Caffe stops with a failed check (test_iter > 0).',
  ]);
  assert.deepEqual(old('train_net: "net.prototxt"\ntest_net: "net.prototxt"\ntest_iter: 3\n'), [
    '5:1 error A test_net needs test_interval above 0 (iterations between tests): this Caffe stops with a failed check (test_interval > 0).',
  ]);
  assert.deepEqual(old('train_net: "net.prototxt"\ntest_interval: 10\n'), [
    '5:1 error test_interval 10 without a test_net: this Caffe tests before training and stops, having no test net to run. Give a test_net, or remove test_interval.',
  ]);
  // The same solvers under today's Caffe: one test_iter per test net.
  assert.deepEqual(nets('train_net: "net.prototxt"\ntest_iter: 100\ntest_interval: 0\n').length, 1);
});
