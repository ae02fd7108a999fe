// The layer types a repository's own C++ sources register. A repository of new layers often ships
// their sources and the nets that use them, not a whole Caffe (SENet's Axpy, ShuffleNet's
// ShuffleChannel, arcface-caffe's CosinAddm): the user builds Caffe with those files, so those types are
// no unknown ones. The sources are read once per repository, when a net first names a type no
// schema knows, and again for a C++ file that changes on disk.

import path from 'node:path';
import { registrationsIn, type Registration } from '../schema/checkout-layers';
import { fillerNamesIn } from '../schema/checkout-names';
import { holdsRepository, readTextUpTo } from '../util/fs-probe';
import { SKIPPED_DIRS } from '../util/skipped-dirs';
import { filesUnder } from '../util/walk';
import { isInside } from '../util/path-inside';

const SOURCE = /\.(cpp|cu)$/;
/** Headers: a filler.hpp of the repository says which fillers it makes. */
const HEADER = /\.(hpp|h)$/;
const NO_FILLERS: ReadonlySet<string> = new Set();
/** Larger files are generated or vendored code, never a layer's registration. */
const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** Build output holds copies of the sources. */
const SKIPPED = new Set([...SKIPPED_DIRS, 'build', '.build_release', '.build_debug']);

/**
 * Bounds of one repository's read, which runs on the thread that analyses (once per repository): a
 * huge tree is read in part rather than holding up the editor.
 */
export interface RepositoryScanLimits {
  /** Folders visited at most (default 20000). */
  maxDirs?: number;
  /** Milliseconds at most (default 1000). */
  timeLimitMs?: number;
}

interface Scan {
  /** Source file -> the types it registers (only files that register some). */
  files: Map<string, readonly Registration[]>;
  /** Type -> its first registration, in path order. */
  types: Map<string, Registration>;
  /** The filler types its headers' GetFiller makes (a filler.hpp shipped beside new layers). */
  fillers: Set<string>;
}

export class RepositoryLayerTypes {
  private readonly scans = new Map<string, Scan>();

  constructor(
    private readonly roots: () => readonly string[],
    private readonly limits: RepositoryScanLimits = {},
  ) {}

  /**
   * Where the repository holding `file` registers `type`: the repository is the nearest of the file's
   * folders with `.git` or `.hg` inside its workspace root, else that root; undefined when none does.
   */
  registration(file: string, type: string): Registration | undefined {
    const repository = this.repositoryOf(path.resolve(file));
    return repository === undefined ? undefined : this.scanOf(repository).types.get(type);
  }

  /** The filler types the headers of the repository holding `file` make (empty when none says). */
  fillers(file: string): ReadonlySet<string> {
    const repository = this.repositoryOf(path.resolve(file));
    return repository === undefined ? NO_FILLERS : this.scanOf(repository).fillers;
  }

  /** Every type the repository holding `file` registers, with its first registration, in path order. */
  registrations(file: string): Registration[] {
    const repository = this.repositoryOf(path.resolve(file));
    return repository === undefined ? [] : [...this.scanOf(repository).types.values()];
  }

  /**
   * C++ files created, changed or deleted on disk: each is read again in the repositories already
   * read. True when the types a repository registers changed (analyses should be made again).
   */
  sourcesChanged(files: readonly string[]): boolean {
    let changed = false;
    // A header changed: the repository's fillers are read again with its next scan.
    for (const file of files.filter((f) => HEADER.test(f)).map((f) => path.resolve(f))) {
      for (const repository of [...this.scans.keys()]) {
        if (!isInside(file, repository)) continue;
        this.scans.delete(repository);
        changed = true;
      }
    }
    for (const file of files.filter((f) => SOURCE.test(f)).map((f) => path.resolve(f))) {
      for (const [repository, scan] of this.scans) {
        if (!isInside(file, repository)) continue;
        const before = scan.files.get(file) ?? [];
        const now = registrationsOf(file);
        if (sameTypes(before, now)) continue;
        if (now.length > 0) scan.files.set(file, now);
        else scan.files.delete(file);
        scan.types = typesOf(scan.files);
        changed = true;
      }
    }
    return changed;
  }

  /** Forget every scan (new workspace roots). */
  clear(): void {
    this.scans.clear();
  }

  private repositoryOf(file: string): string | undefined {
    const root = this.roots()
      .map((r) => path.resolve(r))
      .filter((r) => isInside(file, r))
      .sort((a, b) => b.length - a.length)[0];
    if (root === undefined) return undefined;
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
      if (holdsRepository(dir) || dir === root || path.dirname(dir) === dir) return dir;
    }
  }

  private scanOf(repository: string): Scan {
    let scan = this.scans.get(repository);
    if (!scan) {
      const files = new Map<string, readonly Registration[]>();
      const fillers = new Set<string>();
      const walk = filesUnder([repository], {
        maxDirs: this.limits.maxDirs ?? 20000,
        deadline: Date.now() + (this.limits.timeLimitMs ?? 1000),
        skipped: SKIPPED,
      });
      for (const { file, name } of walk) {
        if (HEADER.test(name)) {
          // GetFiller lives in filler.hpp (Caffe's and the forks'): other headers are not read.
          if (!/filler/i.test(name)) continue;
          const text = readTextUpTo(file, MAX_FILE_BYTES);
          if (text?.includes('GetFiller')) fillerNamesIn(text, fillers);
          continue;
        }
        if (!SOURCE.test(name)) continue;
        const found = registrationsOf(file);
        if (found.length > 0) files.set(file, found);
      }
      scan = { files, types: typesOf(files), fillers };
      this.scans.set(repository, scan);
    }
    return scan;
  }
}

function registrationsOf(file: string): Registration[] {
  const text = readTextUpTo(file, MAX_FILE_BYTES);
  if (text === undefined) return [];
  return registrationsIn(text).map((r) => ({ type: r.type, file, line: r.line }));
}

function typesOf(files: ReadonlyMap<string, readonly Registration[]>): Map<string, Registration> {
  const types = new Map<string, Registration>();
  for (const file of [...files.keys()].sort()) {
    for (const r of files.get(file) ?? []) if (!types.has(r.type)) types.set(r.type, r);
  }
  return types;
}

function sameTypes(a: readonly Registration[], b: readonly Registration[]): boolean {
  return a.length === b.length && a.every((r, i) => r.type === b[i].type && r.line === b[i].line);
}
