// Which panels and series a schedule and a training log are drawn with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logPanels, schedulePanel, smooth } from '../../../../common/training/plot-panels';
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

test('smoothing: a moving average corrected for its start, gaps kept, the rate never smoothed', () => {
  const points = [1, 3, NaN, 3].map((y, x) => ({ x, y }));
  const ys = smooth(points, 0.5).map((p) => p.y);
  // 1; (0.25 + 1.5) / 0.75; missing; (0.875 + 1.5) / 0.875 (the gap leaves the average as it was).
  assert.deepEqual(
    ys.map((y) => (Number.isNaN(y) ? 'gap' : y.toFixed(4))),
    ['1.0000', '2.3333', 'gap', '2.7143'],
  );
  assert.deepEqual(
    smooth(points, 0).map((p) => p.y),
    [1, 3, NaN, 3],
  );
  const log = parseTrainLog(
    [
      'Iteration 0 (0 iter/s, 0s/1 iters), loss = 2',
      '    Train net output #0: acc = 0.1',
      'Iteration 0, lr = 0.1',
      'Iteration 10 (1 iter/s, 10s/10 iters), loss = 1',
      '    Train net output #0: acc = 0.3',
      'Iteration 10, lr = 0.1',
    ].join('\n'),
  );
  const smoothed = logPanels(log, { smoothing: 0.9 });
  assert.deepEqual(
    smoothed.map(
      (p) => `${p.title}: ${p.series.map((s) => `${s.name} ${s.smoothed?.length ?? '-'}`).join(' ')}`,
    ),
    ['training loss: loss 2', 'train net outputs: acc 2', 'learning rate: lr -'],
  );
  // The loss 2 then 1: (0.9 * 0.1 * 2 + 0.1 * 1) / (0.9 * 0.1 + 0.1).
  assert.equal(smoothed[0].series[0].smoothed?.[1].y.toFixed(4), '1.4737');
  for (const weight of [0, 1, -0.5, NaN])
    assert.ok(logPanels(log, { smoothing: weight }).every((p) => p.series.every((s) => !s.smoothed)));
});
