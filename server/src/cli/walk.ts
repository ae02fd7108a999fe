// Which files `check` reads: given files as they are; inside folders, *.prototxt, *.pt and solver
// files without an extension (`solver`, `lenet_solver`), skipping node_modules and VCS folders.

import { pushAll } from '../../../common/arrays';
import fs from 'node:fs';
import path from 'node:path';

const SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn']);

export function isPrototxtName(name: string): boolean {
  if (name.endsWith('.prototxt') || name.endsWith('.pt')) return true;
  return path.extname(name) === '' && name.toLowerCase().includes('solver');
}

/** Files to check, in a stable order; `missing` lists the given paths that do not exist. */
export function collectFiles(
  paths: readonly string[],
  cwd: string,
  accept: (name: string) => boolean = isPrototxtName,
): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch {
      missing.push(given);
      continue;
    }
    if (stat.isDirectory()) walk(given, absolute, files, accept);
    else files.push(given);
  }
  return { files, missing };
}

function walk(shown: string, absolute: string, out: string[], accept: (name: string) => boolean): void {
  const stack: [string, string][] = [[shown, absolute]];
  while (stack.length > 0) {
    const [dirShown, dir] = stack.pop() as [string, string];
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
    const subdirs: [string, string][] = [];
    const found: string[] = [];
    for (const entry of entries) {
      if (entry.isDirectory()) {
        if (!SKIPPED.has(entry.name))
          subdirs.push([path.join(dirShown, entry.name), path.join(dir, entry.name)]);
      } else if (entry.isFile() && accept(entry.name)) found.push(path.join(dirShown, entry.name));
    }
    pushAll(out, found.reverse());
    pushAll(stack, subdirs);
  }
}
