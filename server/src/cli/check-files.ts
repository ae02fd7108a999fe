// The files `check` reads: prototxts (given, or found in folders), Python files given by name, and in
// folders the Python files that may hold layer classes; each file once, however many given paths
// reach it; binary files are reported, not parsed.

import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import { isInside } from '../util/path-inside';
import type { CheckedFile } from './check-workspace';
import type { FileReport } from './format';
import { collectFiles, isPrototxtName, specialKind, type LeftOut } from './walk';

export interface ReadFile extends CheckedFile {
  /** The text, or undefined for a binary file (reported as such). */
  text?: string;
}

/** Bytes looked at for a NUL, which no text file has. */
const BINARY_PROBE = 8000;

/** Larger files are not read: far beyond any net, and past what one string can hold. */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

/**
 * The files to check, each once, in the order given; `missing` lists given paths that do not exist,
 * `refused` those that cannot be checked, `skipped` what was left out inside the folders.
 */
export function checkedFiles(
  paths: readonly string[],
  cwd: string,
): { files: CheckedFile[]; missing: string[]; refused: LeftOut[]; skipped: LeftOut[] } {
  const given = new Set(paths.map((p) => path.resolve(cwd, p)));
  const { files, missing, refused, skipped } = collectFiles(
    paths,
    cwd,
    (name) => isPrototxtName(name) || name.endsWith('.py'),
  );
  const out: CheckedFile[] = [];
  const seen = new Set<string>();
  for (const shown of files) {
    const absolute = path.resolve(cwd, shown);
    const key = realPath(absolute);
    if (seen.has(key)) continue;
    // A Python file found in a folder is checked when it may hold layer classes; one named, always.
    if (absolute.endsWith('.py') && !given.has(absolute) && !mayHoldLayers(absolute)) continue;
    seen.add(key);
    if (given.has(absolute)) out.push({ shown, absolute });
    else {
      const folder = outermostHolding(absolute, given);
      out.push(
        folder === undefined ? { shown, absolute, found: true } : { shown, absolute, found: true, folder },
      );
    }
  }
  return { files: out, missing, refused, skipped };
}

/** The shortest of the `given` paths that `file` lies beneath (the folder it was found in). */
function outermostHolding(file: string, given: ReadonlySet<string>): string | undefined {
  let outermost: string | undefined;
  for (const folder of given) {
    if (folder === file || !isInside(file, folder)) continue;
    if (outermost === undefined || folder.length < outermost.length) outermost = folder;
  }
  return outermost;
}

/**
 * Reads a file; a binary one has no text. Throws, with the reason, when it cannot be read, is no
 * regular file (opened without waiting, so a FIFO never blocks) or is larger than MAX_FILE_BYTES.
 */
export function readChecked(file: CheckedFile): ReadFile {
  const fd = fs.openSync(file.absolute, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  let bytes: Buffer;
  try {
    const stat = fs.fstatSync(fd);
    const special = specialKind(stat);
    if (special) throw new Error(special);
    if (stat.size > MAX_FILE_BYTES)
      throw new Error(
        `${(stat.size / 1048576).toFixed(0)} MB, larger than the ${MAX_FILE_BYTES / 1048576} MB a file may be`,
      );
    bytes = fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return { ...file, ...textOf(bytes) };
}

/** The text of a file's bytes; none for a binary file. */
export function textOf(bytes: Buffer): { text?: string } {
  if (bytes.subarray(0, BINARY_PROBE).includes(0)) return {};
  // Nearly every prototxt is ASCII, which latin1 copies as it is: the same string as decoding UTF-8,
  // without the decoder's pass (about 10 ms on a 10 MB net).
  return { text: bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8') };
}

/** The report of a binary file: one warning, nothing parsed. */
export function binaryReport(file: CheckedFile): FileReport {
  return {
    path: file.shown,
    diagnostics: [
      {
        severity: 'warning',
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 1,
        message: 'binary file, not checked',
        code: 'binary-file',
      },
    ],
  };
}

function mayHoldLayers(file: string): boolean {
  try {
    return /\bLayer\b/.test(fs.readFileSync(file, 'utf8'));
  } catch {
    return false;
  }
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}
