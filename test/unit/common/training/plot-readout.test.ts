// The values under the pointer of a plot: the panel, the nearest iteration of each series, nothing
// outside the panels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nearest, readoutAt } from '../../../../common/training/plot-readout';
import { plotLayout, type PlotPanel } from '../../../../common/training/plot-svg';

const panels: PlotPanel[] = [
  { title: 'loss', series: [{ name: 'loss', points: [0, 10, 20, 30].map((x) => ({ x, y: 100 - x })) }] },
  {
    title: 'test',
    series: [
      { name: 'accuracy', points: [0, 15, 30].map((x) => ({ x, y: x / 30 })) },
      { name: 'top5', points: [{ x: 30, y: 1 }] },
    ],
  },
];

test('the readout names the panel under the pointer and each series at the nearest point', () => {
  const layout = plotLayout(panels, { width: 500 });
  const first = layout.panels[0].area;
  const at = (area: typeof first, fraction: number) => area.x + fraction * area.width;
  const loss = readoutAt(layout, panels, at(first, 0.36), first.y + 5);
  assert.deepEqual(loss && { panel: loss.panel, iter: loss.iter, values: loss.values }, {
    panel: 0,
    iter: 10,
    values: [{ name: 'loss', point: { x: 10, y: 90 } }],
  });
  assert.ok(loss && Math.abs(loss.x - at(first, 1 / 3)) < 0.01);
  const second = layout.panels[1].area;
  const test = readoutAt(layout, panels, at(second, 0.55), second.y + second.height - 1);
  assert.deepEqual(
    test?.values.map((v) => `${v.name} ${v.point.x} ${v.point.y}`),
    ['accuracy 15 0.5', 'top5 30 1'],
  );
  assert.equal(readoutAt(layout, panels, first.x - 5, first.y + 5), undefined);
  assert.equal(readoutAt(layout, panels, at(first, 0.5), first.y + first.height + 3), undefined);
});

test('with a smoothed series the readout gives the smoothed value at the same point', () => {
  const smoothed: PlotPanel[] = [
    {
      series: [
        {
          name: 'loss',
          points: [0, 10].map((x) => ({ x, y: 10 - x })),
          smoothed: [0, 10].map((x) => ({ x, y: 20 - x })),
        },
      ],
    },
  ];
  const layout = plotLayout(smoothed, { width: 500 });
  const { area } = layout.panels[0];
  const found = readoutAt(layout, smoothed, area.x + area.width * 0.9, area.y + 5);
  assert.deepEqual(found?.values, [{ name: 'loss', point: { x: 10, y: 0 }, smoothed: 10 }]);
});

test('nearest: binary search, the earlier point on a tie, none for no points', () => {
  const points = [0, 2, 4, 8].map((x) => ({ x, y: x }));
  assert.equal(nearest(points, 3)?.x, 2);
  assert.equal(nearest(points, 3.1)?.x, 4);
  assert.equal(nearest(points, 100)?.x, 8);
  assert.equal(nearest(points, -5)?.x, 0);
  assert.equal(nearest([], 1), undefined);
});
