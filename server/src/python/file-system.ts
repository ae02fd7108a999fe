// The file access the Python index needs, with the folder walk shared by the real and a fake file system.
// Skipped: virtualenvs, node_modules, VCS folders, build output, caches, and the user's exclude globs.

import { promises as fsp, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { compileGlob } from '../../../common/glob';

export interface DirectoryEntry {
  name: string;
  isDirectory: boolean;
}

export interface ExcludeFilter {
  /** `entries` are the folder's own entries, so a virtualenv can be told by its `pyvenv.cfg`. */
  skipDirectory(dir: string, entries: readonly DirectoryEntry[]): boolean;
  skipFile(file: string): boolean;
}

export interface PythonFileSystem {
  readFile(file: string): Promise<string>;
  /** The files are on this machine's disk, so index worker threads may read them with node:fs themselves. */
  localDisk?: boolean;
  listPythonFiles(root: string, exclude: ExcludeFilter): Promise<string[]>;
}

const SKIPPED_NAMES = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  'build',
  '__pycache__',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.pytest_cache',
  'site-packages',
  'dist-packages',
  'venv',
  '.venv',
]);

/** True for folders that are (or look like) a Python virtual environment. */
export function isVirtualEnv(name: string, entries: readonly DirectoryEntry[]): boolean {
  const has = (n: string, dir: boolean) => entries.some((e) => e.name === n && e.isDirectory === dir);
  if (has('pyvenv.cfg', false) || has('conda-meta', true)) return true;
  if (name === 'env' || name === '.env' || name === 'virtualenv') {
    return (has('lib', true) || has('Lib', true)) && (has('bin', true) || has('Scripts', true));
  }
  return false;
}

/** The default rules plus user globs, matched against the path relative to `root` with '/' separators. */
export function createExcludeFilter(root: string, globs: readonly string[]): ExcludeFilter {
  const patterns = globs.filter((g) => g.trim() !== '').map(excludeGlob);
  const matches = (file: string, asFolder: boolean) => {
    const rel = path.relative(root, file).split(path.sep).join('/');
    if (rel === '' || rel.startsWith('..')) return false;
    return patterns.some((p) => p(rel) || (asFolder && p(`${rel}/`)));
  };
  return {
    skipDirectory: (dir, entries) => {
      const name = path.basename(dir);
      return SKIPPED_NAMES.has(name) || isVirtualEnv(name, entries) || matches(dir, true);
    },
    skipFile: (file) => !file.endsWith('.py') || matches(file, false),
  };
}

/**
 * The matcher of one exclude glob (see common/glob.ts). A pattern without a '/' matches at any depth
 * (`build*` skips every folder named so), like VS Code's `files.exclude`; a folder pattern also matches
 * everything inside it.
 */
export function excludeGlob(glob: string): (relativePath: string) => boolean {
  let g = glob.trim().replace(/\\/g, '/');
  if (g.startsWith('./')) g = g.slice(2);
  if (!g.includes('/')) g = `**/${g}`;
  if (g.startsWith('/')) g = g.slice(1);
  return compileGlob(g, { withContents: true });
}

/** Walks `root` depth-first in name order and returns the .py files the filter keeps. */
export async function walkPythonFiles(
  root: string,
  exclude: ExcludeFilter,
  readDirectory: (dir: string) => Promise<DirectoryEntry[]>,
): Promise<string[]> {
  const out: string[] = [];
  const visit = async (dir: string) => {
    let entries: DirectoryEntry[];
    try {
      entries = await readDirectory(dir);
    } catch {
      return;
    }
    if (dir !== root && exclude.skipDirectory(dir, entries)) return;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subfolders: string[] = [];
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory) subfolders.push(p);
      else if (!exclude.skipFile(p)) out.push(p);
    }
    for (const s of subfolders) await visit(s);
  };
  await visit(root);
  return out;
}

/**
 * The real file system. Symbolic links are not followed (they can loop). Files are read synchronously
 * inside the promise: for small source files that is ten times cheaper than `fs.promises.readFile`, and
 * the index still yields between files.
 */
export function createNodeFileSystem(): PythonFileSystem {
  const readDirectory = async (dir: string): Promise<DirectoryEntry[]> => {
    const entries = await fsp.readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory() || e.isFile())
      .map((e) => ({ name: e.name, isDirectory: e.isDirectory() }));
  };
  return {
    localDisk: true,
    readFile: async (file) => readFileSync(file, 'utf8'),
    listPythonFiles: (root, exclude) => walkPythonFiles(root, exclude, readDirectory),
  };
}
