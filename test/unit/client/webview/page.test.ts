// The graph page in headless Chromium (Debian's chromium, driven by playwright-core): the page is
// bundled from client/webview/ exactly as esbuild.mjs does, served with the extension's HTML and
// content security policy, and talks to a fake `acquireVsCodeApi` that records what it posts.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { graphPageHtml } from '../../../../client/webview/page';
import { graphOfText } from '../../../../server/src/features/graph/graph';
import type { LaidOutGraph } from '../../../../common/graph/types';
import type { GraphPageReport } from '../../../../common/protocol';
import { loadBundledSchema } from '../../../../server/src/schema/bundled';
import { CONV_BLOCK, repoRoot } from '../../server/features/graph/graph-fixtures';
import { CHROMIUM, missing, needs } from '../../../helpers/resources';

const skip = needs('chromium');

const NET = `${CONV_BLOCK}layer { name: "py" type: "Python" bottom: "pool1" top: "py"
  python_param { module: "my.layers" layer: "Odd" } }
`;

let browser: Browser | undefined;
let server: http.Server | undefined;
let origin = '';
let dir = '';
let graph: LaidOutGraph;

interface Posted {
  type: string;
  report?: GraphPageReport;
  offset?: number;
  phase?: string;
  around?: number | 'cursor';
  format?: string;
  data?: string;
}

before(async () => {
  if (missing('chromium') !== undefined) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-page-'));
  await esbuild.build({
    entryPoints: {
      graph: path.join(repoRoot, 'client/webview/graph.ts'),
    },
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    outdir: dir,
    logLevel: 'silent',
  });
  fs.copyFileSync(path.join(repoRoot, 'client/webview/graph.css'), path.join(dir, 'graph.css'));
  graph = await graphOfText(NET, 'TEST', loadBundledSchema());
  server = http.createServer((req, res) => {
    const name = (req.url ?? '/').slice(1);
    if (name === '' || name === 'index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        graphPageHtml({ scriptUri: '/graph.js', styleUri: '/graph.css', cspSource: origin, nonce: 'n0nce' }),
      );
      return;
    }
    if (name === 'favicon.ico') {
      res.writeHead(204).end();
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
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

// Page-side code is given as strings: tsx would wrap functions passed to the browser with helpers
// that exist only in Node. The page's CSP stays on (no bypass): what is checked is what VS Code runs.
const FAKE_VSCODE_API = `
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective));
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__post(m),
    getState: () => window.__state,
    setState: (s) => { window.__state = s; },
  });
`;

interface OpenPage {
  page: Page;
  errors: string[];
  messages: Posted[];
  /** Resolves with the first message (already received or coming) that matches. */
  waitFor(match: (m: Posted) => boolean): Promise<Posted>;
}

async function openPage(): Promise<OpenPage> {
  const page = await browser!.newPage({ viewport: { width: 900, height: 700 } });
  const errors: string[] = [];
  const messages: Posted[] = [];
  const waiters: { match: (m: Posted) => boolean; resolve: (m: Posted) => void }[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.exposeFunction('__post', (m: Posted) => {
    messages.push(m);
    for (const w of waiters.filter((x) => x.match(m))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(m);
    }
  });
  await page.addInitScript({ content: FAKE_VSCODE_API });
  const waitFor = (match: (m: Posted) => boolean): Promise<Posted> => {
    const seen = messages.find(match);
    return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ match, resolve }));
  };
  await page.goto(`${origin}/index.html`);
  await waitFor((m) => m.type === 'ready');
  return { page, errors, messages, waitFor };
}

/** Posts a message to the page and resolves once the page's own handler has run. */
async function send(page: Page, message: unknown): Promise<void> {
  await page.evaluate(`new Promise((resolve) => {
    window.addEventListener('message', () => setTimeout(resolve, 0), { once: true });
    window.postMessage(${JSON.stringify(message)}, '*');
  })`);
}

/** Resolves after the page has handled pending input and drawn a frame. */
async function settle(page: Page): Promise<void> {
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))');
}

async function transform(page: Page): Promise<string | null> {
  return page.getAttribute('#world', 'transform');
}

async function violations(page: Page): Promise<string[]> {
  return (await page.evaluate('window.__violations')) as string[];
}

async function highlightedIds(page: Page): Promise<string[]> {
  return (await page.evaluate(
    `Array.from(document.querySelectorAll('#world .node.highlighted'), (e) => e.getAttribute('data-id'))`,
  )) as string[];
}

const scale = (t: string | null): number => Number(/scale\(([\d.]+)\)/.exec(t ?? '')?.[1]);
const offsetY = (t: string | null): number => Number(/translate\([-\d.]+,([-\d.]+)\)/.exec(t ?? '')?.[1]);

