// A Python layer's module found nowhere on the search path: where it was looked for, and what the
// workspace has instead (a copy off the path, a package the interpreter installed, Caffe's own package).

import path from 'node:path';
import type { Span } from '../parser/ast';
import type { InstalledModules } from '../python/missing-imports';
import { caffePackageNote } from '../python/module-packages';
import { modulesElsewhere, type ModuleElsewhere } from '../python/resolve-module';
import type { PythonIndex } from '../python/workspace-index';
import type { Report } from './python-imports';
import { display } from './workspace-path';

/**
 * Folders a "module not found" message names, of those searched: with many workspace roots (a check of
 * folders outside the current one) the list would be longer than anyone reads.
 */
const SEARCHED_SHOWN = 8;

/** What the report reads of the check's options. */
export interface MissingModuleContext {
  index: PythonIndex;
  roots: readonly string[];
  installedModules?: InstalledModules;
  /** The prototxt's folder. */
  fromDir?: string;
}

/**
 * Reports the layer module `mod` (and its class `className`) found in none of the `searched` folders:
 * information when the interpreter has it installed, else a warning naming a copy off the path or
 * Caffe's own package when there is one.
 */
export function reportModuleNotFound(
  mod: { value: string; span: Span },
  className: string | undefined,
  searched: readonly string[],
  ctx: MissingModuleContext,
  report: Report,
): void {
  const index = ctx.index;
  // A root is shown as './' here: "Looked in: .." would read as a typo.
  const where = searched
    .slice(0, SEARCHED_SHOWN)
    .map((f) => display(f, ctx.roots))
    .map((f) => (f === '.' ? './' : f));
  const more = searched.length - where.length;
  if (more > 0) where.push(`${more} more folder${more === 1 ? '' : 's'}`);
  const installed = ctx.installedModules;
  const dotted = mod.value.trim();
  const top = dotted.split('.')[0];
  const elsewhere = moduleOffPath(dotted, className, index, ctx.fromDir);
  const folder = elsewhere && display(elsewhere.folder, ctx.roots);
  const shown = folder === '.' ? './' : folder;
  const has = elsewhere?.definesClass ? `defines its class ${className?.trim()}` : 'is that module';
  // A package the interpreter has installed (SEC's `pip install pylayers/`): Caffe imports it from
  // there, so nothing is missing; only its classes cannot be checked from the workspace.
  if (installed?.names.has(top) && top !== 'caffe' && !inSearchedFolder(top, searched, index)) {
    const sources = elsewhere
      ? `${display(elsewhere.file, ctx.roots)} ${has}: to check that copy and open it with Ctrl+click, add ${shown}`
      : 'To check it and open it with Ctrl+click, add the folder of its sources';
    report(
      'information',
      'python-module-installed',
      mod.span,
      `Module '${dotted}' is not on the workspace's search path (looked in: ${where.join(', ')}); ${installed.label} ` +
        `imports it from its installed packages, so Caffe finds it there, but its layer class is not checked here. ` +
        `${sources} to the setting prototxt.python.extraPaths.`,
    );
    return;
  }
  if (elsewhere) {
    report(
      'warning',
      'python-module-not-found',
      mod.span,
      `Module '${mod.value}' is not on the search path (looked in: ${where.join(', ')}), but ` +
        `${display(elsewhere.file, ctx.roots)} ${has}: add ${shown} to the setting ` +
        `prototxt.python.extraPaths (the CLI: --python-path ${shown}). Caffe needs that folder on PYTHONPATH too.`,
    );
    return;
  }
  const inCaffe = caffePackageNote(dotted, installed?.names.has('caffe') ? installed.label : undefined);
  if (inCaffe) {
    report('warning', 'python-module-not-found', mod.span, inCaffe);
    return;
  }
  const sameName = definedUnderItsLastName(dotted, className, index);
  const note = sameName
    ? ` ${display(sameName, ctx.roots)} defines its class ${className?.trim()}, but as module ` +
      `'${path.basename(sameName, '.py')}': '${dotted}' is imported from a package folder (${dotted
        .split('.')
        .slice(0, -1)
        .join('/')}/) on the search path, which the workspace does not have. Write the module as ` +
      `'${path.basename(sameName, '.py')}' if that file is the one meant.`
    : ' If it lives elsewhere, add its folder to the setting prototxt.python.extraPaths (the CLI: --python-path DIR or PYTHONPATH).';
  report(
    'warning',
    'python-module-not-found',
    mod.span,
    `Module '${mod.value}' was not found in the workspace. Looked in: ${where.join(', ')}.${note}`,
  );
}

/**
 * For a dotted module found nowhere: a workspace file named as its last part that defines the layer's
 * class (face-landmark's `python.NormlizedMSE` with train/NormlizedMSE.py), the one nearest the top.
 */
function definedUnderItsLastName(
  dotted: string,
  className: string | undefined,
  index: PythonIndex,
): string | undefined {
  const cls = className?.trim();
  const parts = dotted.split('.');
  if (!cls || parts.length < 2) return undefined;
  const name = `${parts[parts.length - 1]}.py`;
  return index
    .files()
    .filter((f) => path.basename(f) === name && index.findClass(f, cls) !== undefined)
    .sort((a, b) => a.split(path.sep).length - b.split(path.sep).length || (a < b ? -1 : 1))[0];
}

/**
 * Whether a searched folder holds Python files under the name `top` (a folder, or `top.py`): then the
 * interpreter's importable name (the probe lists its working folder too) is the workspace's, not an
 * installed package (SEC's `pylayers/` holding setup.py, which only `pip install` makes the package).
 */
function inSearchedFolder(top: string, searched: readonly string[], index: PythonIndex): boolean {
  const prefixes = searched.map((folder) => path.join(folder, top));
  return index.files().some((f) => prefixes.some((p) => f === `${p}.py` || f.startsWith(p + path.sep)));
}

/**
 * A workspace file that a layer's `module:` (`dotted`) would import from a folder that is not searched:
 * the one defining the layer's class (`className`) if any, else the one nearest the top of the tree.
 */
export function moduleOffPath(
  dotted: string | undefined,
  className: string | undefined,
  index: PythonIndex,
  /** The prototxt's folder: of several copies, the one nearest to it (a repository's second Caffe has its own). */
  near?: string,
): (ModuleElsewhere & { definesClass: boolean }) | undefined {
  const module = dotted?.trim();
  if (!module) return undefined;
  const found = modulesElsewhere(module, index.files());
  const candidates = near === undefined ? found : nearestFirst(found, near);
  const cls = className?.trim();
  const defining = cls ? candidates.find((c) => index.moduleClass(c.file, cls)) : undefined;
  if (defining) return { ...defining, definesClass: true };
  return candidates[0] && { ...candidates[0], definesClass: false };
}

/** `found` ordered by how many leading folders each shares with `near`, most first (stable otherwise). */
function nearestFirst(found: readonly ModuleElsewhere[], near: string): ModuleElsewhere[] {
  const parts = path.resolve(near).split(path.sep);
  const shared = (folder: string): number => {
    const own = path.resolve(folder).split(path.sep);
    let n = 0;
    while (n < own.length && n < parts.length && own[n] === parts[n]) n++;
    return n;
  };
  return found
    .map((c, i) => ({ c, i, n: shared(c.folder) }))
    .sort((a, b) => b.n - a.n || a.i - b.i)
    .map((x) => x.c);
}
