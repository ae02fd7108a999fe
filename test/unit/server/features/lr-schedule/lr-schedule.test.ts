// The schedule in the editor: the rates a hover on a solver field shows, the lens above lr_policy and
// what `prototxt/lrSchedule` answers, for good and broken solvers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { provideCodeLenses } from '../../../../../server/src/features/code-lens/code-lens';
import { provideHover } from '../../../../../server/src/features/hover/hover';
import { provideLrSchedule } from '../../../../../server/src/features/lr-schedule/lr-schedule';
import { featureInputAt, featureInputFor } from '../../../../helpers/analyzed-document';

const SOLVER = `net: "train_val.prototxt"
base_lr: 0.01
lr_policy: "multistep"
gamma: 0.1
stepvalue: 100
stepvalue: 100
stepvalue: 300
max_iter: 400
momentum: 0.9
test_interval: 250
`;

function hoverAt(marked: string): string {
  const { input, position } = featureInputAt(marked);
  const hover = provideHover(input, { textDocument: { uri: input.doc.uri }, position });
  const contents = hover?.contents;
  return contents && typeof contents === 'object' && 'value' in contents ? contents.value : '';
}

/** `SOLVER` with a cursor after the first occurrence of `before`. */
function after(before: string, text = SOLVER): string {
  const i = text.indexOf(before);
  assert.ok(i >= 0, before);
  return `${text.slice(0, i + before.length)}<|>${text.slice(i + before.length)}`;
}

test('a stepvalue hover gives the rate before and at its step, Caffe taking one step per iteration', () => {
  assert.match(
    hoverAt(after('stepvalue: 10')),
    /Step 1: `0\.01` at iteration 99, then `0\.001` at iteration 100/,
  );
  // The second stepvalue 100 takes effect one iteration later.
  const second = SOLVER.indexOf('stepvalue: 100', SOLVER.indexOf('stepvalue: 100') + 1);
  const marked = `${SOLVER.slice(0, second + 12)}<|>${SOLVER.slice(second + 12)}`;
  assert.match(hoverAt(marked), /Step 2: `0\.001` at iteration 100, then `0\.0001` at iteration 101/);
});

test('lr_policy, max_iter and an iteration field show the rates of the schedule', () => {
  const policy = hoverAt(after('lr_pol'));
  assert.match(policy, /\*\*learning rate\*\* \(`lr_policy "multistep"`\)/);
  assert.match(
    policy,
    /Schedule: `0\.01` at iteration 0; `0\.001` at iteration 100; `0\.0001` at iteration 101; `0\.000010000001` at iteration 300; `0\.000010000001` at iteration 399/,
  );
  // The field's own documentation is still there.
  assert.match(policy, /string/);
  assert.match(hoverAt(after('max_iter: 4')), /Last iteration run: `0\.000010000001` at iteration 399/);
  assert.match(hoverAt(after('test_interval: 2')), /Learning rate `0\.0001` at iteration 250/);
  assert.doesNotMatch(hoverAt(after('momentum: 0')), /learning rate/);
});

test('a step policy hover on stepsize lists the first steps', () => {
  const text = 'base_lr: 0.1\nlr_policy: "step"\ngamma: 0.5\nstepsize: 1000\nmax_iter: 5000\n';
  assert.match(
    hoverAt(after('stepsize: 1', text)),
    /Steps: `0\.1` at iteration 0; `0\.05` at iteration 1,000; `0\.025` at iteration 2,000; `0\.0125` at iteration 3,000/,
  );
});

test('a broken schedule says why no rate can be computed', () => {
  const text = 'net: "n.prototxt"\nbase_lr: 0.1\nlr_policy: "step"\nstepsize: 0\nmax_iter: 10\n';
  assert.match(hoverAt(after('lr_pol', text)), /Learning rate: none can be computed\. .*stepsize/);
});

test('the lens above lr_policy opens the schedule and says where the rate starts and ends', () => {
  const input = featureInputFor(SOLVER, { uri: 'file:///w/solver.prototxt' });
  const lenses = provideCodeLenses(input, { textDocument: { uri: input.doc.uri } });
  return Promise.resolve(lenses).then((found) => {
    assert.deepEqual(
      found.map((l) => [l.range.start.line, l.command?.title, l.command?.command, l.command?.arguments]),
      [
        [
          2,
          'Show learning rate schedule: 0.01 → 0.000010000001 at iteration 399',
          'prototxt.showLrSchedule',
          [{ uri: 'file:///w/solver.prototxt' }],
        ],
      ],
    );
  });
});

test('prototxt/lrSchedule: points over [0, max_iter], a range and a note without max_iter, reasons', () => {
  const result = provideLrSchedule(featureInputFor(SOLVER));
  assert.equal(result.policy, 'multistep');
  assert.equal(result.end, 400);
  assert.equal(result.points.length, 401);
  assert.deepEqual(result.points[101], { iter: 101, lr: 0.0001 });
  assert.match(
    result.description,
    /lr_policy "multistep", base_lr 0\.01, gamma 0\.1, stepvalue 100, 100, 300/,
  );

  const open = provideLrSchedule(featureInputFor(SOLVER.replace('max_iter: 400\n', '')));
  assert.equal(open.end, 380);
  assert.equal(open.note, 'max_iter is not set: showing iterations 0 to 380.');

  const broken = provideLrSchedule(featureInputFor('base_lr: 0.1\nlr_policy: "poly"\n'));
  assert.deepEqual(broken.points, []);
  assert.match(broken.note ?? '', /max_iter/);
  assert.equal(
    provideLrSchedule(featureInputFor('layer { name: "a" }\n')).note,
    'This file is not a solver.',
  );
});
