// The line-plot renderer: axes and ticks, panels and legends, escaping, breaks at values a line cannot
// reach, and thinning long series to a few points per pixel column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatIteration,
  formatValue,
  linearAxis,
  logAxis,
  niceStep,
} from '../../../../common/training/plot-scale';
import {
  plotLayout,
  prefersLog,
  renderPlot,
  thin,
  type PlotPoint,
} from '../../../../common/training/plot-svg';

function count(svg: string, pattern: RegExp): number {
  return (svg.match(new RegExp(pattern.source, 'g')) ?? []).length;
}

function points(n: number, y: (i: number) => number): PlotPoint[] {
  return Array.from({ length: n }, (_, i) => ({ x: i, y: y(i) }));
}

test('round steps and axes', () => {
  assert.equal(niceStep(10, 5), 2);
  assert.equal(niceStep(0.03, 5), 0.01);
  assert.equal(niceStep(64000, 6), 20000);
  assert.deepEqual(linearAxis(0, 0.3, 3).ticks, [0, 0.1, 0.2, 0.3]);
  assert.deepEqual(linearAxis(0.16, 0.26, 5).ticks, [0.16, 0.18, 0.2, 0.22, 0.24, 0.26]);
  const single = linearAxis(5, 5);
  assert.ok(single.min < 5 && single.max > 5);
  assert.deepEqual(logAxis(0.001, 0.1).ticks, [0.001, 0.01, 0.1]);
  assert.deepEqual(logAxis(0.005, 0.005), { min: 0.001, max: 0.01, log: true, ticks: [0.001, 0.01] });
  assert.deepEqual(logAxis(1e-12, 1).ticks, [1e-12, 1e-10, 1e-8, 1e-6, 1e-4, 1e-2, 1]);
});

test('tick labels', () => {
  assert.deepEqual([0, 0.001, 0.25, 12, 1e-5, 2.5e6, -0.0001, 1 / 3].map(formatValue), [
    '0',
    '0.001',
    '0.25',
    '12',
    '1e-5',
    '2.5e+6',
    '-1e-4',
    '0.3333',
  ]);
  assert.deepEqual([0, 950, 12000, 64000, 1500000].map(formatIteration), ['0', '950', '12k', '64k', '1.5M']);
});

test('a log axis suits positive values over two decades or more', () => {
  assert.equal(prefersLog([0.1, 0.01, 0.001]), true);
  assert.equal(prefersLog([0.1, 0.05]), false);
  assert.equal(prefersLog([0.1, 0, 0.001]), false);
  assert.equal(prefersLog([]), false);
});

test('panels, legends and ticks in one standalone SVG', () => {
  const svg = renderPlot(
    [
      {
        title: 'loss',
        series: [
          { name: 'train', points: points(101, (i) => 1 / (1 + i)) },
          { name: 'test #0', points: points(11, (i) => 0.5 / (1 + i)), colour: '#123456' },
        ],
      },
      {
        title: 'learning rate',
        series: [{ name: 'lr', points: points(101, (i) => 0.1 * 0.1 ** (i / 50)) }],
        logY: true,
      },
    ],
    { title: 'run.log', xLabel: 'iteration', background: true },
  );
  assert.match(
    svg,
    /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" class="line-plot" width="760" height="\d+"/,
  );
  assert.match(svg, /<\/svg>$/);
  assert.equal(count(svg, /<g class="panel">/), 2);
  assert.equal(count(svg, /<polyline /), 3);
  for (const text of ['run.log', 'loss', 'learning rate', 'train', 'test #0', 'lr', 'iteration']) {
    assert.match(svg, new RegExp(`>${text}</text>`), text);
  }
  assert.match(svg, /stroke="#123456"/);
  // The log panel's ticks are powers of ten.
  for (const tick of ['0.1', '0.01', '0.001'])
    assert.match(svg, new RegExp(`text-anchor="end">${tick}</text>`));
  // The 11-point series has a dot per point; the long ones have none.
  assert.equal(count(svg, /<circle /), 11);
  assert.equal(renderPlot([{ series: [] }]), renderPlot([{ series: [] }]));
});

