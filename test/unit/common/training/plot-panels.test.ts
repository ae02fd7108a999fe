// Which panels and series a schedule and a training log are drawn with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logPanels, schedulePanel } from '../../../../common/training/plot-panels';
import { parseTrainLog } from '../../../../common/training/train-log';

function shape(log: string): string[] {
  return logPanels(parseTrainLog(log)).map(
    (p) =>
      `${p.title}: ${p.series.map((s) => `${s.name}(${s.points.length})`).join(' ')}${p.logY ? ' log' : ''}`,
  );
}

test('a log: loss, other train outputs, each test net with its test loss, the rate on a log axis', () => {
  const log = [
    'Iteration 0, Testing net (#1)',
    'Test loss: 2.5',
    '    Test net output #0: acc = 0.1',
    'Iteration 0 (0 iter/s, 0s/1 iters), loss = 2.3',
    '    Train net output #0: loss = 2.3 (* 1 = 2.3 loss)',
    '    Train net output #1: acc = 0.05',
    'Iteration 0, lr = 0.1',
    'Iteration 100 (9 iter/s, 11s/100 iters), loss = 1.2',
    '    Train net output #0: loss = 1.2 (* 1 = 1.2 loss)',
    '    Train net output #1: acc = 0.5',
    'Iteration 100, lr = 0.0001',
    'Iteration 100, Testing net (#1)',
    '    Test net output #0: acc = 0.6',
  ].join('\n');
  assert.deepEqual(shape(log), [
    'training loss: loss(2)',
    'train net outputs: acc(2)',
    'test net #1 outputs: test loss(1) acc(2)',
    'learning rate: lr(2) log',
  ]);
  assert.deepEqual(shape(''), []);
});

test('a schedule: one series named after the policy, a log axis when it spans two decades', () => {
  const step = schedulePanel('step', [
    { iter: 0, lr: 0.1 },
    { iter: 10, lr: 0.001 },
  ]);
  assert.equal(step.logY, true);
  assert.equal(step.series[0].name, 'lr_policy "step"');
  assert.deepEqual(step.series[0].points, [
    { x: 0, y: 0.1 },
    { x: 10, y: 0.001 },
  ]);
  assert.equal(
    schedulePanel('poly', [
      { iter: 0, lr: 0.1 },
      { iter: 10, lr: 0 },
    ]).logY,
    false,
  );
});
