// Folders a script puts on sys.path: `sys.path.insert(0, X)`, `sys.path.append(X)`, `add_path(X)` (the helper
// of py-faster-rcnn's `_init_paths.py`) and `site.addsitedir(X)`, with X worked out statically where simple:
// string literals, `__file__`, os.path / pathlib calls, `+` and `/`, and variables assigned such values.

import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import type { LineIndex } from '../util/ranges';
import { qualifiedName, resolveDotted } from './imports';
import type { ImportBinding, SysPathEntry } from './module-info';
import { dottedText, positionalArguments, spanOf, stringValue, unparen } from './py-nodes';

const MAX_DEPTH = 12;

/** Text that may put a folder on sys.path; a file without it adds none (a cheap test before parsing). */
export const SYS_PATH_HINT = /sys\.path|add_path|addsitedir/;
/** A call that builds a net or a solver through pycaffe. */
const RUNS_CAFFE = /\bcaffe\.(?:get_solver|\w*Solver|Net)\s*\(/;
/** The same call at the top level of a module (`solver = caffe.get_solver(path)` at column 0). */
const RUNS_CAFFE_AT_TOP = /^(?:[\w.]+\s*=\s*)?caffe\.(?:get_solver|\w*Solver|Net)\s*\(/m;
const MAIN_GUARD = /^if\s+__name__\s*==\s*["']__main__["']/m;

/**
 * Whether `source` is a script that runs Caffe (builds a net or solver through pycaffe at its top
 * level or behind `if __name__ == '__main__':`): run, its own folder is first on sys.path. A module
 * that only does so in a function others call (py-faster-rcnn's lib/fast_rcnn/train.py) is imported,
 * not run, and puts nothing there.
 */
export function runsCaffeAsScript(source: string): boolean {
  return RUNS_CAFFE.test(source) && (MAIN_GUARD.test(source) || RUNS_CAFFE_AT_TOP.test(source));
}
const NO_CLASSES: ReadonlySet<string> = new Set();

interface Env {
  file: string;
  imports: readonly ImportBinding[];
  /** Simple `name = value` assignments anywhere in the module, in source order. */
  assignments: Map<string, Node[]>;
}

export function collectSysPath(
  root: Node,
  source: string,
  file: string,
  imports: readonly ImportBinding[],
  lines: LineIndex,
): SysPathEntry[] {
  if (!SYS_PATH_HINT.test(source)) return [];
  const env: Env = { file, imports, assignments: new Map() };
  for (const a of root.descendantsOfType('assignment')) {
    const left = a?.childForFieldName('left');
    if (!a || left?.type !== 'identifier') continue;
    const list = env.assignments.get(left.text);
    if (list) list.push(a);
    else env.assignments.set(left.text, [a]);
  }
  const out: SysPathEntry[] = [];
  for (const call of root.descendantsOfType('call')) {
    if (!call) continue;
    const written = dottedText(call.childForFieldName('function'));
    if (!written) continue;
    const resolved = resolveDotted(written, imports, NO_CLASSES);
    const callee = qualifiedName(resolved);
    let via: SysPathEntry['via'] | undefined;
    let argIndex = 0;
    if (callee === 'sys.path.insert') {
      via = 'sys.path.insert';
      argIndex = 1;
    } else if (callee === 'sys.path.append') via = 'sys.path.append';
    else if (callee === 'site.addsitedir') via = 'site.addsitedir';
    // The helper itself, or an imported module's (`_init_paths.add_path`); not a method of some object
    // (pycaffe-yolo's `list_creator.add_path(images, labels)` lists a data set).
    else if (written === 'add_path' || (written.endsWith('.add_path') && resolved.kind === 'imported'))
      via = 'add_path';
    if (!via) continue;
    const arg = positionalArguments(call)[argIndex];
    if (!arg) continue;
    const value = evaluatePath(arg, env, 0);
    const folder = value === undefined ? undefined : path.resolve(path.dirname(file), value);
    const entry: SysPathEntry = { via, folder, argument: arg.text, span: spanOf(call, lines) };
    if (value !== undefined && !path.isAbsolute(value)) entry.relative = value;
    if (value?.startsWith('~')) entry.tilde = spanOf(arg, lines);
    out.push(entry);
  }
  return out;
}

function evaluatePath(node: Node | null, env: Env, depth: number): string | undefined {
  const n = unparen(node);
  if (!n || depth > MAX_DEPTH) return undefined;
  switch (n.type) {
    case 'string':
    case 'concatenated_string':
      return stringValue(n);
    case 'identifier':
      return evaluateName(n, env, depth);
    case 'attribute': {
      // pathlib: Path(x).parent
      if (n.childForFieldName('attribute')?.text !== 'parent') return undefined;
      const inner = evaluatePath(n.childForFieldName('object'), env, depth + 1);
      return inner === undefined ? undefined : path.dirname(inner);
    }
    case 'binary_operator': {
      const op = n.childForFieldName('operator')?.type;
      const left = evaluatePath(n.childForFieldName('left'), env, depth + 1);
      const right = evaluatePath(n.childForFieldName('right'), env, depth + 1);
      if (left === undefined || right === undefined) return undefined;
      if (op === '+') return left + right;
      if (op === '/') return joinLikePython([left, right]);
      return undefined;
    }
    case 'call':
      return evaluateCall(n, env, depth);
    default:
      return undefined;
  }
}

function evaluateName(n: Node, env: Env, depth: number): string | undefined {
  if (n.text === '__file__') return env.file;
  if (isParameterOfEnclosingFunction(n)) return undefined;
  const candidates = env.assignments.get(n.text) ?? [];
  let last: Node | undefined;
  for (const a of candidates) if (a.endIndex <= n.startIndex) last = a;
  return last ? evaluatePath(last.childForFieldName('right'), env, depth + 1) : undefined;
}

function isParameterOfEnclosingFunction(n: Node): boolean {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type !== 'function_definition') continue;
    const params = p.childForFieldName('parameters');
    for (const param of params?.namedChildren ?? []) {
      const name = param?.type === 'identifier' ? param : param?.childForFieldName('name');
      if (name?.text === n.text) return true;
    }
  }
  return false;
}

function evaluateCall(n: Node, env: Env, depth: number): string | undefined {
  const fn = n.childForFieldName('function');
  const args = positionalArguments(n);
  const arg = (i: number) => evaluatePath(args[i] ?? null, env, depth + 1);
  // Path(x).resolve(), .absolute(): the same folder for our purposes.
  if (fn?.type === 'attribute') {
    const method = fn.childForFieldName('attribute')?.text;
    if (method === 'resolve' || method === 'absolute') {
      return evaluatePath(fn.childForFieldName('object'), env, depth + 1);
    }
  }
  const written = dottedText(fn);
  if (!written) return undefined;
  const callee = qualifiedName(resolveDotted(written, env.imports, NO_CLASSES)).replace(
    /^(posixpath|ntpath)\./,
    'os.path.',
  );
  switch (callee) {
    case 'os.path.join':
    case 'pathlib.Path':
    case 'pathlib.PurePath': {
      const parts = args.map((a) => evaluatePath(a, env, depth + 1));
      if (parts.length === 0 || parts.some((p) => p === undefined)) return undefined;
      return joinLikePython(parts as string[]);
    }
    case 'os.path.dirname': {
      const v = arg(0);
      return v === undefined ? undefined : path.dirname(v);
    }
    case 'os.path.abspath':
    case 'os.path.realpath':
    case 'os.path.normpath':
    case 'str':
    case 'os.fspath': {
      const v = arg(0);
      return v === undefined ? undefined : path.normalize(v);
    }
    case 'os.path.expanduser': {
      const v = arg(0);
      return v === undefined || v.startsWith('~') ? undefined : v;
    }
    default:
      return undefined;
  }
}

/** `os.path.join`: an absolute part discards everything before it. */
function joinLikePython(parts: readonly string[]): string {
  let out = '';
  for (const p of parts) out = path.isAbsolute(p) || out === '' ? p : path.join(out, p);
  return out;
}
