// Imports that stop a module's import because the interpreter cannot find the module: neither the
// workspace's search path nor the interpreter's own (what its sys.path, builtins and standard library
// hold, as the run interpreter listed them) has it; or a package of the workspace lacks the submodule
// imported from it (often a Cython module not built yet: `utils/cython_bbox.pyx` without its `.so`).
// Only imports that always run when the module is imported count (module level, outside `if`, outside
// a `try` that catches ImportError), followed through the workspace modules they reach, nearest first,
// like python2-imports.ts. Without the interpreter's list only the workspace's packages are judged.

import * as path from 'node:path';
import type { ImportBinding, ModuleInfo } from './module-info';
import {
  importTargets,
  moduleNamesFor,
  resolveModule,
  searchFolders,
  type ModuleResolutionContext,
} from './resolve-module';

/** Modules looked at behind one module. */
const MAX_IMPORTED = 500;

/** The top-level module names an interpreter can import, as it listed them, and what to call it. */
export interface InstalledModules {
  names: ReadonlySet<string>;
  /** The interpreter, as messages name it (e.g. `/usr/bin/python3`). */
  label: string;
  /** Its major version, when it said. */
  major?: number;
}

export interface MissingImport {
  /** The module whose import statement fails. */
  file: string;
  binding: ImportBinding;
  /** The dotted module nothing provides: a top-level name, or a package's submodule. */
  name: string;
  /** For a submodule: the folder of the package of the workspace that lacks it. */
  package?: string;
  /** The Cython source of the module, when only that is there (it is not built). */
  cython?: string;
  /** The folder of the setup.py that builds the module (not built yet). */
  setup?: string;
  /** The files from the module asked about to `file`, both included. */
  via: string[];
}

/** What a folder holds under a name: something Python imports, or only a Cython source to build. */
export type FolderEntry = 'importable' | 'cython';

/** What the walk needs from the workspace. */
export interface MissingImportHost {
  info(file: string): ModuleInfo | undefined;
  context(dir: string): ModuleResolutionContext;
  /** What a folder holds under `name`: a module or package Python imports (a built `.so` too), or only a `.pyx`. */
  onDisk(folder: string, name: string): FolderEntry | undefined;
  /** Whether the setup.py in `folder` names the module `dotted` (an extension it builds). */
  setupNames(folder: string, dotted: string): boolean;
}

/** The first unconditional import, in `file` or a workspace module it imports, that nothing provides. */
export function missingImportBehind(
  file: string,
  installed: InstalledModules | undefined,
  host: MissingImportHost,
): MissingImport | undefined {
  const from = new Map<string, string | undefined>([[file, undefined]]);
  const queue = [file];
  for (let i = 0; i < queue.length && i < MAX_IMPORTED; i++) {
    const current = queue[i];
    for (const { binding, targets, missing } of importsOf(current, installed, host)) {
      for (const target of targets) {
        if (from.has(target)) continue;
        from.set(target, current);
        queue.push(target);
      }
      if (missing === undefined) continue;
      const via: string[] = [];
      for (let f: string | undefined = current; f !== undefined; f = from.get(f)) via.unshift(f);
      return { file: current, binding, ...missing, via };
    }
  }
  return undefined;
}

type Missing = Omit<MissingImport, 'file' | 'binding' | 'via'>;

/** The unconditional imports of one module that nothing provides, in text order. */
export function missingImportsIn(
  file: string,
  installed: InstalledModules | undefined,
  host: MissingImportHost,
): (Missing & { binding: ImportBinding })[] {
  const out: (Missing & { binding: ImportBinding })[] = [];
  for (const { binding, missing } of importsOf(file, installed, host))
    if (missing !== undefined) out.push({ binding, ...missing });
  return out;
}

/**
 * The unconditional imports of a module: the workspace files each reaches, and what is missing for
 * one that stops: a top-level name neither the interpreter nor a search folder provides, or the
 * submodule a package of the workspace lacks.
 */
function importsOf(
  file: string,
  installed: InstalledModules | undefined,
  host: MissingImportHost,
): { binding: ImportBinding; targets: string[]; missing?: Missing }[] {
  const module = host.info(file);
  if (!module) return [];
  const exists = (f: string) => host.info(f) !== undefined;
  const ctx = host.context(path.dirname(file));
  const out: { binding: ImportBinding; targets: string[]; missing?: Missing }[] = [];
  for (const binding of module.imports) {
    if (binding.conditional) continue;
    const targets = importTargets(file, binding, ctx, exists);
    const missing = missingOf(file, binding, targets, ctx, installed, host);
    out.push(missing ? { binding, targets, missing } : { binding, targets });
  }
  return out;
}

