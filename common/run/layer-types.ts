// Asks an interpreter's pycaffe which layer types its Caffe registers (caffe.layer_type_list()), so
// that a type the installed Caffe lacks can be reported before a run fails on it. Running the
// interpreter imports the user's caffe package: callers ask only where user code may run.

import { execFile } from 'node:child_process';
import { buildEnv } from './run-layer';

export interface LayerTypesProbeOptions {
  /** The interpreter to run. */
  python: string;
  /** Folders put first on PYTHONPATH (the module search path a layer run uses). */
  pythonPath?: readonly string[];
  /** Base environment (its PYTHONPATH comes after `pythonPath`). Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Default 30 s: importing caffe loads its shared library and protobuf. */
  timeoutMs?: number;
}

export type LayerTypesProbe =
  | {
      ok: true;
      /** Sorted, as layer_type_list() gives them. */
      types: string[];
      /** sys.executable of the interpreter that answered. */
      executable: string;
      /** Where the imported caffe package is. */
      caffe?: string;
      /** The interpreter's major version (2 or 3). */
      major?: number;
      /**
       * The top-level modules it can import (builtins, standard library, what its sys.path holds, the
       * search path given included); absent when an import hook it has may provide others.
       */
      modules?: string[];
    }
  | {
      ok: false;
      /** no-python: the interpreter did not start; no-caffe: `import caffe` failed; no-list: the
       * package has no layer_type_list; timeout; failed: anything else. */
      reason: 'no-python' | 'no-caffe' | 'no-list' | 'timeout' | 'failed';
      message: string;
    };

/** Marks the answer line among whatever caffe's import prints. */
const MARK = '@@caffe-layer-types ';

/**
 * The names `import NAME` finds: builtins, the standard library, modules and packages on sys.path
 * (pkgutil), folders there without __init__.py (namespace packages); None when an import hook other
 * than the standard ones (and setuptools' and six's, which serve names of their own) may find more.
 */
const MODULES = [
  'def importable():',
  '    import os, pkgutil, re',
  '    known = ("BuiltinImporter", "FrozenImporter", "PathFinder", "DistutilsMetaFinder", "_SixMetaPathImporter",',
  '              "VendorImporter")',
  '    for finder in sys.meta_path:',
  '        kind = finder if isinstance(finder, type) else type(finder)',
  '        if kind.__name__ not in known: return None',
  '    names = set(sys.builtin_module_names)',
  '    names.update(getattr(sys, "stdlib_module_names", ()))',
  '    for found in pkgutil.iter_modules(): names.add(found[1])',
  '    word = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")',
  '    for entry in sys.path:',
  '        folder = entry or os.getcwd()',
  '        try: listed = os.listdir(folder)',
  '        except Exception: continue',
  '        for name in listed:',
  '            if word.match(name) and os.path.isdir(os.path.join(folder, name)): names.add(name)',
  '    return sorted(names)',
];

const SCRIPT = [
  'import json, sys',
  `def say(info): print(${JSON.stringify(MARK)} + json.dumps(info))`,
  ...MODULES,
  'try:',
  '    import caffe',
  'except BaseException as exc:',
  '    say({"problem": "no-caffe", "detail": "%s: %s" % (type(exc).__name__, exc)})',
  '    sys.exit(0)',
  'where = getattr(caffe, "__file__", None)',
  'lister = getattr(caffe, "layer_type_list", None)',
  'if lister is None:',
  '    say({"problem": "no-list", "detail": str(where)})',
  'else:',
  '    try: modules = importable()',
  '    except Exception: modules = None',
  '    say({"types": sorted(str(t) for t in lister()), "caffe": where, "executable": sys.executable,',
  '         "major": sys.version_info[0], "modules": modules})',
].join('\n');

interface Answer {
  problem?: string;
  detail?: string;
  types?: unknown;
  caffe?: unknown;
  executable?: unknown;
  major?: unknown;
  modules?: unknown;
}

/** Runs the interpreter once and says what its caffe registers, or why that could not be learned. Never rejects. */
export function probeLayerTypes(options: LayerTypesProbeOptions): Promise<LayerTypesProbe> {
  const { python } = options;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const env = { ...buildEnv(options.env ?? process.env, [...(options.pythonPath ?? [])]) };
  // Caffe logs through glog on stderr; only warnings and worse matter here.
  env.GLOG_minloglevel = '2';
  return new Promise((resolve) => {
    execFile(
      python,
      ['-c', SCRIPT],
      {
        env,
        cwd: options.cwd,
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        windowsHide: true,
        maxBuffer: 4 << 20,
      },
      (error, stdout, stderr) => {
        const code = error ? (error as NodeJS.ErrnoException).code : undefined;
        if (code === 'ENOENT') {
          resolve({ ok: false, reason: 'no-python', message: `${python} was not found.` });
          return;
        }
        const answer = readAnswer(stdout);
        if (answer) {
          resolve(fromAnswer(python, answer));
          return;
        }
        if (error && (error as { killed?: boolean }).killed) {
          resolve({
            ok: false,
            reason: 'timeout',
            message: `${python} did not answer within ${Math.round(timeoutMs / 1000)} s while importing caffe.`,
          });
          return;
        }
        const detail = lastLine(stderr) || (error ? error.message : 'no output');
        resolve({ ok: false, reason: 'failed', message: `${python} could not be asked: ${detail}` });
      },
    );
  });
}

function readAnswer(stdout: string): Answer | undefined {
  const line = stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith(MARK));
  if (!line) return undefined;
  try {
    const parsed: unknown = JSON.parse(line.slice(MARK.length));
    return parsed && typeof parsed === 'object' ? (parsed as Answer) : undefined;
  } catch {
    return undefined;
  }
}

function fromAnswer(python: string, answer: Answer): LayerTypesProbe {
  if (answer.problem === 'no-caffe')
    return {
      ok: false,
      reason: 'no-caffe',
      message: `caffe does not import under ${python} (${answer.detail ?? 'no detail'}).`,
    };
  if (answer.problem === 'no-list')
    return {
      ok: false,
      reason: 'no-list',
      message: `The caffe package ${python} imports (${answer.detail ?? '?'}) has no layer_type_list().`,
    };
  const types = Array.isArray(answer.types)
    ? answer.types.filter((t): t is string => typeof t === 'string')
    : [];
  if (types.length === 0)
    return { ok: false, reason: 'failed', message: `The caffe of ${python} listed no layer types.` };
  return {
    ok: true,
    types,
    executable: typeof answer.executable === 'string' ? answer.executable : python,
    ...(typeof answer.caffe === 'string' ? { caffe: answer.caffe } : {}),
    ...(typeof answer.major === 'number' ? { major: answer.major } : {}),
    ...(Array.isArray(answer.modules)
      ? { modules: answer.modules.filter((m): m is string => typeof m === 'string') }
      : {}),
  };
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() ?? '';
}
