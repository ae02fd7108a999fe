// The Python 2 code that importing a module runs: the module's own, that of the modules it imports
// (module-level imports, transitively) and that of the packages' __init__.py files on the way. One
// breadth-first walk over the indexed modules, the nearest first, so the chain it names is the shortest.

import * as path from 'node:path';
import type { ModuleInfo, Python2Construct } from './module-info';
import { stopsImport } from './python2-names';
import { importTargets, type ModuleResolutionContext } from './resolve-module';

/** Modules looked at for Python 2 code behind one module. */
const MAX_IMPORTED = 500;

export interface Python2Import {
  /** The module with Python 2 code. */
  file: string;
  /** Its constructs that stop the import (at least one). */
  constructs: Python2Construct[];
  /** The files from the module asked about to `file`, both included. */
  via: string[];
}

/**
 * The first module with Python 2 code that stops its import among `file` and what importing it runs
 * (`info`: the indexed modules; `context`: the search from a folder).
 */
export function python2Behind(
  file: string,
  info: (file: string) => ModuleInfo | undefined,
  context: (dir: string) => ModuleResolutionContext,
): Python2Import | undefined {
  const exists = (f: string) => info(f) !== undefined;
  const from = new Map<string, string | undefined>([[file, undefined]]);
  const queue = [file];
  for (let i = 0; i < queue.length && i < MAX_IMPORTED; i++) {
    const current = queue[i];
    const module = info(current);
    if (!module) continue;
    const stopping = (module.python2 ?? []).filter((c) => stopsImport(c.kind));
    if (stopping.length > 0) {
      const via: string[] = [];
      for (let f: string | undefined = current; f !== undefined; f = from.get(f)) via.unshift(f);
      return { file: current, constructs: stopping, via };
    }
    const ctx = context(path.dirname(current));
    for (const b of module.imports) {
      for (const target of importTargets(current, b, ctx, exists)) {
        if (from.has(target)) continue;
        from.set(target, current);
        queue.push(target);
      }
    }
  }
  return undefined;
}