test('the page draws every node, reveals a clicked layer and outlines a highlighted one', skip, async () => {
  const { page, errors, messages, waitFor } = await openPage();
  await send(page, { type: 'update', graph, title: 'net.prototxt' });
  assert.equal(await page.locator('#world .node').count(), graph.nodes.length);
  assert.equal(await page.locator('#world .edge polyline').count(), graph.edges.length);
  assert.equal(await page.locator('#world .node.python').count(), 1);

  const conv = graph.nodes.find((n) => n.name === 'conv1')!;
  await page.click(`#world .node[data-id="${conv.id}"]`);
  await waitFor((m) => m.type === 'reveal');
  assert.deepEqual(
    messages.filter((m) => m.type === 'reveal'),
    [{ type: 'reveal', offset: conv.nameSpan!.start }],
  );
  assert.equal(NET.slice(conv.nameSpan!.start, conv.nameSpan!.end), '"conv1"');

  // A folded layer's name outlines the node it is folded into.
  await send(page, { type: 'highlight', layerName: 'relu1' });
  assert.deepEqual(await highlightedIds(page), [conv.id]);
  await send(page, { type: 'highlight', layerName: 'pool1' });
  const pool = graph.nodes.find((n) => n.name === 'pool1')!;
  assert.deepEqual(await highlightedIds(page), [pool.id]);
  await send(page, { type: 'highlight', layerName: null });
  assert.equal(await page.locator('#world .node.highlighted').count(), 0);

  assert.deepEqual(await violations(page), [], 'content security policy violations');
  assert.deepEqual(errors, []);
  await page.close();
});

test(
  'drag pans, the wheel scrolls, Ctrl+wheel zooms, an update keeps pan and zoom, the phase switch posts',
  skip,
  async () => {
    const { page, errors, messages, waitFor } = await openPage();
    await send(page, { type: 'update', graph, title: 'net.prototxt' });
    const fitted = await transform(page);
    assert.match(fitted ?? '', /^translate\([-\d.]+,[-\d.]+\) scale\([\d.]+\)$/);

    await page.mouse.move(100, 300);
    await page.mouse.down();
    await page.mouse.move(160, 340, { steps: 4 });
    await page.mouse.up();
    await settle(page);
    const panned = await transform(page);
    assert.notEqual(panned, fitted);
    assert.equal(messages.filter((m) => m.type === 'reveal').length, 0, 'a drag is not a click');

    await page.mouse.move(300, 300);
    await page.mouse.wheel(0, 120);
    await settle(page);
    const scrolled = await transform(page);
    assert.equal(scale(scrolled), scale(panned), `${scrolled} keeps the zoom of ${panned}`);
    assert.equal(offsetY(scrolled), offsetY(panned) - 120, `${scrolled} is ${panned} scrolled down by 120`);

    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -300);
    await page.keyboard.up('Control');
    await settle(page);
    const zoomed = await transform(page);
    assert.ok(scale(zoomed) > scale(scrolled), `${zoomed} zooms in from ${scrolled}`);

    const smaller = await graphOfText(CONV_BLOCK, 'TEST', loadBundledSchema());
    await send(page, { type: 'update', graph: smaller, title: 'net.prototxt' });
    assert.equal(await page.locator('#world .node').count(), smaller.nodes.length);
    assert.equal(await transform(page), zoomed);

    await page.click('button[data-phase="TRAIN"]');
    await waitFor((m) => m.type === 'phase' && m.phase === 'TRAIN');
    assert.deepEqual(errors, []);
    await page.close();
  },
);

test('export posts a standalone SVG and a PNG', skip, async () => {
  const { page, errors, messages, waitFor } = await openPage();
  await send(page, { type: 'update', graph, title: 'net.prototxt' });
  await page.click('#export-svg');
  await page.click('#export-png');
  await waitFor((m) => m.format === 'png');
  const exports = messages.filter((m) => m.type === 'export');
  const svg = exports.find((m) => m.format === 'svg')?.data ?? '';
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /net.prototxt · TEST/);
  const png = Buffer.from(exports.find((m) => m.format === 'png')?.data ?? '', 'base64');
  assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')]);
  assert.ok(png.length > 1000);
  assert.deepEqual(await violations(page), [], 'content security policy violations');
  assert.deepEqual(errors, []);
  await page.close();
});

