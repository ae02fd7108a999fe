// A solver path found nowhere whose file or folder is there in other letter case (a Windows repository's
// `./FSRCNN_net.prototxt` beside `fsrcnn_net.prototxt`): Windows and macOS open it by that path, Linux
// does not. Found folder by folder from the deepest folder of a place tried that exists.

import path from 'node:path';
import type { NetFileResolution } from './solver-nets';

/** The file or folder in other letter case; `written`: the path spelt as it is, when it can be said so. */
export interface OtherCase {
  file: string;
  written?: string;
}

/**
 * The file or folder a place tried for `written` names in other letter case, found folder by folder
 * from the deepest folder of the place that exists; with `written` spelt as that file is when every
 * name it holds is one of the file's (no `..` or `.` to map).
 */
export function inOtherCase(
  written: string,
  resolution: Pick<NetFileResolution, 'candidates'>,
  fsView: { isDirectory(dir: string): boolean; entries?(dir: string): readonly string[] },
): OtherCase | undefined {
  const entries = fsView.entries;
  if (!entries) return undefined;
  for (const candidate of resolution.candidates) {
    const parts: string[] = [];
    let dir = candidate;
    // Up to the deepest folder that exists: the rest is to be matched without regard to case.
    while (!fsView.isDirectory(dir) && path.dirname(dir) !== dir) {
      parts.unshift(path.basename(dir));
      dir = path.dirname(dir);
    }
    if (parts.length === 0) continue;
    let matched = dir;
    for (const part of parts) {
      const lower = part.toLowerCase();
      const name = entries(matched).find((e) => e.toLowerCase() === lower);
      if (name === undefined) {
        matched = '';
        break;
      }
      matched = path.join(matched, name);
    }
    if (matched === '' || matched === candidate) continue;
    // `./` before the names is kept as written.
    const lead = /^(?:\.[\\/])*/.exec(written)?.[0] ?? '';
    const names = written.slice(lead.length).split(/[\\/]/);
    const plain = names.every((n) => n !== '' && n !== '.' && n !== '..');
    const fixed = path.normalize(matched).split(path.sep).slice(-names.length);
    const spelt = plain && !path.isAbsolute(written) ? lead + fixed.join('/') : undefined;
    return spelt !== undefined && spelt !== written ? { file: matched, written: spelt } : { file: matched };
  }
  return undefined;
}

/** What a message adds for a path whose file is there in other letter case. */
export function caseNote(other: OtherCase | undefined): string {
  if (!other) return '';
  return (
    ` There is ${other.file}, the same name in other letter case: Windows and macOS open it by this ` +
    'path, Linux does not' +
    (other.written ? `; write "${other.written}" (or rename the file).` : ' (rename it, or change the path).')
  );
}

/** The quick fix of a path whose file is there in other letter case: the path spelt as the file is. */
export function caseFix(other: OtherCase | undefined): { suggestions?: string[] } {
  const spelt = other?.written;
  return spelt !== undefined && !/["\\\n]/.test(spelt) ? { suggestions: [`"${spelt}"`] } : {};
}
