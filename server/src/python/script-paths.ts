// The folders the workspace's scripts put on sys.path (`sys.path.insert(0, 'lib')`,
// py-faster-rcnn's tools/_init_paths.py), and the folders of the scripts that run Caffe (Python puts a
// script's own folder first), where Python would then find a layer's module.

import * as path from 'node:path';
import type { ModuleInfo } from './module-info';

/**
 * Absolute folders that the scripts add to sys.path, in file order, without duplicates. A relative
 * folder is taken from the script's folder and from each workspace root (where a script is as often
 * started) when it lies inside that root.
 */
export function scriptSysPathFolders(
  modules: ReadonlyMap<string, ModuleInfo>,
  roots: readonly string[],
): string[] {
  const out: string[] = [];
  const add = (folder: string) => {
    if (!out.includes(folder)) out.push(folder);
  };
  for (const file of [...modules.keys()].sort()) {
    for (const e of modules.get(file)?.sysPath ?? []) {
      if (e.folder !== undefined) add(e.folder);
      if (e.relative === undefined) continue;
      for (const root of roots) {
        // From the root only where that stays inside it ('../python' is the script folder's).
        const folder = path.resolve(root, e.relative);
        if (!path.relative(root, folder).startsWith('..')) add(folder);
      }
    }
  }
  return out;
}

/**
 * The folders of the scripts that build a net or solver, in file order: each is first on the search
 * path of the nets that script runs (sys.path[0]), which may be any of the workspace's.
 */
export function caffeScriptFolders(modules: ReadonlyMap<string, ModuleInfo>): string[] {
  const out: string[] = [];
  for (const file of [...modules.keys()].sort()) {
    const folder = path.dirname(file);
    if (modules.get(file)?.runsCaffe && !out.includes(folder)) out.push(folder);
  }
  return out;
}

/**
 * The folders holding a Caffe checkout's own pycaffe package (`<checkout>/python`, with
 * `caffe/pycaffe.py`): a Python layer runs only where `import caffe` works, so that folder is on the
 * search path, and a layer module kept beside the package (appearance-flow's caffe/python/python_layers.py)
 * is found there.
 */
export function pycaffeFolders(modules: ReadonlyMap<string, ModuleInfo>): string[] {
  const out: string[] = [];
  const tail = `${path.sep}caffe${path.sep}pycaffe.py`;
  for (const file of [...modules.keys()].sort()) {
    if (!file.endsWith(tail)) continue;
    const folder = path.dirname(path.dirname(file));
    if (!out.includes(folder)) out.push(folder);
  }
  return out;
}
