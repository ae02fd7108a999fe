// Solver settings Caffe has no implementation of: a `type` or `regularization_type` it does not know
// (case-sensitive names, with the known one as the fix), an `average_loss` below 1, what AdaGrad and
// RMSProp refuse as they are made, and solver_type given with type. Each solver
// given an error here is one real Caffe stops on (checked with pycaffe: building the solver through
// its registry, then one step).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { check, checkBundled } from './helpers';
import {
  findPycaffe,
  runWithPycaffe,
  skipUnlessPycaffe,
  withTrainingNet,
} from '../../../../helpers/caffe-solver';

const BASE =
  'net: "net.prototxt"\nbase_lr: 0.01\nlr_policy: "fixed"\nmax_iter: 2\nsnapshot_after_train: false\n';

/** [settings after BASE, what is said of them as "line:col severity suggestion"]. */
const CASES: [string, string[]][] = [
  ['type: "Adam"\n', []],
  ['type: "adam"\n', ['6:7 error "Adam"']],
  ['type: "SGD"\nregularization_type: "L1"\nweight_decay: 0.001\n', []],
  ['regularization_type: "l1"\nweight_decay: 0.001\n', ['6:22 error "L1"']],
  ['regularization_type: "L3"\nweight_decay: 0.001\n', ['6:22 error']],
  // Without a weight decay the type is never read: said, but not as an error.
  ['regularization_type: "L3"\n', ['6:22 warning']],
  ['average_loss: 10\n', []],
  ['average_loss: 0\n', ['6:15 error']],
  // AdaGrad and RMSProp refuse a momentum, RMSProp an rms_decay outside [0, 1), as they are made.
  ['type: "AdaGrad"\nmomentum: 0.9\n', ['7:11 error']],
  ['type: "AdaGrad"\nmomentum: 0\n', []],
  ['type: "RMSProp"\nmomentum: 0.5\nrms_decay: 1\n', ['7:11 error', '8:12 error']],
  ['type: "RMSProp"\nrms_decay: 0.9\n', []],
  ['type: "RMSProp"\nrms_decay: -0.5\n', ['7:12 error']],
  ['solver_type: ADAGRAD\nmomentum: 0.9\n', ['7:11 error']],
  ['type: "Nesterov"\nmomentum: 0.9\nrms_decay: 2\n', []],
  // The old enum and the new string together stop Caffe's upgrade of the solver.
  ['solver_type: SGD\ntype: "SGD"\n', ['6:1 error']],
];

function said(text: string, schemaKind: 'user' | 'bundled' = 'bundled'): string[] {
  return (schemaKind === 'user' ? check(text) : checkBundled(text))
    .filter((f) => f.code === 'solver-type')
    .map((f) => [f.at, f.severity, ...(f.suggestions ?? [])].join(' '));
}

test('what is said of each solver', () => {
  for (const [text, expected] of CASES) assert.deepEqual(said(BASE + text), expected, text);
});

test("an unknown solver type under a user's proto is a warning (a fork may register it); a case slip stays an error", () => {
  assert.deepEqual(said(`${BASE}type: "LARS"\n`, 'user'), ['6:7 warning']);
  assert.deepEqual(said(`${BASE}type: "sgd"\n`, 'user'), ['6:7 error "SGD"']);
  const [message] = check(`${BASE}type: "sgd"\n`).filter((f) => f.code === 'solver-type');
  assert.match(message.message, /\("Unknown solver type: sgd"\)/);
});

const pycaffe = findPycaffe();

test('Caffe stops on exactly the solvers with errors', { skip: skipUnlessPycaffe(pycaffe) }, () => {
  assert.ok(pycaffe.folder, pycaffe.missing || 'pycaffe');
  withTrainingNet('solver-settings-', (scratch) => {
    CASES.forEach(([text, expected], i) => {
      fs.writeFileSync(path.join(scratch, `s${i}.prototxt`), BASE + text);
      const run = runWithPycaffe(
        pycaffe.folder ?? '',
        'import sys, caffe\ncaffe.set_mode_cpu()\ncaffe.get_solver(sys.argv[1]).step(1)\n',
        [`s${i}.prototxt`],
        scratch,
      );
      const refused = run.status !== 0;
      assert.equal(
        refused,
        expected.some((e) => / error/.test(e)),
        `${text}\n${run.log.slice(-600)}`,
      );
      if (refused)
        assert.match(
          run.log,
          /Unknown solver type|Unknown regularization type|average_loss should be|Momentum cannot be used|rms_decay should lie|cannot be both specified/,
          text,
        );
    });
  });
});

/** iter_size values with what is said of them; Caffe trains on with each, learning wrong or nothing. */
const ITER_SIZES: [string, string[]][] = [
  ['1', []],
  ['2', []],
  ['0', ['6:12 error']],
  ['-1', ['6:12 error']],
];

test('an iter_size below 1 is an error: no pass runs (NaN weights at 0)', () => {
  for (const [n, expected] of ITER_SIZES) assert.deepEqual(said(`${BASE}iter_size: ${n}\n`), expected, n);
  const [zero] = check(`${BASE}iter_size: 0\n`).filter((f) => f.code === 'solver-type');
  assert.match(zero.message, /NaN/);
});

test(
  'what Caffe makes of each iter_size: NaN weights at 0, untouched weights below',
  { skip: skipUnlessPycaffe(pycaffe) },
  () => {
    assert.ok(pycaffe.folder, pycaffe.missing || 'pycaffe');
    withTrainingNet('solver-iter-size-', (scratch) => {
      // Whether the weights after two updates are NaN, the same as before, or changed.
      const program = [
        'import sys, caffe, numpy',
        'caffe.set_mode_cpu()',
        's = caffe.get_solver(sys.argv[1])',
        "w = s.net.params['fc'][0].data.copy()",
        's.step(2)',
        "after = s.net.params['fc'][0].data",
        "print('nan' if numpy.isnan(after).any() else 'same' if numpy.array_equal(after, w) else 'changed')",
      ].join('\n');
      for (const [n, expected] of ITER_SIZES) {
        fs.writeFileSync(path.join(scratch, 's.prototxt'), `${BASE}iter_size: ${n}\n`);
        const run = runWithPycaffe(pycaffe.folder ?? '', program, ['s.prototxt'], scratch);
        assert.equal(run.status, 0, run.log.slice(-600));
        const outcome = run.out.trim();
        assert.equal(outcome, n === '0' ? 'nan' : Number(n) < 0 ? 'same' : 'changed', n);
        assert.equal(expected.length > 0, outcome !== 'changed', n);
      }
    });
  },
);
