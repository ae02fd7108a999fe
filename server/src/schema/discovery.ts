// Finding the caffe.proto files of Caffe checkouts in a workspace, and the one that belongs to a
// given prototxt (the checkout nearest to it).

import fs from 'node:fs';
import path from 'node:path';

const SKIPPED_DIRS = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  'build',
  'dist',
  'out',
  '.build_release',
  '.build_debug',
  '__pycache__',
  '.venv',
  'venv',
  '.tox',
]);

export interface FindProtoOptions {
  /** Folder levels below the root to visit (default 12). */
  maxDepth?: number;
  /** Give up after this many folders (default 20000), so a huge workspace stays cheap. */
  maxDirs?: number;
  /** Give up after this many milliseconds (default 2000). */
  timeLimitMs?: number;
}

/** Paths of every file named caffe.proto under root, sorted; unreadable folders are skipped. */
export function findProtoFiles(root: string, options: FindProtoOptions = {}): string[] {
  const maxDepth = options.maxDepth ?? 12;
  const maxDirs = options.maxDirs ?? 20000;
  const deadline = Date.now() + (options.timeLimitMs ?? 2000);
  const found: string[] = [];
  const queue: { dir: string; depth: number }[] = [{ dir: root, depth: 0 }];
  let visited = 0;
  while (queue.length > 0 && visited < maxDirs && Date.now() <= deadline) {
    const { dir, depth } = queue.shift() as { dir: string; depth: number };
    visited++;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isFile() && entry.name === 'caffe.proto') found.push(full);
      else if (entry.isDirectory() && depth < maxDepth && !SKIPPED_DIRS.has(entry.name)) {
        queue.push({ dir: full, depth: depth + 1 });
      }
    }
  }
  return found.sort();
}

/**
 * The proto whose Caffe checkout is nearest to the prototxt: the deepest common ancestor wins,
 * then the fewest folder steps from the prototxt's folder to the proto, then the path order.
 */
export function nearestProto(prototxtPath: string, protos: readonly string[]): string | undefined {
  const from = splitPath(path.dirname(path.resolve(prototxtPath)));
  let best: { proto: string; common: number; distance: number } | undefined;
  for (const proto of protos) {
    const to = splitPath(path.dirname(path.resolve(proto)));
    let common = 0;
    while (common < from.length && common < to.length && from[common] === to[common]) common++;
    const distance = from.length - common + (to.length - common);
    if (
      !best ||
      common > best.common ||
      (common === best.common && distance < best.distance) ||
      (common === best.common && distance === best.distance && proto < best.proto)
    ) {
      best = { proto, common, distance };
    }
  }
  return best?.proto;
}

function splitPath(p: string): string[] {
  return p.split(/[\\/]+/).filter((s) => s !== '');
}
