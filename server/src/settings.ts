// The server's view of the `prototxt.*` settings, with the defaults every client gets. Every value
// that reaches a matcher, a path or a process is checked here: globs must compile (globProblem),
// paths and the interpreter must be plain strings of sane length, lists are bounded; a value that
// fails is left out and named in a problem the server logs.

import { globProblem } from '../../common/glob';

export type ParamStrFormat = 'auto' | 'json' | 'python' | 'yaml' | 'csv';

export interface Settings {
  /** `exclude` absent: the default folders (SCHEMA_EXCLUDE_DEFAULT). */
  schema: { paths: string[]; autoDiscover: boolean; exclude?: string[] };
  layerTypes: { allow: string[] };
  format: { indent: number };
  inlayHints: { shapes: boolean };
  /** Shapes stated for blobs no rule can tell (a data layer's top), by blob name. */
  shapes: { inputShapes: ReadonlyMap<string, number[]> };
  paramStr: { format: ParamStrFormat };
  python: {
    extraPaths: string[];
    exclude: string[];
    interpreter: string;
    usePycaffe: 'auto' | 'always' | 'never';
  };
  run: { timeoutSeconds: number };
  /** Diagnostic codes never shown (`python2-syntax`, `fork-field`, ...): a project's own choice. */
  diagnostics: { ignore: string[] };
}

/** Folders never searched for a caffe.proto unless prototxt.schema.exclude says otherwise. */
export const SCHEMA_EXCLUDE_DEFAULT = ['node_modules', '.git'];

export const DEFAULT_SETTINGS: Settings = {
  schema: { paths: [], autoDiscover: true, exclude: SCHEMA_EXCLUDE_DEFAULT },
  layerTypes: { allow: [] },
  format: { indent: 2 },
  inlayHints: { shapes: true },
  shapes: { inputShapes: new Map() },
  paramStr: { format: 'auto' },
  python: { extraPaths: [], exclude: [], interpreter: '', usePycaffe: 'auto' },
  run: { timeoutSeconds: 60 },
  diagnostics: { ignore: [] },
};

/** At most this many entries of one list setting are used. */
export const MAX_LIST_ENTRIES = 256;
/** A path (or interpreter) longer than this is no path. */
export const MAX_PATH_LENGTH = 4096;

/** Reads whatever a client sent (possibly partial or of the wrong shape) over the defaults. */
export function readSettings(raw: unknown): Settings {
  return readSettingsChecked(raw).settings;
}

