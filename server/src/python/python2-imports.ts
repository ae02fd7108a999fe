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
  for (const { file: current, module, via } of importedModules(file, info, context)) {
    const stopping = (module.python2 ?? []).filter((c) => stopsImport(c.kind));
    // The walk goes no further than the first such module: its imports never run.
    if (stopping.length > 0) return { file: current, constructs: stopping, via: via() };
  }
  return undefined;
}

/**
 * Every module with Python 2 code among `file` and what importing it runs, once Python 3 gets past
 * each (the nearest first): what a layer's import needs written for Python 3.
 */
export function python2Closure(
  file: string,
  info: (file: string) => ModuleInfo | undefined,
  context: (dir: string) => ModuleResolutionContext,
): ModuleInfo[] {
  const out: ModuleInfo[] = [];
  for (const { module } of importedModules(file, info, context))
    if ((module.python2 ?? []).length > 0) out.push(module);
  return out;
}

/**
 * The indexed modules importing `file` runs, breadth first from it: each with the chain of files
 * that reaches it (made when asked). The consumer stops the walk by leaving the loop.
 */
function* importedModules(
  file: string,
  info: (file: string) => ModuleInfo | undefined,
  context: (dir: string) => ModuleResolutionContext,
): Generator<{ file: string; module: ModuleInfo; via: () => string[] }> {
  const exists = (f: string) => info(f) !== undefined;
  const from = new Map<string, string | undefined>([[file, undefined]]);
  const queue = [file];
  for (let i = 0; i < queue.length && i < MAX_IMPORTED; i++) {
    const current = queue[i];
    const module = info(current);
    if (!module) continue;
    const via = () => {
      const chain: string[] = [];
      for (let f: string | undefined = current; f !== undefined; f = from.get(f)) chain.unshift(f);
      return chain;
    };
    yield { file: current, module, via };
    const ctx = context(path.dirname(current));
    for (const b of module.imports) {
      for (const target of importTargets(current, b, ctx, exists)) {
        if (from.has(target)) continue;
        from.set(target, current);
        queue.push(target);
      }
    }
  }
}
