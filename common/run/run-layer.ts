// Runs client/python/run_layer.py for one request: its own process group, PYTHONPATH from the search
// paths, killed with all its children on timeout or cancellation, and every failure turned into a result.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  announcementWatcher,
  debugHarnessArgs,
  withoutAnnouncement,
  type DebugListenOptions,
} from './debug-run';
import { killTree, spawnGroup, TailBuffer } from './process-tree';
import type { RunError, RunRequest, RunResult } from './types';

export interface RunLayerOptions {
  /** Interpreter to use (see findPython). */
  python: string;
  /** Working directory of the run (e.g. the prototxt's folder). Default: the current one. */
  cwd?: string;
  /** Folders prepended to PYTHONPATH (module resolution roots). */
  pythonPath?: string[];
  /** Kill the run after this long. Default 60 s. Not applied to a run under the debugger. */
  timeoutMs?: number;
  /** Run under debugpy, waiting for a DAP client (see debug-run.ts). */
  debug?: DebugListenOptions;
  signal?: AbortSignal;
  /** Override of the harness script (default: found next to the bundle, see {@link findHarness}). */
  harnessPath?: string;
  /** Base environment. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Called with the pid (= process group id on POSIX) once the harness started. */
  onSpawn?: (pid: number) => void;
  /** Called with what the layer prints (stdout and stderr), as it comes. */
  onOutput?: (text: string) => void;
}

const OUTPUT_LIMIT = 64 * 1024;
const HARNESS = path.join('client', 'python', 'run_layer.py');

/**
 * Where run_layer.py is: `dist/` (the bundle) and `client/python/` are siblings in the repo and in the
 * .vsix; from the sources (common/run) it is two folders up.
 */
