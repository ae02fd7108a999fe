// Whether a path is a file or a folder on disk. A path comes from what a user wrote (a solver's `net:`,
// a module name), so any error of the look-up means no: a missing entry, a name too long for the file
// system, a folder that may not be read, a NUL in the name.

import fs from 'node:fs';

export function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** Whether a folder is a repository's root: it has `.git` (a folder, or a file in a submodule or worktree) or `.hg`. */
export function holdsRepository(dir: string): boolean {
  return fs.existsSync(`${dir}/.git`) || fs.existsSync(`${dir}/.hg`);
}

/** A text file's contents, or undefined when it cannot be read or is larger than `maxBytes`. */
export function readTextUpTo(file: string, maxBytes: number): string | undefined {
  try {
    if (fs.statSync(file).size > maxBytes) return undefined;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