/** The settings, and what was left out of them and why (one line per value). */
export function readSettingsChecked(raw: unknown): { settings: Settings; problems: string[] } {
  const problems: string[] = [];
  const r = isObject(raw) ? raw : {};
  const d = DEFAULT_SETTINGS;
  const schema = obj(r.schema);
  const layerTypes = obj(r.layerTypes);
  const format = obj(r.format);
  const inlay = obj(r.inlayHints);
  const shapes = obj(r.shapes);
  const paramStr = obj(r.paramStr);
  const python = obj(r.python);
  const run = obj(r.run);
  const diagnostics = obj(r.diagnostics);
  const globs = (name: string, v: unknown, fallback: string[]) =>
    checked(name, strings(v, fallback), problems, (g) => {
      const problem = globProblem(g);
      return problem && `the glob ${preview(g)} is ${problem}`;
    });
  const paths = (name: string, v: unknown, fallback: string[]) =>
    checked(name, strings(v, fallback), problems, pathProblem);
  const interpreter = typeof python.interpreter === 'string' ? python.interpreter : d.python.interpreter;
  const interpreterProblem = interpreter === '' ? undefined : pathProblem(interpreter);
  if (interpreterProblem) problems.push(`prototxt.python.interpreter: ${interpreterProblem}; left out`);
  const settings: Settings = {
    schema: {
      paths: paths('prototxt.schema.paths', schema.paths, d.schema.paths),
      autoDiscover: bool(schema.autoDiscover, d.schema.autoDiscover),
      exclude: globs('prototxt.schema.exclude', schema.exclude, SCHEMA_EXCLUDE_DEFAULT),
    },
    layerTypes: {
      allow: checked(
        'prototxt.layerTypes.allow',
        strings(layerTypes.allow, d.layerTypes.allow),
        problems,
        (t) => (t.length > 200 ? `the type ${preview(t)} is longer than 200 characters` : undefined),
      ),
    },
    format: { indent: int(format.indent, d.format.indent, 0, 16) },
    inlayHints: { shapes: bool(inlay.shapes, d.inlayHints.shapes) },
    shapes: { inputShapes: dimsByName(shapes.inputShapes) },
    paramStr: {
      format: oneOf(paramStr.format, ['auto', 'json', 'python', 'yaml', 'csv'], d.paramStr.format),
    },
    python: {
      extraPaths: paths('prototxt.python.extraPaths', python.extraPaths, d.python.extraPaths),
      exclude: globs('prototxt.python.exclude', python.exclude, d.python.exclude),
      interpreter: interpreterProblem ? d.python.interpreter : interpreter,
      usePycaffe: oneOf(python.usePycaffe, ['auto', 'always', 'never'], d.python.usePycaffe),
    },
    run: { timeoutSeconds: int(run.timeoutSeconds, d.run.timeoutSeconds, 1, 24 * 3600) },
    diagnostics: {
      ignore: checked(
        'prototxt.diagnostics.ignore',
        strings(diagnostics.ignore, d.diagnostics.ignore),
        problems,
        codeProblem,
      ),
    },
  };
  return { settings, problems };
}

/** Why a string is no diagnostic code (lower-case words joined by '-'), or undefined. */
export function codeProblem(code: string): string | undefined {
  return /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(code) && code.length <= 80
    ? undefined
    : `${preview(code)} is no diagnostic code (such as python2-syntax)`;
}

/** Why a string cannot be a file system path, or undefined. */
function pathProblem(p: string): string | undefined {
  if (p.length > MAX_PATH_LENGTH)
    return `the path ${preview(p)} is longer than ${MAX_PATH_LENGTH} characters`;
  if (p.includes('\0') || /[\r\n]/.test(p)) return `the path ${preview(p)} holds a NUL or a line break`;
  return undefined;
}

/** The entries of a list setting that pass `problem`, at most MAX_LIST_ENTRIES; the others reported. */
function checked(
  name: string,
  values: string[],
  problems: string[],
  problem: (value: string) => string | undefined,
): string[] {
  const out: string[] = [];
  for (const v of values) {
    const why = problem(v);
    if (why) problems.push(`${name}: ${why}; left out`);
    else if (out.length < MAX_LIST_ENTRIES) out.push(v);
  }
  if (values.length > MAX_LIST_ENTRIES && out.length === MAX_LIST_ENTRIES)
    problems.push(`${name}: more than ${MAX_LIST_ENTRIES} entries; the first ${MAX_LIST_ENTRIES} are used`);
  return out;
}

function preview(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/**
 * Blob name -> dims; entries that are not 1 to 32 positive whole numbers are left out. A Map: in an
 * object, a blob named `__proto__` would set the object's prototype instead of an entry.
 */
function dimsByName(v: unknown): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const [name, dims] of Object.entries(obj(v))) {
    const ok =
      Array.isArray(dims) &&
      dims.length >= 1 &&
      dims.length <= 32 &&
      dims.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 1 && d <= 2 ** 31 - 1);
    if (ok && name.trim() !== '') out.set(name, [...(dims as number[])]);
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function obj(v: unknown): Record<string, unknown> {
  return isObject(v) ? v : {};
}
function strings(v: unknown, fallback: string[]): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : fallback;
}
function bool(v: unknown, fallback: boolean): boolean {
  return typeof v === 'boolean' ? v : fallback;
}
function int(v: unknown, fallback: number, min: number, max: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, Math.round(v))) : fallback;
}
function oneOf<T extends string>(v: unknown, allowed: readonly T[], fallback: T): T {
  return typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;
}
