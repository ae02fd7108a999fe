// `npm run test:e2e`: builds the extension and the e2e suite, then runs the suite inside a real
// VS Code. Which VS Code is chosen by CAFFE_E2E_VSCODE:
//   desktop      desktop VS Code downloaded by @vscode/test-electron
//   code-server  code-server (VS Code's server + web workbench) with headless Chromium as the window
//   auto         (default) desktop when it is cached or downloadable and can open a window, else code-server
// Other settings: CAFFE_E2E_TIMEOUT_MS (the suite's run, after the one-time install; default 10 min), E2E_SCREENSHOTS=1 (save the
// screenshots the suite asks for to docs/images/, code-server only), CAFFE_E2E_VSCODE_VERSION
// (desktop, default "stable"), VERBOSE=1 (server and page logs).
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { desktopAvailability, runInDesktop } from './launch-desktop.mjs';
import { installCodeServer, runInCodeServer } from './launch-code-server.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const suiteSrc = path.join(repoRoot, 'test/e2e/suite');
const suiteOut = path.join(repoRoot, 'out/e2e');
const workspace = path.join(repoRoot, 'test/fixtures/e2e-workspace');
const started = Date.now();

const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
const say = (line) => console.log(`e2e: ${line}`);

function buildExtension() {
  const result = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`building the extension failed (exit ${result.status})`);
  if (!existsSync(path.join(repoRoot, 'dist/extension.js'))) {
    say('warning: dist/extension.js was not produced (no client/src/extension.ts yet); activation will fail');
  }
}

async function buildSuite() {
  rmSync(suiteOut, { recursive: true, force: true });
  mkdirSync(suiteOut, { recursive: true });
  const entryPoints = readdirSync(suiteSrc)
    .filter((f) => f === 'index.ts' || f.endsWith('.test.ts'))
    .map((f) => path.join(suiteSrc, f));
  await esbuild.build({
    entryPoints,
    outdir: suiteOut,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return path.join(suiteOut, 'index.js');
}

async function chooseLauncher() {
  const wanted = (process.env.CAFFE_E2E_VSCODE ?? 'auto').toLowerCase();
  if (wanted === 'desktop' || wanted === 'code-server')
    return { kind: wanted, why: `CAFFE_E2E_VSCODE=${wanted}` };
  if (wanted !== 'auto')
    throw new Error(`CAFFE_E2E_VSCODE must be desktop, code-server or auto, not "${wanted}"`);
  const desktop = await desktopAvailability(repoRoot);
  return desktop.ok
    ? { kind: 'desktop', why: `auto: ${desktop.reason}` }
    : { kind: 'code-server', why: `auto: desktop VS Code unavailable (${desktop.reason})` };
}

async function main() {
  buildExtension();
  const testsPath = await buildSuite();
  const launcher = await chooseLauncher();
  say(`launcher ${launcher.kind} (${launcher.why})`);
  // The one-time install is its own step with its own progress, outside the suite's time limit.
  if (launcher.kind === 'code-server') {
    const installStarted = Date.now();
    installCodeServer(repoRoot);
    say(`offline VS Code ready in ${((Date.now() - installStarted) / 1000).toFixed(1)} s`);
  }

  const timeoutMs = Number(process.env.CAFFE_E2E_TIMEOUT_MS ?? 600_000);
  const stop = new AbortController();
  const timer = setTimeout(() => {
    console.error(`e2e: FAILED — no result from VS Code within ${timeoutMs / 1000} s (CAFFE_E2E_TIMEOUT_MS)`);
    stop.abort();
  }, timeoutMs);
  timer.unref();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());

  const options = {
    repoRoot,
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: testsPath,
    workspace,
    screenshotDir: process.env.E2E_SCREENSHOTS === '1' ? path.join(repoRoot, 'docs/images') : undefined,
    verbose: process.env.VERBOSE === '1',
    signal: stop.signal,
    say,
  };
  const code = launcher.kind === 'desktop' ? await runInDesktop(options) : await runInCodeServer(options);
  say(`${code === 0 ? 'passed' : `FAILED (exit ${code})`} after ${seconds()} s`);
  return code;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(
      `e2e: FAILED after ${seconds()} s — ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  },
);
