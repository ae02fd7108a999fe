// Choosing the interpreter that runs layers: an explicit path, else the first candidate that imports numpy.

import { execFile } from 'node:child_process';

export interface FindPythonOptions {
  /** A configured interpreter (`prototxt.python.interpreter`, `--python`): used alone, never replaced. */
  explicit?: string;
  /** Names looked up on PATH or absolute paths, tried in order. Default {@link DEFAULT_PYTHON_CANDIDATES}. */
  candidates?: string[];
  /** Environment of the probes (its PATH is searched). Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Per-probe limit. Default 15 s. */
  timeoutMs?: number;
}

export interface PythonProbe {
  /** What was tried, as given (`python3`, `/usr/bin/python3`). */
  candidate: string;
  /** sys.executable, when the interpreter started. */
  executable?: string;
  version?: string;
  numpy?: string;
  /** Why it cannot run layers; absent for a usable interpreter. */
  problem?: string;
}

export type FindPythonResult =
  | { ok: true; python: string; probe: PythonProbe; tried: PythonProbe[]; message: string }
  | { ok: false; tried: PythonProbe[]; message: string };

export const DEFAULT_PYTHON_CANDIDATES: readonly string[] =
  process.platform === 'win32' ? ['python', 'python3', 'py'] : ['python3', 'python', '/usr/bin/python3'];

// Prints one JSON line; an interpreter too old for this script is reported by its failure.
const PROBE = [
  'import json, sys',
  'info = {"executable": sys.executable, "version": "%d.%d.%d" % sys.version_info[:3]}',
  'try:',
  '    import numpy',
  '    info["numpy"] = numpy.__version__',
  'except Exception as exc:',
  '    info["problem"] = "numpy does not import (%s: %s)" % (type(exc).__name__, exc)',
  'print(json.dumps(info))',
].join('\n');

/** Runs the probe script with one candidate. Never throws. */
export function probePython(
  candidate: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<PythonProbe> {
  return new Promise((resolve) => {
    execFile(
      candidate,
      ['-c', PROBE],
      { env, timeout: timeoutMs, windowsHide: true, maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
          const where =
            candidate.includes('/') || candidate.includes('\\') ? 'no such file' : 'not found on PATH';
          resolve({ candidate, problem: where });
          return;
        }
        const line = stdout.trim().split('\n').pop() ?? '';
        try {
          const info = JSON.parse(line) as Omit<PythonProbe, 'candidate'>;
          if (typeof info.executable === 'string') {
            resolve({ candidate, ...info });
            return;
          }
        } catch {
          // fall through: not our JSON
        }
        const detail = (stderr.trim().split('\n').pop() ?? '') || (error ? error.message : 'no output');
        const killed = error && (error as { killed?: boolean }).killed;
        resolve({
          candidate,
          problem: killed ? `did not answer within ${timeoutMs} ms` : `is not a working Python 3: ${detail}`,
        });
      },
    );
  });
}

function describe(p: PythonProbe): string {
  const where = p.executable && p.executable !== p.candidate ? ` (${p.executable})` : '';
  return `${p.candidate}${where}: ${p.problem ?? 'ok'}`;
}

/** Finds the interpreter for layer runs and says which one, or why none could be used. */
export async function findPython(options: FindPythonOptions = {}): Promise<FindPythonResult> {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const explicit = options.explicit?.trim();
  const candidates = explicit ? [explicit] : [...(options.candidates ?? DEFAULT_PYTHON_CANDIDATES)];
  const tried: PythonProbe[] = [];
  for (const candidate of candidates) {
    const probe = await probePython(candidate, env, timeoutMs);
    tried.push(probe);
    if (!probe.problem) {
      const skipped = tried.slice(0, -1).map(describe);
      const message =
        `Using ${candidate}${probe.executable !== candidate ? ` (${probe.executable})` : ''}: ` +
        `Python ${probe.version}, numpy ${probe.numpy}.` +
        (skipped.length ? ` Skipped ${skipped.join('; ')}.` : '');
      return { ok: true, python: probe.executable ?? candidate, probe, tried, message };
    }
  }
  const list = tried.map(describe).join('; ');
  const message = explicit
    ? `The configured Python interpreter cannot run layers: ${list}. ` +
      'Fix the path or install numpy for it.'
    : `No Python interpreter with numpy was found. Tried ${list}. ` +
      'Install numpy (on Debian/Ubuntu: apt-get install python3-numpy) or name an interpreter ' +
      '(setting prototxt.python.interpreter, or --python on the command line).';
  return { ok: false, tried, message };
}
