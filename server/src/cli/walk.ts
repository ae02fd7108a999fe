// Which files `check` reads: given files as they are; inside folders, *.prototxt, *.pt and solver
// files without an extension (`solver`, `lenet_solver`) that read as one, skipping node_modules and
// VCS folders.
// Symbolic links are followed (a folder reached twice, through a link cycle, is walked once); what
// cannot be checked is never opened: a given path is refused with its reason, and inside folders it
// is skipped and counted.

import { pushAll } from '../../../common/arrays';
import fs from 'node:fs';
import path from 'node:path';

const SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn']);

export function isPrototxtName(name: string): boolean {
  if (name.endsWith('.prototxt') || name.endsWith('.pt')) return true;
  return path.extname(name) === '' && name.toLowerCase().includes('solver');
}

/** How much of a file without an extension is read to tell whether it is a prototxt. */
const SNIFFED_BYTES = 4096;

/**
 * Whether a file without an extension, named like a solver, reads as a prototxt: its first line that is
 * neither blank nor a `#` comment starts with a field (`net: "..."`, `base_lr: 0.01`, `net_param {`).
 * Inside folders this keeps out what only shares the name: C++ headers (Eigen's
 * `IterativeLinearSolvers`), scripts, binaries.
 */
function readsAsText(file: string): boolean {
  let head: string;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(SNIFFED_BYTES);
      head = buffer.subarray(0, fs.readSync(fd, buffer, 0, SNIFFED_BYTES, 0)).toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
  for (const line of head.split('\n')) {
    const text = line.trim();
    if (text === '' || text.startsWith('#')) continue;
    return /^[A-Za-z_][\w.]*\s*[:{<]/.test(text);
  }
  return false;
}

/** A path left out, and why (e.g. "a FIFO (named pipe), not a file"). */
export interface LeftOut {
  path: string;
  reason: string;
}

export interface CollectedFiles {
  files: string[];
  /** Given paths that do not exist. */
  missing: string[];
  /** Given paths that exist but cannot be checked: special files, unreadable folders, link cycles. */
  refused: LeftOut[];
  /** What was left out inside the folders walked, for the same reasons. */
  skipped: LeftOut[];
}

type Kind = Pick<
  fs.Stats,
  'isFIFO' | 'isCharacterDevice' | 'isBlockDevice' | 'isSocket' | 'isFile' | 'isDirectory'
>;

/** What kind of thing a stat (or folder entry) describes when it is neither a regular file nor a folder. */
export function specialKind(stat: Kind): string | undefined {
  if (stat.isFIFO()) return 'a FIFO (named pipe), not a file';
  if (stat.isCharacterDevice()) return 'a character device, not a file';
  if (stat.isBlockDevice()) return 'a block device, not a file';
  if (stat.isSocket()) return 'a socket, not a file';
  if (!stat.isFile() && !stat.isDirectory()) return 'not a regular file';
  return undefined;
}

/** Why stat-ing a path that exists failed, in words. */
function statFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return 'a cycle of symbolic links';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'a symbolic link to nothing (its target does not exist)';
  return (error as Error).message;
}

function isLink(absolute: string): boolean {
  try {
    return fs.lstatSync(absolute).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Files to check, in a stable order, and what was left out. */
export function collectFiles(
  paths: readonly string[],
  cwd: string,
  accept: (name: string) => boolean = isPrototxtName,
): CollectedFiles {
  const out: CollectedFiles = { files: [], missing: [], refused: [], skipped: [] };
  const walked = new Set<string>();
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch (error) {
      // A link that exists but leads nowhere (or round in circles) is not "no such file".
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !isLink(absolute)) out.missing.push(given);
      else out.refused.push({ path: given, reason: statFailure(error) });
      continue;
    }
    const special = specialKind(stat);
    if (special) out.refused.push({ path: given, reason: special });
    else if (stat.isDirectory()) {
      try {
        fs.accessSync(absolute, fs.constants.R_OK | fs.constants.X_OK);
      } catch (error) {
        out.refused.push({ path: given, reason: `a folder that cannot be read (${statFailure(error)})` });
        continue;
      }
      walk(given, absolute, out, accept, walked);
    } else out.files.push(given);
  }
  return out;
}

function walk(
  shown: string,
  absolute: string,
  out: CollectedFiles,
  accept: (name: string) => boolean,
  walked: Set<string>,
): void {
  const stack: [string, string][] = [[shown, absolute]];
  while (stack.length > 0) {
    const [dirShown, dir] = stack.pop() as [string, string];
    let real: string;
    let entries: fs.Dirent[];
    try {
      real = fs.realpathSync(dir);
      if (walked.has(real)) continue; // reached again through a link
      walked.add(real);
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      out.skipped.push({ path: dirShown, reason: `a folder that cannot be read (${statFailure(error)})` });
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
    const subdirs: [string, string][] = [];
    const found: string[] = [];
    for (const entry of entries) {
      const entryShown = path.join(dirShown, entry.name);
      const entryPath = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        let target: fs.Stats;
        try {
          target = fs.statSync(entryPath);
        } catch (error) {
          if (accept(entry.name) || !path.extname(entry.name))
            out.skipped.push({ path: entryShown, reason: statFailure(error) });
          continue;
        }
        isDir = target.isDirectory();
        isFile = target.isFile();
        if (!isDir && !isFile && accept(entry.name))
          out.skipped.push({ path: entryShown, reason: specialKind(target) ?? 'not a regular file' });
      } else if (!isDir && !isFile && accept(entry.name)) {
        out.skipped.push({ path: entryShown, reason: specialKind(entry) ?? 'not a regular file' });
        continue;
      }
      if (isDir) {
        if (!SKIPPED.has(entry.name)) subdirs.push([entryShown, entryPath]);
      } else if (isFile && accept(entry.name) && (path.extname(entry.name) !== '' || readsAsText(entryPath)))
        found.push(entryShown);
    }
    pushAll(out.files, found.reverse());
    pushAll(stack, subdirs);
  }
}
