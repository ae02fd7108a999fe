// Worker threads started from a script: the bundled one beside the server (dist/), or the TypeScript
// source when tests and benches run through tsx.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/** The first of `names` that exists in `dir` (the bundled script first, then the source). */
export function findScript(dir: string, names: readonly string[]): string | undefined {
  if (dir === '') return undefined;
  for (const name of names) {
    const p = path.join(dir, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** Starts `script` in a worker thread; a `.ts` source is loaded through tsx's require hook. */
export function spawnScript(script: string, resourceLimits?: ResourceLimits): Worker {
  if (script.endsWith('.ts')) {
    // A worker does not inherit tsx's hooks in time for its entry, so an eval'd script registers tsx's
    // require hook (resolved from the script's folder) and requires the source.
    const at = JSON.stringify(script);
    return new Worker(
      `const load = require('node:module').createRequire(${at}); load('tsx/cjs/api').register(); load(${at});`,
      { eval: true, resourceLimits },
    );
  }
  return new Worker(script, { resourceLimits });
}
