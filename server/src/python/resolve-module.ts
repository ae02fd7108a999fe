// A dotted Python module name (a prototxt's `python_param { module: "rpn.proposal_layer" }`) -> the file,
// searching the folders in the order Caffe's Python would most likely have them on sys.path.

import * as path from 'node:path';
import type { ImportBinding } from './module-info';
import { isInside } from '../util/path-inside';

export interface ModuleResolutionContext {
  /** Folder of the prototxt (or of the importing Python file). */
  prototxtDir: string;
  workspaceRoots: readonly string[];
  /** The `prototxt.python.extraPaths` setting, absolute. */
  extraPaths: readonly string[];
  /** Folders that the workspace's own scripts put on sys.path. */
  sysPathFolders: readonly string[];
  /**
   * Folders of the workspace's scripts that run Caffe (sys.path[0] of the nets they run), then those
   * holding a checkout's pycaffe package (on PYTHONPATH wherever a Python layer runs): searched after
   * the net's own folders, since a script may run another folder's nets.
   */
  scriptFolders?: readonly string[];
}

export interface ModuleResolution {
  /** The winning file: the first match in search order. */
  file?: string;
  /** Other files that also match, in search order (a shadowed module, or a module beside a package). */
  others: string[];
  /** Every folder searched, in order (for the "module not found" message). */
  searched: string[];
  /** Set when the name is not a valid dotted module name; nothing is searched then. */
  problem?: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function resolveModule(
  dotted: string,
  ctx: ModuleResolutionContext,
  fileExists: (file: string) => boolean,
): ModuleResolution {
  const problem = checkModuleName(dotted);
  if (problem) return { others: [], searched: [], problem };
  const parts = dotted.trim().split('.');
  const searched = searchFolders(ctx);
  const found: string[] = [];
  for (const folder of searched) {
    const base = path.join(folder, ...parts);
    // A package beats a module of the same name in the same folder, as in Python's own finder.
    for (const candidate of [path.join(base, '__init__.py'), `${base}.py`]) {
      if (!found.includes(candidate) && fileExists(candidate)) found.push(candidate);
    }
  }
  return { file: found[0], others: found.slice(1), searched };
}

export function checkModuleName(dotted: string): string | undefined {
  const name = dotted.trim();
  if (name === '') return 'The module name is empty.';
  if (name.startsWith('.'))
    return `'${name}' is a relative module name; Caffe imports modules by absolute name.`;
  if (name.endsWith('.py'))
    return `'${name}' is a file name; write the module as a dotted name without '.py'.`;
  // Caffe imports the name as written (boost::python::import, Python's __import__), which takes any
  // part a file or folder may be named (`12net_data_layer`, `my-layers`); only an empty part, or a
  // path, names nothing.
  const parts = name.split('.');
  if (parts.includes('')) return `'${name}' has an empty part.`;
  if (parts.some((p) => /[\\/]/.test(p)))
    return `'${name}' is a file path; write the module as a dotted name (its folders joined by '.').`;
  return undefined;
}

/**
 * extraPaths, the prototxt's folder, sys.path folders of the workspace, the prototxt's parent folders
 * up to its root, the folders of the scripts that run Caffe, the roots. A module beside the net comes
 * before the folders of the workspace's scripts: those scripts may run other nets (MTCNN's data
 * scripts put `../12net` on sys.path, while `24net/train24.prototxt` means the `pythonLayer.py` beside
 * it, run from its folder). A script's own folder comes after the net's parents: WebVision's
 * alexnet/train.py and resnet152-v2/train.py each run their folder's nets with their folder's
 * layers.py.
 */
export function searchFolders(ctx: ModuleResolutionContext): string[] {
  const out: string[] = [];
  const add = (folder: string) => {
    const f = path.resolve(folder);
    if (!out.includes(f)) out.push(f);
  };
  ctx.extraPaths.forEach(add);
  add(ctx.prototxtDir);
  ctx.sysPathFolders.forEach(add);
  const dir = path.resolve(ctx.prototxtDir);
  const root = ctx.workspaceRoots
    .map((r) => path.resolve(r))
    .filter((r) => isInside(dir, r))
    .sort((a, b) => b.length - a.length)[0];
  for (let d = dir; ; d = path.dirname(d)) {
    add(d);
    if (root === undefined || d === root || path.dirname(d) === d) break;
  }
  ctx.scriptFolders?.forEach(add);
  ctx.workspaceRoots.forEach(add);
  return out;
}

/**
 * The dotted names under which `file` can be imported from the given folders, shortest first: its
 * packages named as identifiers (as a package needs to be in every Python), the module itself named
 * as its file is (`12net_data_layer`, which Caffe's import takes), but for a dot.
 */
export function moduleNamesFor(file: string, folders: readonly string[]): string[] {
  const names: string[] = [];
  for (const folder of folders) {
    if (!isInside(file, folder)) continue;
    const rel = path.relative(folder, file);
    if (!rel.endsWith('.py')) continue;
    const parts = rel.slice(0, -3).split(path.sep);
    if (parts[parts.length - 1] === '__init__') parts.pop();
    const last = parts.length - 1;
    const named = (p: string, i: number) =>
      IDENTIFIER.test(p) || (i === last && p !== '' && !p.includes('.'));
    if (parts.length === 0 || !parts.every(named)) continue;
    const name = parts.join('.');
    if (!names.includes(name)) names.push(name);
  }
  return names.sort((a, b) => a.split('.').length - b.split('.').length);
}

/** A file that a dotted module name imports once `folder` is on sys.path. */
export interface ModuleElsewhere {
  file: string;
  folder: string;
}

/**
 * Files among `files` that `dotted` would import from a folder that is not searched (`pkg/mod.py` or
 * `pkg/mod/__init__.py` anywhere), each with that folder; nearest the top of the tree first.
 */
export function modulesElsewhere(dotted: string, files: Iterable<string>): ModuleElsewhere[] {
  if (checkModuleName(dotted)) return [];
  const rel = path.join(...dotted.trim().split('.'));
  const suffixes = [`${path.sep}${rel}.py`, `${path.sep}${path.join(rel, '__init__.py')}`];
  const out: ModuleElsewhere[] = [];
  for (const file of files) {
    const suffix = suffixes.find((s) => file.endsWith(s));
    if (suffix) out.push({ file, folder: file.slice(0, file.length - suffix.length) || path.sep });
  }
  return out.sort((a, b) => a.folder.length - b.folder.length || a.file.localeCompare(b.file));
}

/**
 * The files an import statement may load (`file` holds it; `ctx` is the search from its folder): the
 * module, the submodule a `from` import names, and for an absolute import the __init__.py of each
 * package on the way, which Python runs first.
 */
export function importTargets(
  file: string,
  binding: Pick<ImportBinding, 'module' | 'level' | 'name'>,
  ctx: ModuleResolutionContext,
  exists: (f: string) => boolean,
): string[] {
  const { module, level, name } = binding;
  const dotted = [module, name && name !== '*' ? `${module ? `${module}.` : ''}${name}` : undefined].filter(
    (m): m is string => m !== undefined && m !== '',
  );
  const out: string[] = [];
  if (level > 0) {
    let dir = path.dirname(file);
    for (let i = 1; i < level; i++) dir = path.dirname(dir);
    for (const m of ['', ...dotted]) {
      const base = m ? path.join(dir, ...m.split('.')) : dir;
      for (const f of [path.join(base, '__init__.py'), `${base}.py`]) if (exists(f)) out.push(f);
    }
    return out;
  }
  for (const m of dotted) {
    const found = resolveModule(m, ctx, exists).file;
    if (found === undefined) continue;
    for (const init of packageInits(found, m, exists)) if (!out.includes(init)) out.push(init);
    out.push(found);
  }
  return out;
}

/**
 * The __init__.py files Python runs before `file`, which the dotted module `dotted` resolved to: those
 * of the packages it is in, outermost first (a folder without one is a namespace package).
 */
export function packageInits(file: string, dotted: string, exists: (f: string) => boolean): string[] {
  const packages = dotted.trim().split('.').length - 1;
  let dir = path.dirname(file);
  if (path.basename(file) === '__init__.py') dir = path.dirname(dir);
  const out: string[] = [];
  for (let i = 0; i < packages; i++) {
    const init = path.join(dir, '__init__.py');
    if (exists(init)) out.unshift(init);
    dir = path.dirname(dir);
  }
  return out;
}
