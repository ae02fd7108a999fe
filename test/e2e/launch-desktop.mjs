// Desktop launcher: a downloaded VS Code (Electron) through @vscode/test-electron.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const UPDATE_PROBE = 'https://update.code.visualstudio.com/api/update/linux-x64/stable/latest';
const PROBE_TIMEOUT_MS = 3000;

function cacheDir(repoRoot) {
  return path.join(repoRoot, '.vscode-test');
}

function cachedInstalls(repoRoot) {
  const dir = cacheDir(repoRoot);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => name.startsWith('vscode-'));
}

function canOpenWindow() {
  if (process.platform !== 'linux') return { ok: true };
  if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return { ok: true };
  return { ok: false, reason: 'no DISPLAY for Electron; run under xvfb-run' };
}

/** Whether desktop VS Code can run here: a cached install or a reachable update server, and a display. */
export async function desktopAvailability(repoRoot) {
  const display = canOpenWindow();
  if (!display.ok) return display;
  const cached = cachedInstalls(repoRoot);
  if (cached.length > 0) return { ok: true, reason: `cached ${cached.join(', ')} in .vscode-test/` };
  try {
    const response = await fetch(UPDATE_PROBE, {
      method: 'HEAD',
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    if (response.status < 500) return { ok: true, reason: 'the VS Code update server is reachable' };
    return { ok: false, reason: `update server answered HTTP ${response.status}` };
  } catch (error) {
    const cause =
      error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    return { ok: false, reason: `update server unreachable: ${cause}` };
  }
}

/** Reads the version of a downloaded VS Code from the product files next to its executable. */
function desktopVersion(executable) {
  const dir = path.dirname(executable);
  const candidates = [
    path.join(dir, 'resources/app/package.json'),
    path.join(dir, '../Resources/app/package.json'),
  ];
  for (const file of candidates) {
    if (!existsSync(file)) continue;
    try {
      const version = JSON.parse(readFileSync(file, 'utf8')).version;
      if (typeof version === 'string') return version;
    } catch {
      // An unreadable product file leaves the version unknown; the suite still logs vscode.version.
    }
  }
  return 'unknown version';
}

/** Runs the suite in desktop VS Code and resolves with mocha's exit code. */
export async function runInDesktop(options) {
  const { downloadAndUnzipVSCode, runTests } = await import('@vscode/test-electron');
  if (options.screenshotDir) options.say('note: screenshots are only taken by the code-server launcher');
  const display = canOpenWindow();
  if (!display.ok) options.say(`warning: ${display.reason}`);
  const version = process.env.CAFFE_E2E_VSCODE_VERSION ?? 'stable';
  let executable;
  try {
    executable = await downloadAndUnzipVSCode({ version, cachePath: cacheDir(options.repoRoot) });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `could not get VS Code ${version}: ${reason} (CAFFE_E2E_VSCODE=code-server runs offline)`,
      { cause: error },
    );
  }
  options.say(`running in VS Code desktop ${desktopVersion(executable)} (Electron, @vscode/test-electron)`);
  const userData = mkdtempSync(path.join(os.tmpdir(), 'caffe-e2e-desktop-'));
  const aborted = new Promise((resolve) => options.signal.addEventListener('abort', () => resolve(124)));
  try {
    const run = runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: options.extensionDevelopmentPath,
      extensionTestsPath: options.extensionTestsPath,
      launchArgs: [
        options.workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        `--user-data-dir=${userData}`,
      ],
    });
    return await Promise.race([run, aborted]);
  } catch (error) {
    // A failing suite rejects with the exit code; anything else (download, launch) is an error of its own.
    options.say(`desktop VS Code reported: ${error instanceof Error ? error.message : String(error)}`);
    return typeof error?.code === 'number' && error.code !== 0 ? error.code : 1;
  } finally {
    rmSync(userData, { recursive: true, force: true });
  }
}
