// Results that take long to compute and depend only on a file's text (a caffe.proto read into a schema,
// a Python module's analysis), kept on disk between processes: a `check` in a pre-commit hook or a
// server starting again reads them back instead of parsing again. An entry is found by a hash of the
// build of the engine that wrote it, the kind of result, the file's path and its whole text, so a
// changed file, another build or another Node never reads a stale one. Entries live beside V8's code
// cache in ~/.cache/caffe-prototxt (CAFFE_PROTOTXT_CACHE moves it; CAFFE_PROTOTXT_NO_CACHE=1 turns
// this off). Every problem with the cache (unwritable, corrupt, removed meanwhile) only costs the
// computation: it never fails the caller.

import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Entries kept per kind: the oldest go when a write passes this. */
const DEFAULT_MAX_ENTRIES = 500;
/** A kind's folder is pruned at its first write in a process and then after every this many. */
const PRUNE_EVERY = 50;

export interface DiskCacheOptions {
  /** The cache's folder (one subfolder per kind). */
  dir: string;
  /** What identifies the code computing the results: entries of another build are never read. */
  build: string;
  maxEntries?: number;
}

export class DiskCache {
  private readonly maxEntries: number;
  /** Writes of each kind by this process since its folder was last pruned. */
  private readonly writes = new Map<string, number>();

  constructor(private readonly options: DiskCacheOptions) {
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  }

  /**
   * The kept result of `kind` for `file` with `text`, else `compute()`'s, kept for next time. `valid`
   * rejects an entry that does not have the result's form (a hand-edited or truncated file).
   */
  remember<T>(
    kind: string,
    file: string,
    text: string,
    compute: () => T,
    valid: (value: unknown) => boolean,
  ): T {
    const entry = this.entryPath(kind, file, text);
    const kept = readJson(entry);
    if (kept !== undefined && valid(kept)) return kept as T;
    const value = compute();
    this.write(kind, entry, value);
    return value;
  }

  /** The kept result, or undefined. */
  get<T>(kind: string, file: string, text: string, valid: (value: unknown) => boolean): T | undefined {
    const kept = readJson(this.entryPath(kind, file, text));
    return kept !== undefined && valid(kept) ? (kept as T) : undefined;
  }

  set(kind: string, file: string, text: string, value: unknown): void {
    this.write(kind, this.entryPath(kind, file, text), value);
  }

  private entryPath(kind: string, file: string, text: string): string {
    const key = crypto
      .createHash('sha256')
      .update(this.options.build)
      .update('\0')
      .update(file)
      .update('\0')
      .update(text)
      .digest('hex')
      .slice(0, 40);
    return path.join(this.options.dir, kind, `${key}.json`);
  }

  private write(kind: string, entry: string, value: unknown): void {
    try {
      fs.mkdirSync(path.dirname(entry), { recursive: true });
      // Written aside and renamed: a reader in another process never sees half an entry.
      const temp = `${entry}.${process.pid}.tmp`;
      fs.writeFileSync(temp, JSON.stringify(value));
      fs.renameSync(temp, entry);
    } catch {
      return;
    }
    const since = this.writes.get(kind);
    if (since === undefined || since >= PRUNE_EVERY) {
      this.writes.set(kind, 1);
      this.prune(path.dirname(entry));
    } else this.writes.set(kind, since + 1);
  }

  /** Removes the least recently written entries beyond the limit (and leftovers of failed writes). */
  private prune(dir: string): void {
    try {
      const names = fs.readdirSync(dir);
      if (names.length <= this.maxEntries) return;
      const entries = names.map((name) => {
        const file = path.join(dir, name);
        let mtimeMs = 0;
        try {
          mtimeMs = fs.statSync(file).mtimeMs;
        } catch {
          // Removed meanwhile: sorted first, and removing it again does nothing.
        }
        return { file, mtimeMs };
      });
      entries.sort((a, b) => a.mtimeMs - b.mtimeMs);
      for (const { file } of entries.slice(0, entries.length - this.maxEntries))
        fs.rmSync(file, { force: true });
    } catch {
      // A cache that cannot be pruned only takes more room.
    }
  }
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The folder of the caches (the same base as V8's code cache, see bin/load-cached.js). */
export function cacheBase(): string {
  return process.env.CAFFE_PROTOTXT_CACHE || path.join(os.homedir(), '.cache', 'caffe-prototxt');
}

let shared: DiskCache | null | undefined;

/**
 * The process's cache of results, or undefined when there is none: turned off, or run from sources
 * (tests, tsx), where no build identifies the code. The running bundle's path, size and modification
 * time identify the build: a rebuilt or reinstalled engine starts from an empty cache.
 */
export function resultCache(): DiskCache | undefined {
  if (shared !== undefined) return shared ?? undefined;
  shared = null;
  if (process.env.CAFFE_PROTOTXT_NO_CACHE === '1') return undefined;
  const self = typeof __filename === 'string' ? __filename : '';
  if (!self.endsWith('.js')) return undefined;
  try {
    const stat = fs.statSync(self);
    const build = `${process.version}\0${self}\0${stat.size}\0${stat.mtimeMs}`;
    shared = new DiskCache({ dir: path.join(cacheBase(), 'results'), build });
  } catch {
    return undefined;
  }
  return shared;
}
