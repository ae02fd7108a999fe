// Imports that stop a module's import because the interpreter cannot find the module: neither the
// workspace's search path nor the interpreter's own (what its sys.path, builtins and standard library
// hold, as the run interpreter listed them) has it. Only imports that always run when the module is
// imported count (module level, outside `if`, outside a `try` that catches ImportError), followed
// through the workspace modules they reach, nearest first, like python2-imports.ts.

import * as path from 'node:path';
import type { ImportBinding, ModuleInfo } from './module-info';
import { importTargets, searchFolders, type ModuleResolutionContext } from './resolve-module';

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
  /** The top-level name nothing provides. */
  name: string;
  /** The files from the module asked about to `file`, both included. */
  via: string[];
}

/** What the walk needs from the workspace. */
export interface MissingImportHost {
  info(file: string): ModuleInfo | undefined;
  context(dir: string): ModuleResolutionContext;
  /** Whether a folder holds a file or folder that Python could import as `name` (a built `.so` too). */
  onDisk(folder: string, name: string): boolean;
}

/** The first unconditional import, in `file` or a workspace module it imports, that nothing provides. */
export function missingImportBehind(
  file: string,
  installed: InstalledModules,
  host: MissingImportHost,
): MissingImport | undefined {
  const from = new Map<string, string | undefined>([[file, undefined]]);
  const queue = [file];
  for (let i = 0; i < queue.length && i < MAX_IMPORTED; i++) {
    const current = queue[i];
    for (const { binding, targets, name } of importsOf(current, installed, host)) {
      for (const target of targets) {
        if (from.has(target)) continue;
        from.set(target, current);
        queue.push(target);
      }
      if (name === undefined) continue;
      const via: string[] = [];
      for (let f: string | undefined = current; f !== undefined; f = from.get(f)) via.unshift(f);
      return { file: current, binding, name, via };
    }
  }
  return undefined;
}

/** The unconditional imports of one module that nothing provides, in text order. */
export function missingImportsIn(
  file: string,
  installed: InstalledModules,
  host: MissingImportHost,
): { binding: ImportBinding; name: string }[] {
  const out: { binding: ImportBinding; name: string }[] = [];
  for (const { binding, name } of importsOf(file, installed, host))
    if (name !== undefined) out.push({ binding, name });
  return out;
}

/**
 * The unconditional imports of a module: the workspace files each reaches, and for an absolute one that
 * reaches none, the top-level name when neither the interpreter nor a search folder provides it.
 */
function importsOf(
  file: string,
  installed: InstalledModules,
  host: MissingImportHost,
): { binding: ImportBinding; targets: string[]; name?: string }[] {
  const module = host.info(file);
  if (!module) return [];
  const exists = (f: string) => host.info(f) !== undefined;
  const ctx = host.context(path.dirname(file));
  let folders: string[] | undefined;
  const out: { binding: ImportBinding; targets: string[]; name?: string }[] = [];
  for (const binding of module.imports) {
    if (binding.conditional) continue;
    const targets = importTargets(file, binding, ctx, exists);
    const name = binding.module.split('.')[0];
    const unprovided =
      targets.length === 0 &&
      binding.level === 0 &&
      name !== '' &&
      !installed.names.has(name) &&
      !(folders ??= searchFolders(ctx)).some((folder) => host.onDisk(folder, name));
    out.push(unprovided ? { binding, targets, name } : { binding, targets });
  }
  return out;
}
