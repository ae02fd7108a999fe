// The server's view of the `prototxt.*` settings, with the defaults every client gets.

export type ParamStrFormat = 'auto' | 'json' | 'python' | 'yaml' | 'csv';

export interface Settings {
  /** `exclude` absent: the default folders (SCHEMA_EXCLUDE_DEFAULT). */
  schema: { paths: string[]; autoDiscover: boolean; exclude?: string[] };
  layerTypes: { allow: string[] };
  format: { indent: number };
  inlayHints: { shapes: boolean };
  paramStr: { format: ParamStrFormat };
  python: {
    extraPaths: string[];
    exclude: string[];
    interpreter: string;
    usePycaffe: 'auto' | 'always' | 'never';
  };
  run: { timeoutSeconds: number };
}

/** Folders never searched for a caffe.proto unless prototxt.schema.exclude says otherwise. */
export const SCHEMA_EXCLUDE_DEFAULT = ['node_modules', '.git'];

export const DEFAULT_SETTINGS: Settings = {
  schema: { paths: [], autoDiscover: true, exclude: SCHEMA_EXCLUDE_DEFAULT },
  layerTypes: { allow: [] },
  format: { indent: 2 },
  inlayHints: { shapes: true },
  paramStr: { format: 'auto' },
  python: { extraPaths: [], exclude: [], interpreter: '', usePycaffe: 'auto' },
  run: { timeoutSeconds: 60 },
};

/** Reads whatever a client sent (possibly partial or of the wrong shape) over the defaults. */
export function readSettings(raw: unknown): Settings {
  const r = isObject(raw) ? raw : {};
  const d = DEFAULT_SETTINGS;
  const schema = obj(r.schema);
  const layerTypes = obj(r.layerTypes);
  const format = obj(r.format);
  const inlay = obj(r.inlayHints);
  const paramStr = obj(r.paramStr);
  const python = obj(r.python);
  const run = obj(r.run);
  return {
    schema: {
      paths: strings(schema.paths, d.schema.paths),
      autoDiscover: bool(schema.autoDiscover, d.schema.autoDiscover),
      exclude: strings(schema.exclude, SCHEMA_EXCLUDE_DEFAULT),
    },
    layerTypes: { allow: strings(layerTypes.allow, d.layerTypes.allow) },
    format: { indent: int(format.indent, d.format.indent, 0, 16) },
    inlayHints: { shapes: bool(inlay.shapes, d.inlayHints.shapes) },
    paramStr: {
      format: oneOf(paramStr.format, ['auto', 'json', 'python', 'yaml', 'csv'], d.paramStr.format),
    },
    python: {
      extraPaths: strings(python.extraPaths, d.python.extraPaths),
      exclude: strings(python.exclude, d.python.exclude),
      interpreter: typeof python.interpreter === 'string' ? python.interpreter : d.python.interpreter,
      usePycaffe: oneOf(python.usePycaffe, ['auto', 'always', 'never'], d.python.usePycaffe),
    },
    run: { timeoutSeconds: int(run.timeoutSeconds, d.run.timeoutSeconds, 1, 24 * 3600) },
  };
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
