// One walk of the workspace's folders for the user's files, shared by the searches that need one
// (solver files, the scripts that write nets, Caffe checkouts' caffe.proto): breadth first, names in
// order, bounded in folders, depth and time, unreadable folders passed over.

import fs from 'node:fs';
import path from 'node:path';
import { SKIPPED_DIRS } from './skipped-dirs';

export interface WalkOptions {
  /** Folders read at most, over all roots (default 20,000). */
  maxDirs?: number;
  /** Folder levels below a root entered at most (default: no limit). */
  maxDepth?: number;
  /** A `Date.now()` after which no further folder is read. */
  deadline?: number;
  /** Folder names never entered (default SKIPPED_DIRS). */
  skipped?: ReadonlySet<string>;
  /** Whether to enter a folder (`rel`: its path below its root, with `/`); every one by default. */
  enter?: (rel: string) => boolean;
}

/** The files under `roots`: each with the root it was found under. */
export function* filesUnder(
  roots: readonly string[],
  options: WalkOptions = {},
): Generator<{ root: string; file: string; name: string }> {
  const maxDirs = options.maxDirs ?? 20000;
  const skipped = options.skipped ?? SKIPPED_DIRS;
  const queue = roots.map((root) => ({ root, dir: root, depth: 0 }));
  let visited = 0;
  while (queue.length > 0 && visited < maxDirs) {
    if (options.deadline !== undefined && Date.now() > options.deadline) return;
    const { root, dir, depth } = queue.shift() as (typeof queue)[number];
    visited++;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isFile()) yield { root, file: full, name: e.name };
      else if (e.isDirectory() && !skipped.has(e.name) && depth < (options.maxDepth ?? Infinity)) {
        if (options.enter && !options.enter(path.relative(root, full).split(path.sep).join('/'))) continue;
        queue.push({ root, dir: full, depth: depth + 1 });
      }
    }
  }
}
