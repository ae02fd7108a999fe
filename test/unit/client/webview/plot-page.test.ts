// The plot page (schedules and training logs) in headless Chromium (Debian's chromium, driven by
// playwright-core): bundled from client/webview/ as esbuild.mjs does, served with the extension's HTML
// and content security policy, talking to a fake `acquireVsCodeApi`. It draws a schedule and a log, takes
// appended lines, shows the values under the pointer and colours series from the theme's variables.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { plotPageHtml } from '../../../../client/webview/plot-page';
import { TrainLogReader } from '../../../../common/training/train-log';
import { repoRoot } from '../../../helpers/paths';

const CHROMIUM = '/usr/bin/chromium';
const skip = fs.existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} not found: install Debian's chromium to run this test`;

let browser: Browser | undefined;
let server: http.Server | undefined;
let origin = '';
let dir = '';

before(async () => {
  if (skip) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plot-page-'));
  await esbuild.build({
    entryPoints: { plot: path.join(repoRoot, 'client/webview/plot.ts') },
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    outdir: dir,
    logLevel: 'silent',
  });
  fs.copyFileSync(path.join(repoRoot, 'client/webview/plot.css'), path.join(dir, 'plot.css'));
  server = http.createServer((req, res) => {
    const name = (req.url ?? '/').slice(1);
    if (name === '' || name === 'index.html') {
      const html = plotPageHtml({
        title: 'plot',
        scriptUri: '/plot.js',
        styleUri: '/plot.css',
        cspSource: origin,
        nonce: 'n0nce',
      });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      return;
    }
    const file = path.join(dir, path.basename(name));
    if (!fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const type = file.endsWith('.css') ? 'text/css' : 'text/javascript';
    res.writeHead(200, { 'content-type': type }).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
});

after(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

// Page-side code as strings (tsx would wrap functions with Node-only helpers). The CSP stays on.
const FAKE_VSCODE_API = `
  window.__violations = [];
  window.__posted = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective));
  window.__state = undefined;
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__posted.push(m),
    getState: () => window.__state,
    setState: (s) => { window.__state = s; },
  });
`;

/**
 * Waits until a page expression is true, asking from here: playwright's waitForFunction polls with
 * eval inside the page, which its content security policy forbids (and reports).
 */
async function until(page: Page, expression: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await page.evaluate(expression)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Rendered {
  type: 'rendered';
  panels: number;
  points: number;
  lastIter: number | null;
}

async function openPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser!.newPage({ viewport: { width: 900, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript({ content: FAKE_VSCODE_API });
  await page.goto(`${origin}/index.html`);
  await until(page, 'window.__posted.some((m) => m.type === "ready")');
  return { page, errors };
}

/**
 * Posts a message and resolves with the page's "rendered" report once one says `lastIter` (a redraw for
 * a resize may report the state before the message); the last report when none does within 10 s.
 */
async function send(page: Page, message: unknown, lastIter: number): Promise<Rendered | undefined> {
  const before = (await page.evaluate('window.__posted.length')) as number;
  await page.evaluate(`window.postMessage(${JSON.stringify(message)}, '*')`);
  const found = `window.__posted.slice(${before}).filter((m) => m.type === 'rendered' && m.lastIter === ${lastIter})`;
  await until(page, `${found}.length > 0`);
  const posted = (await page.evaluate(`window.__posted.slice(${before})`)) as Rendered[];
  return posted.filter((m) => m.type === 'rendered' && m.lastIter === lastIter).pop() ?? posted.pop();
}

const POINTS = [0, 1, 2, 3].map((iter) => ({ iter, lr: iter < 2 ? 0.1 : 0.01 }));

test(
  'a schedule: one panel, the readout under the pointer, theme colours, no CSP violation',
  { skip },
  async () => {
    const { page, errors } = await openPage();
    await page.evaluate(`document.body.style.setProperty('--vscode-charts-blue', 'rgb(1, 2, 3)')`);
    const rendered = await send(
      page,
      {
        type: 'schedule',
        title: 'solver.prototxt',
        description: 'lr_policy "step"',
        policy: 'step',
        points: POINTS,
        note: 'max_iter is not set',
      },
      3,
    );
    assert.deepEqual(rendered, { type: 'rendered', panels: 1, points: 4, lastIter: 3 });
    assert.equal(await page.textContent('#title'), 'solver.prototxt');
    assert.equal(await page.textContent('#note'), 'max_iter is not set');
    // The run list and smoothing are a log's: a schedule has neither.
    assert.equal(await page.isHidden('#controls'), true);
    const stroke = await page.evaluate(
      `getComputedStyle(document.querySelector('.line-plot .series')).stroke`,
    );
    assert.equal(stroke, 'rgb(1, 2, 3)');
    // The pointer over the third point of the frame: iteration 2, lr 0.01.
    const frame = (await page.locator('.line-plot .frame').boundingBox())!;
    await page.mouse.move(frame.x + (frame.width * 2) / 3, frame.y + frame.height / 2);
    assert.equal(await page.textContent('#readout'), 'iteration 2\nlr_policy "step": 0.01');
    assert.equal(await page.locator('.line-plot .guide').count(), 1);
    await page.mouse.move(1, 1);
    assert.equal(await page.isHidden('#readout'), true);
    assert.deepEqual(await page.evaluate('window.__violations'), []);
    assert.deepEqual(errors, []);
    await page.close();
  },
);

test('a log, then appended lines: the page keeps the log and draws what was added', { skip }, async () => {
  const { page, errors } = await openPage();
  const reader = new TrainLogReader();
  const line = (iter: number, loss: number) =>
    `I0101 00:00:00.000000 1 solver.cpp:239] Iteration ${iter} (1 iter/s, 1s/10 iters), loss = ${loss}\n` +
    `I0101 00:00:00.000000 1 sgd_solver.cpp:112] Iteration ${iter}, lr = 0.01\n`;
  reader.push(line(0, 2.5) + line(10, 2));
  const first = await send(
    page,
    {
      type: 'log',
      title: 'train.log',
      log: reader.takeChanges() && reader.result(),
    },
    10,
  );
  assert.deepEqual(first, { type: 'rendered', panels: 2, points: 4, lastIter: 10 });
  reader.push(
    line(20, 1.5) +
      'I0101 00:00:00.000000 1 solver.cpp:239] Iteration 30 (1 iter/s, 1s/10 iters), loss = nan\n',
  );
  const appended = await send(
    page,
    {
      type: 'log-append',
      delta: JSON.parse(JSON.stringify(reader.takeChanges())),
    },
    30,
  );
  assert.deepEqual(appended, { type: 'rendered', panels: 2, points: 7, lastIter: 30 });
  const frame = (await page.locator('.line-plot .frame').first().boundingBox())!;
  await page.mouse.move(frame.x + frame.width - 1, frame.y + 5);
  assert.equal(await page.textContent('#readout'), 'iteration 30\nloss: not a number');
  assert.deepEqual(errors, []);
  await page.close();
});

test(
  'a log of two runs: the last drawn, the Run list picks another; Smoothing draws the average, kept',
  { skip },
  async () => {
    const { page, errors } = await openPage();
    const glog = (text: string) => `I0101 00:00:00.000000 1 solver.cpp:1] ${text}\n`;
    const run = (name: string, last: number) =>
      glog('Initializing solver from parameters: ') +
      glog(`Solving ${name}`) +
      [0, 10, 20, 30, 40]
        .filter((i) => i <= last)
        .map((i) => glog(`Iteration ${i} (1 iter/s, 1s/10 iters), loss = ${5 - i / 10 + (i % 20 ? 1 : 0)}`))
        .join('');
    const reader = new TrainLogReader();
    reader.push(run('first', 40) + run('second', 20));
    reader.end();
    const drawn = await send(page, { type: 'log', title: 'runs.log', log: reader.result() }, 20);
    assert.deepEqual(drawn, { type: 'rendered', panels: 1, points: 3, lastIter: 20 });
    assert.equal(await page.isVisible('#run'), true);
    assert.deepEqual(await page.locator('#run option').allTextContents(), [
      '1 of 2: first',
      '2 of 2: second',
    ]);
    assert.equal(await page.inputValue('#run'), '1');
    const before = (await page.evaluate('window.__posted.length')) as number;
    await page.selectOption('#run', '0');
    await until(
      page,
      `window.__posted.slice(${before}).some((m) => m.type === 'rendered' && m.lastIter === 40)`,
    );
    assert.equal(await page.locator('.line-plot .raw').count(), 0);
    await page.evaluate(
      `(() => { const s = document.getElementById('smoothing'); s.value = '0.6'; s.dispatchEvent(new Event('input')); })()`,
    );
    await until(page, `document.querySelectorAll('.line-plot .raw').length > 0`);
    assert.equal(await page.textContent('#smoothing-value'), '0.60');
    assert.deepEqual(await page.evaluate('window.__state'), { smoothing: 0.6 });
    // Still the first run: five points, raw and smoothed.
    assert.equal(await page.locator('.line-plot .series polyline').count(), 2);
    assert.deepEqual(await page.evaluate('window.__violations'), []);
    assert.deepEqual(errors, []);
    await page.close();
  },
);
