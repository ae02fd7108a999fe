// Whole processes as users run them: wall time from spawn to exit, peak RSS, and turns between ours
// and an anchor so that a busy spell of a shared machine falls on both.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

export const repoRoot = path.resolve(__dirname, '..');
export const cliPath = path.join(repoRoot, 'bin', 'caffe-prototxt.js');
export const serverEntry = path.join(repoRoot, 'bin', 'language-server.js');

export interface ProcessRun {
  /** Wall time from spawn to exit, in seconds. */
  seconds: number;
  status: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident set of the process, in MB (node processes only, see `withPeakRss`). */
  peakMB?: number;
}

/** Runs `command args` to its end; `input` goes to its stdin. */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv; timeoutSeconds?: number } = {},
): ProcessRun {
  const t0 = performance.now();
  const out = spawnSync(command, args, {
    input: options.input,
    cwd: options.cwd ?? repoRoot,
    env: options.env ?? process.env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: options.timeoutSeconds !== undefined ? options.timeoutSeconds * 1000 : undefined,
    killSignal: 'SIGKILL',
  });
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, status: out.status, stdout: out.stdout ?? '', stderr: out.stderr ?? '' };
}

/** A bare `node -e 0`: the start-up every figure of a node process is compared with. */
export function bareNode(): ProcessRun {
  return runProcess(process.execPath, ['-e', '0']);
}

/** Runs a node script with a preload that writes the process's peak RSS to a file at exit. */
export function runNodeWithPeakRss(
  args: readonly string[],
  options: { cwd?: string; timeoutSeconds?: number } = {},
): ProcessRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-rss-'));
  const preload = path.join(dir, 'peak.cjs');
  const report = path.join(dir, 'peak.txt');
  fs.writeFileSync(
    preload,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(report)}, ` +
      `String(process.resourceUsage().maxRSS)));\n`,
  );
  try {
    const run = runProcess(process.execPath, ['--require', preload, ...args], options);
    const kb = fs.existsSync(report) ? Number(fs.readFileSync(report, 'utf8')) : NaN;
    return { ...run, peakMB: Number.isFinite(kb) ? kb / 1024 : undefined };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs every contender once per round, in turn, `rounds` times; returns each one's results in
 * round order. One warm-up run of each comes first and is not kept (caches, page cache).
 */
export function takeTurns<K extends string, T>(
  contenders: Record<K, () => T>,
  rounds: number,
  warmUp = true,
): Record<K, T[]> {
  const names = Object.keys(contenders) as K[];
  const out = Object.fromEntries(names.map((n) => [n, [] as T[]])) as Record<K, T[]>;
  if (warmUp) for (const n of names) contenders[n]();
  for (let round = 0; round < rounds; round++) {
    for (const n of names) out[n].push(contenders[n]());
  }
  return out;
}

export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The `q` quantile (0..1) of `samples`, nearest rank. */
export function percentile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** The one-line description of the machine the figures come from. */
export function machine(): string {
  const cpus = os.cpus();
  const load = os.loadavg().map((l) => l.toFixed(1));
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, load ${load.join(' ')}, node ${process.version}`;
}