test('user-written names are escaped; a panel without values says so', () => {
  const svg = renderPlot([{ title: 'a<b>&"c"', series: [{ name: "it's\u0001", points: [] }] }]);
  assert.match(svg, />a&lt;b&gt;&amp;&quot;c&quot;<\/text>/);
  assert.match(svg, />it&#39;s\ufffd<\/text>/);
  assert.match(svg, />no values<\/text>/);
});

test('NaN, infinities and (on a log axis) values <= 0 cut the line; a lone point is a dot', () => {
  const ys = [1, 2, NaN, 3, 4, Infinity, 5, 6];
  const series = [{ name: 's', points: ys.map((y, x) => ({ x, y })) }];
  assert.equal(count(renderPlot([{ series }]), /<polyline /), 3);
  const logSeries = [{ name: 's', points: [1, 2, 0, 3, -1, 4, 5].map((y, x) => ({ x, y })) }];
  const svg = renderPlot([{ series: logSeries, logY: true }]);
  // 1-2 and 4-5 are lines (a short series: a dot on each point too); 3 alone is a dot.
  assert.equal(count(svg, /<polyline /), 2);
  assert.equal(count(svg, /<circle /), 5);
});

test('thinning keeps the first, lowest, highest and last point of each pixel column, in order', () => {
  const column = [
    { x: 0.1, y: 5 },
    { x: 0.2, y: 1 },
    { x: 0.3, y: 4 },
    { x: 0.4, y: 9 },
    { x: 0.5, y: 3 },
    { x: 1.2, y: 7 },
  ];
  assert.deepEqual(thin(column), [
    { x: 0.1, y: 5 },
    { x: 0.2, y: 1 },
    { x: 0.4, y: 9 },
    { x: 0.5, y: 3 },
    { x: 1.2, y: 7 },
  ]);
  const long = renderPlot([{ series: [{ name: 'long', points: points(200000, (i) => Math.sin(i / 100)) }] }]);
  const drawn = long.match(/points="([^"]*)"/)?.[1].split(' ').length ?? 0;
  assert.ok(drawn > 680 && drawn <= 4 * 681, `${drawn} points drawn`);
  assert.ok(long.length < 60_000, `${long.length} characters`);
});

test('a name keeps its colour across panels; a long legend wraps and the panel grows', () => {
  const one = (name: string) => ({ name, points: points(3, (i) => i) });
  const svg = renderPlot([{ series: [one('loss'), one('acc')] }, { series: [one('acc')] }]);
  const strokes = [...svg.matchAll(/<g class="series ([^"]+)" stroke="([^"]+)"><title>([^<]+)</g)].map(
    (m) => `${m[3]} ${m[2]} ${m[1]}`,
  );
  // The class names the palette entry, for pages that colour series from their theme.
  assert.deepEqual(strokes, ['loss #1f6fb4 colour-0', 'acc #e8770e colour-1', 'acc #e8770e colour-1']);
  const height = (s: string) => Number(/height="(\d+)"/.exec(s)?.[1]);
  const names = Array.from({ length: 12 }, (_, i) => one(`a rather long output name ${i}`));
  const wide = renderPlot([{ title: 'outputs', series: names }]);
  const narrow = renderPlot([{ title: 'outputs', series: names.slice(0, 1) }]);
  assert.ok(height(wide) > height(narrow) + 3 * 16, `${height(wide)} vs ${height(narrow)}`);
  const xs = [...wide.matchAll(/<text x="([\d.]+)" y="[\d.]+">a rather long/g)].map((m) => Number(m[1]));
  assert.ok(Math.max(...xs) < 760 - 24, 'every legend entry starts inside the plot width');
});

test('plotLayout gives each panel the area and axes the picture uses', () => {
  const panels = [
    { title: 'loss', series: [{ name: 'loss', points: points(11, (i) => 10 - i) }] },
    { title: 'lr', series: [{ name: 'lr', points: points(11, (i) => 10 ** -i) }], logY: true },
  ];
  const layout = plotLayout(panels, { title: 't', xLabel: 'iteration' });
  const svg = renderPlot(panels, { title: 't', xLabel: 'iteration' });
  assert.equal(Number(/height="(\d+)"/.exec(svg)?.[1]), layout.height);
  const frames = [
    ...svg.matchAll(/class="frame" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g),
  ];
  assert.deepEqual(
    frames.map((m) => m.slice(1).map(Number)),
    layout.panels.map((p) => [p.area.x, p.area.y, p.area.width, p.area.height]),
  );
  assert.deepEqual([layout.xAxis.min, layout.xAxis.max], [0, 10]);
  assert.equal(layout.panels[1].logY, true);
  assert.ok(layout.panels[0].yAxis && layout.panels[0].yAxis.max >= 10);
});

test('a title too long for the width is broken after its commas, and the picture grows by its lines', () => {
  const panels = [
    {
      series: [
        {
          name: 'lr',
          points: [
            { x: 0, y: 1 },
            { x: 10, y: 2 },
          ],
        },
      ],
    },
  ];
  const title =
    'solver.prototxt: lr_policy "poly", base_lr 10, power 2, max_iter 15600, rampup_interval 600 from rampup_lr 1';
  const svg = renderPlot(panels, { title, width: 500 });
  const lines = [...svg.matchAll(/<text class="title"[^>]*>([^<]*)</g)].map((m) => m[1]);
  assert.ok(lines.length > 1, lines.join(' | '));
  assert.equal(lines.join(' '), title.replace(/"/g, '&quot;'));
  const short = renderPlot(panels, { title: 'solver.prototxt', width: 500 });
  const height = (s: string) => Number(/height="(\d+)"/.exec(s)?.[1]);
  assert.equal(height(svg) - height(short), (lines.length - 1) * 16);
});