export function findHarness(from: string = __dirname): string | undefined {
  for (const up of ['..', path.join('..', '..'), path.join('..', '..', '..')]) {
    const candidate = path.resolve(from, up, HARNESS);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function emptyResult(python: string): RunResult {
  return {
    ok: false,
    interpreter: python,
    usedPycaffe: false,
    tops: [],
    bottoms: [],
    bottomDiffs: [],
    params: [],
    paramDiffs: [],
    timings: {},
    output: '',
    exitCode: null,
    signal: null,
  };
}

function failure(python: string, error: Omit<RunError, 'traceback'>, output = ''): RunResult {
  return { ...emptyResult(python), error: { ...error, traceback: [] }, output };
}

/** Parses the harness's one JSON line; undefined when it is not a result object. */
export function parseHarnessOutput(stdout: string): Partial<RunResult> | undefined {
  const line = stdout.trim().split('\n').pop() ?? '';
  if (!line) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    if (value && typeof value === 'object' && typeof (value as { ok?: unknown }).ok === 'boolean') {
      return value as Partial<RunResult>;
    }
  } catch {
    // not JSON
  }
  return undefined;
}

/**
 * BLAS libraries numpy may use, and the variable that sets each one's thread count. A layer run works
 * on small blobs: a pool of BLAS threads costs far more than it gains there (a gradient check's many
 * small products spent most of their time in thread hand-offs), so runs use one thread unless the
 * user's environment says otherwise.
 */
const BLAS_THREADS = ['OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'];

export function buildEnv(base: NodeJS.ProcessEnv, pythonPath: string[]): NodeJS.ProcessEnv {
  const entries = [...pythonPath];
  if (base.PYTHONPATH) entries.push(base.PYTHONPATH);
  const env: NodeJS.ProcessEnv = { ...base, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' };
  for (const name of BLAS_THREADS) env[name] ??= '1';
  // pycaffe's information log (the whole wrapper net as it is built) is not the layer's output;
  // Caffe's warnings and errors still show.
  env.GLOG_minloglevel ??= '1';
  if (entries.length) env.PYTHONPATH = entries.join(path.delimiter);
  else delete env.PYTHONPATH;
  return env;
}

/** A fresh `caffe-prototxt-run-*` folder for one run's temporary files; undefined when none can be made. */
function runTempFolder(): string | undefined {
  try {
    return mkdtempSync(path.join(tmpdir(), 'caffe-prototxt-run-'));
  } catch {
    return undefined;
  }
}

/** Runs one layer. Never rejects: every failure is a result with `ok: false` and an `error`. */
export function runLayer(request: RunRequest, options: RunLayerOptions): Promise<RunResult> {
  const python = options.python;
  const harness = options.harnessPath ?? findHarness();
  if (!harness || !existsSync(harness)) {
    return Promise.resolve(
      failure(python, {
        type: 'HarnessMissing',
        message: `The layer harness (client/python/run_layer.py) was not found${harness ? ` at ${harness}` : ''}.`,
        phase: 'spawn',
      }),
    );
  }
  if (options.signal?.aborted) {
    return Promise.resolve(
      failure(python, { type: 'Cancelled', message: 'The run was cancelled.', phase: 'cancelled' }),
    );
  }
  const timeoutMs = options.timeoutMs ?? 60_000;

  // The run's temporary files (pycaffe's net file, whatever the layer writes) go to a folder this
  // process makes and removes when the run ends: a run killed mid-way cannot clean up after itself.
  const temp = runTempFolder();
  return new Promise((resolve) => {
    const env = buildEnv(options.env ?? process.env, options.pythonPath ?? []);
    if (temp) Object.assign(env, { TMPDIR: temp, TEMP: temp, TMP: temp });
    const child = spawnGroup(python, [harness, ...debugHarnessArgs(options.debug)], {
      cwd: options.cwd,
      env,
    });
    let stdout = '';
    const output = new TailBuffer(OUTPUT_LIMIT);
    let stopped: 'timeout' | 'cancelled' | undefined;
    let spawnError: Error | undefined;

    const stop = (why: 'timeout' | 'cancelled'): void => {
      if (stopped) return;
      stopped = why;
      if (child.pid !== undefined) killTree(child.pid);
    };
    const timer = options.debug ? undefined : setTimeout(() => stop('timeout'), timeoutMs);
    const watch = announcementWatcher(options.debug);
    const onAbort = (): void => stop('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      watch(stdout);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      output.append(chunk);
      options.onOutput?.(chunk);
    });
    child.stdin?.on('error', () => {
      // The harness died before reading its request: reported through the exit below.
    });
    child.on('spawn', () => {
      if (child.pid !== undefined) options.onSpawn?.(child.pid);
      child.stdin?.end(JSON.stringify(request));
    });
    child.on('error', (err) => {
      spawnError = err;
    });
    // Whatever the layer left behind in the group goes as soon as the harness itself is gone,
    // otherwise a stray child holding the pipes would also keep 'close' from coming.
    child.on('exit', () => {
      if (child.pid !== undefined && process.platform !== 'win32') killTree(child.pid);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (temp) rmSync(temp, { recursive: true, force: true });
      options.signal?.removeEventListener('abort', onAbort);
      const text = output.toString();
      const finish = (result: RunResult): void =>
        resolve({ ...result, output: text, exitCode: code, signal: signal ?? null });

      if (spawnError && child.pid === undefined) {
        const err = spawnError as NodeJS.ErrnoException;
        const message =
          err.code === 'ENOENT'
            ? `Python interpreter not found: ${python}`
            : `Could not start ${python}: ${err.message}`;
        finish(failure(python, { type: 'SpawnError', message, phase: 'spawn' }));
        return;
      }
      // A result the harness wrote before a late stop (a debug session ending as the run ends, a
      // cancel as it finishes) is the run's result.
      const parsed = parseHarnessOutput(withoutAnnouncement(stdout));
      if (stopped === 'timeout' && !parsed) {
        const seconds = timeoutMs / 1000;
        finish(
          failure(python, {
            type: 'Timeout',
            message: `The layer did not finish within ${seconds} s; it was stopped together with every process it started.`,
            phase: 'timeout',
          }),
        );
        return;
      }
      if (stopped === 'cancelled' && !parsed) {
        finish(failure(python, { type: 'Cancelled', message: 'The run was cancelled.', phase: 'cancelled' }));
        return;
      }
      if (!parsed) {
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        const last = text.trim().split('\n').slice(-3).join(' | ');
        finish(
          failure(python, {
            type: stdout.trim() ? 'BadOutput' : 'HarnessCrash',
            message:
              `The Python process ${how} without a result` +
              (stdout.trim() ? ' (its output was not the expected JSON)' : '') +
              (last ? `: ${last}` : '.'),
            phase: 'harness',
          }),
        );
        return;
      }
      finish({ ...emptyResult(python), ...parsed } as RunResult);
    });
  });
}
