// What the folders Python searches hold on disk, for the import check (missing-imports.ts): each
// folder's entries by name without extensions (`cython_bbox` for
// `cython_bbox.cpython-311-x86_64-linux-gnu.so`), importable or only a Cython source, and the text of
// the setup.py files asked about. Read once, and again once a folder read before has changed (its
// modification time moves when an entry is added or removed: a module built, a file created).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { FolderEntry } from './missing-imports';

/** The part of a setup.py read for the extensions it builds. */
const MAX_SETUP_CHARS = 200_000;

/** The endings of the files Python imports as modules (sources, bytecode, built extensions). */
const IMPORTABLE = new Set(['.py', '.pyc', '.pyo', '.so', '.pyd']);

export class FolderEntries {
  private folders = new Map<
    string,
    { mtime: number | undefined; entries: ReadonlyMap<string, FolderEntry> }
  >();
  private setups = new Map<string, string>();

  /** Whether a folder read before has changed since; everything read is then dropped. */
  changed(): boolean {
    for (const [folder, seen] of this.folders) {
      if (modifiedTime(folder) !== seen.mtime) {
        this.clear();
        return true;
      }
    }
    return false;
  }

  clear(): void {
    this.folders = new Map();
    this.setups = new Map();
  }

  /** What `folder` holds under `name`. */
  entry(folder: string, name: string): FolderEntry | undefined {
    return this.entriesOf(folder).get(name);
  }

  /** Whether the setup.py in `folder` names the module `dotted` (an extension it builds). */
  setupNames(folder: string, dotted: string): boolean {
    const file = path.join(folder, 'setup.py');
    let text = this.setups.get(file);
    if (text === undefined) {
      try {
        text = readFileSync(file, 'utf8').slice(0, MAX_SETUP_CHARS);
      } catch {
        text = '';
      }
      this.setups.set(file, text);
    }
    return text.includes(`'${dotted}'`) || text.includes(`"${dotted}"`);
  }

  private entriesOf(folder: string): ReadonlyMap<string, FolderEntry> {
    let seen = this.folders.get(folder);
    if (seen === undefined) {
      const entries = new Map<string, FolderEntry>();
      try {
        for (const entry of readdirSync(folder, { withFileTypes: true })) {
          const dot = entry.name.indexOf('.');
          const stem = dot < 0 ? entry.name : entry.name.slice(0, dot);
          const extension = dot < 0 ? '' : entry.name.slice(entry.name.lastIndexOf('.'));
          // A link may stand for a package folder: taken as one (nothing is told of it).
          if (entry.isDirectory() || entry.isSymbolicLink() || IMPORTABLE.has(extension))
            entries.set(stem, 'importable');
          else if (extension === '.pyx' && !entries.has(stem)) entries.set(stem, 'cython');
        }
      } catch {
        // No such folder (or unreadable): it provides nothing.
      }
      seen = { mtime: modifiedTime(folder), entries };
      this.folders.set(folder, seen);
    }
    return seen.entries;
  }
}

/** A folder's modification time; undefined when it is gone. */
function modifiedTime(folder: string): number | undefined {
  try {
    return statSync(folder).mtimeMs;
  } catch {
    return undefined;
  }
}