function missingOf(
  file: string,
  binding: ImportBinding,
  targets: readonly string[],
  ctx: ModuleResolutionContext,
  installed: InstalledModules | undefined,
  host: MissingImportHost,
): Missing | undefined {
  const parts = binding.module.split('.').filter((p) => p !== '');
  if (binding.level > 0) {
    // `from .cython_bbox import x`: the modules below the package folder the dots name.
    let dir = path.dirname(file);
    for (let i = 1; i < binding.level; i++) dir = path.dirname(dir);
    if (parts.length === 0) return undefined;
    // Python names the module by its package's name (`utils.timer` for `.timer` in utils/boxes.py).
    const pkg = moduleNamesFor(path.join(dir, '__init__.py'), searchFolders(ctx))[0];
    if (pkg !== undefined && isPycaffe(pkg)) return undefined;
    return missingBelow(dir, parts, pkg ? `${pkg}.${parts.join('.')}` : parts.join('.'), host);
  }
  const top = parts[0];
  if (top === undefined) return undefined;
  if (isPycaffe(top) && parts.length > 1) return undefined;
  const folders = searchFolders(ctx);
  // The first search folder that has it, as in Python; a package's submodules are in its folder.
  const found = resolveModule(top, ctx, (f) => host.info(f) !== undefined).file;
  const packageDir =
    found !== undefined
      ? path.basename(found) === '__init__.py'
        ? path.dirname(found)
        : undefined
      : folders
          .filter((folder) => host.onDisk(folder, top) === 'importable')
          .map((folder) => path.join(folder, top))
          .find((dir) => host.onDisk(dir, '__init__') === 'importable');
  if (packageDir !== undefined && parts.length > 1)
    return missingBelow(packageDir, parts.slice(1), binding.module, host);
  if (found !== undefined || targets.length > 0) return undefined;
  const entries = folders.map((folder) => host.onDisk(folder, top));
  if (entries.includes('importable')) return undefined;
  const cythonAt = entries.indexOf('cython');
  if (cythonAt >= 0) return unbuilt(top, undefined, folders[cythonAt], top, true, host);
  if (installed === undefined || installed.names.has(top)) return undefined;
  return { name: top };
}

/**
 * The first of `parts` (submodules below the package folder `dir`) that is not on disk as a module or
 * package Python imports; told as not built when its source or a setup.py says it is an extension.
 */
function missingBelow(
  dir: string,
  parts: readonly string[],
  dotted: string,
  host: MissingImportHost,
): Missing | undefined {
  let folder = dir;
  for (const part of parts) {
    const entry = host.onDisk(folder, part);
    if (entry === 'importable') {
      folder = path.join(folder, part);
      continue;
    }
    return unbuilt(dotted, folder, folder, part, entry === 'cython', host);
  }
  return undefined;
}

/**
 * Caffe's own package (pycaffe) is the run-time itself: whether it imports, its built `_caffe` among
 * the rest, is what asking the interpreter for its layer types tells, not the files of a checkout.
 */
function isPycaffe(dotted: string): boolean {
  return dotted === 'caffe' || dotted.startsWith('caffe.');
}

/** Parent folders looked in for the setup.py that builds a module. */
const SETUP_LEVELS = 4;

/**
 * A module `name` of `folder` that is not there: not built when its Cython source is beside it
 * (`cython`) or a setup.py at most SETUP_LEVELS up names it as an extension (py-faster-rcnn's
 * `utils.cython_bbox`, built from `utils/bbox.pyx`); otherwise simply missing from package `pkg`.
 */
function unbuilt(
  dotted: string,
  pkg: string | undefined,
  folder: string,
  name: string,
  cython: boolean,
  host: MissingImportHost,
): Missing {
  let setup: string | undefined;
  for (let dir = folder, i = 0; i < SETUP_LEVELS && setup === undefined; i++, dir = path.dirname(dir)) {
    if (host.onDisk(dir, 'setup') !== 'importable') continue;
    if (cython || host.setupNames(dir, dotted)) setup = dir;
  }
  return {
    name: dotted,
    ...(pkg !== undefined ? { package: pkg } : {}),
    ...(cython ? { cython: path.join(folder, `${name}.pyx`) } : {}),
    ...(setup !== undefined ? { setup } : {}),
  };
}