test('an error message and an empty net show text instead of a graph', skip, async () => {
  const { page, errors } = await openPage();
  await send(page, { type: 'error', message: 'The Caffe language server is not running.' });
  assert.match((await page.textContent('#empty')) ?? '', /not running/);
  const empty = await graphOfText('', 'TEST');
  await send(page, { type: 'update', graph: empty, title: 'x' });
  assert.match((await page.textContent('#notes')) ?? '', /declares no layers/);
  assert.equal(await page.locator('#world .node').count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

/** A graph of `n` convolutions in a row: tall enough that fitting it would make its text unreadable. */
async function tallGraph(n: number): Promise<{ text: string; graph: LaidOutGraph }> {
  let text = 'input: "x0"\ninput_shape { dim: 1 dim: 3 dim: 64 dim: 64 }\n';
  for (let i = 1; i <= n; i++) {
    text += `layer { name: "c${i}" type: "Convolution" bottom: "x${i - 1}" top: "x${i}" convolution_param { num_output: 3 kernel_size: 1 } }\n`;
  }
  return { text, graph: await graphOfText(text, 'TEST', loadBundledSchema()) };
}

test('a tall net opens readable around the focused layer, and the page reports it', skip, async () => {
  const { page, errors, waitFor } = await openPage();
  const { graph: tall } = await tallGraph(40);
  const target = tall.nodes.find((n) => n.name === 'c30')!;
  await send(page, {
    type: 'update',
    graph: tall,
    title: 'tall.prototxt',
    focus: { layerName: 'c30', nodeId: target.id },
  });
  const shown = await waitFor((m) => m.type === 'shown');
  const report = shown.report!;
  assert.ok(report.scale >= 0.8, `readable zoom, not fitted: ${report.scale}`);
  assert.equal(report.focusNodeId, target.id);
  assert.equal(report.focusVisible, true);
  assert.deepEqual(await highlightedIds(page), [target.id]);
  assert.deepEqual(await violations(page), [], 'content security policy violations');
  assert.deepEqual(errors, []);
  await page.close();
});

test(
  'the caption wraps whole in a narrow page, and the theme variables colour the page and its buttons',
  skip,
  async () => {
    const { page, errors, messages, waitFor } = await openPage();
    await page.setViewportSize({ width: 260, height: 500 });
    // What VS Code does to a webview: a theme class on the body, the theme's colours as variables on <html>.
    await page.evaluate(`(() => {
    document.body.classList.add('vscode-high-contrast');
    const s = document.documentElement.style;
    s.setProperty('--vscode-editor-background', '#000000');
    s.setProperty('--vscode-button-background', '#0f4a85');
    s.setProperty('--vscode-button-foreground', '#ffffff');
    s.setProperty('--vscode-contrastBorder', '#6fc3df');
  })()`);
    await send(page, {
      type: 'update',
      graph: { ...graph, phaseReason: 'layers only in TRAIN: a' },
      title: 'net.prototxt',
    });
    const shown = await waitFor((m) => m.type === 'shown' && m.report?.themeKind !== '');
    const report = shown.report!;
    assert.equal(report.themeKind, 'vscode-high-contrast');
    assert.equal(report.caption, 'TEST · 232 params · 229K MACs · 1 layer not counted');
    assert.equal(report.captionWhole, true, 'the caption wraps instead of being cut');
    assert.match(report.captionTitle, /^TEST · 232 params.*\nOpened on TEST: layers only in TRAIN: a$/);
    assert.deepEqual(report.colours, {
      pageBackground: 'rgb(0, 0, 0)',
      editorBackgroundVar: 'rgb(0, 0, 0)',
      pressedButtonBackground: 'rgb(15, 74, 133)',
      buttonBackgroundVar: 'rgb(15, 74, 133)',
      buttonBorder: 'rgb(111, 195, 223)',
      contrastBorderVar: 'rgb(111, 195, 223)',
    });
    // Another theme: the page reports again, in the new colours.
    const before = messages.length;
    await page.evaluate(`(() => {
    document.body.classList.replace('vscode-high-contrast', 'vscode-light');
    document.documentElement.style.setProperty('--vscode-button-background', '#005fb8');
  })()`);
    const again = await waitFor(
      (m) => messages.indexOf(m) >= before && m.type === 'shown' && m.report?.themeKind === 'vscode-light',
    );
    const light = again.report!;
    assert.equal(light.colours.pressedButtonBackground, 'rgb(0, 95, 184)');
    assert.deepEqual(await violations(page), [], 'content security policy violations');
    assert.deepEqual(errors, []);
    await page.close();
  },
);

test('a net shown in part: Earlier, Later and Around cursor ask for the other parts', skip, async () => {
  const { page, errors, messages, waitFor } = await openPage();
  await send(page, { type: 'update', graph, title: 'net.prototxt' });
  assert.equal(await page.isVisible('#part'), false, 'no part buttons for a whole net');

  const part = {
    total: 9000,
    first: 1500,
    shown: 1500,
    firstName: 'a',
    lastName: 'b',
    previous: 17,
    next: 4242,
  };
  await send(page, { type: 'update', graph: { ...graph, part }, title: 'net.prototxt' });
  assert.equal(await page.isVisible('#part'), true);
  await page.click('#part-previous');
  await page.click('#part-next');
  await page.click('#part-cursor');
  await waitFor((m) => m.type === 'part' && m.around === 'cursor');
  assert.deepEqual(
    messages.filter((m) => m.type === 'part'),
    [
      { type: 'part', around: 17 },
      { type: 'part', around: 4242 },
      { type: 'part', around: 'cursor' },
    ],
  );
  // The first part has nothing before it.
  const { previous: _, ...firstPart } = { ...part, first: 0 };
  await send(page, { type: 'update', graph: { ...graph, part: firstPart }, title: 'net.prototxt' });
  assert.equal(await page.isDisabled('#part-previous'), true);
  assert.equal(await page.isDisabled('#part-next'), false);
  assert.deepEqual(errors, []);
  assert.deepEqual(await violations(page), []);
  await page.close();
});
