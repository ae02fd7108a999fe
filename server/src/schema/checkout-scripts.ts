// Which Caffe checkout the shell scripts beside a net run. A repository holding several checkouts (SCNN's
// C3D-v1.0/ and C3D-v1.1/, each with a C3D_overlap_loss/ and a C3D_sample_rate/) trains each net with
// the tools of one of them, and the script beside the net names it:
// `../../../C3D-v1.1/C3D_overlap_loss/build/tools/caffe train --solver=solver_r2.prototxt`. That
// checkout's caffe.proto is the one the net is read with, whichever checkout is nearest on disk.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { readTextUpTo } from '../util/fs-probe';
import { isInside } from '../util/path-inside';

/** Script files read, and how much of each. */
const SCRIPT = /\.(?:sh|bash)$/i;
const MAX_SCRIPTS = 50;
const MAX_BYTES = 64 * 1024;

/** A Caffe build's tools folder as a command or a variable names it: `X/build/tools`, `X/.build_release/tools`. */
const TOOLS = /(?:^|\/)(?:\.build_release|\.build_debug|build)\/tools(?:\/|$)/;

/** `NAME=value` assignments of a script (no spaces around `=`), quotes taken off. */
const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_]\w*)=(?:"([^"\n]*)"|'([^'\n]*)'|([^\s;#]*))/gm;

/**
 * For each Caffe tool path the scripts of `folder` name (a command or a variable set to it), the
 * checkout roots it may stand for: the path before `build/tools` taken from the script's folder, then
 * from each folder above it up to `top` (a script may be run from its repository's root), nearest first.
 */
export function toolCheckouts(
  folder: string,
  top: string | undefined,
  read: (folder: string) => readonly string[] = scriptsIn,
): string[][] {
  const out: string[][] = [];
  for (const text of read(folder)) {
    const variables = new Map<string, string>();
    for (const m of text.matchAll(ASSIGNMENT)) variables.set(m[1], m[2] ?? m[3] ?? m[4] ?? '');
    for (const word of words(text)) {
      const at = TOOLS.exec(word);
      if (!at) continue;
      const written = substituted(word.slice(0, at.index), variables);
      if (written === undefined || written.startsWith('~')) continue;
      out.push(bases(folder, top).map((base) => path.resolve(base, written)));
    }
  }
  return out;
}

/** The script's own folder and each above it up to `top` (inclusive), nearest first. */
function bases(folder: string, top: string | undefined): string[] {
  const out: string[] = [];
  for (let dir = folder; ; dir = path.dirname(dir)) {
    out.push(dir);
    if (top === undefined || dir === top || !isInside(dir, top) || path.dirname(dir) === dir) break;
  }
  return out;
}

/** The words of a script that may be paths: split at spaces, quotes and shell punctuation. */
function words(text: string): string[] {
  return text.split(/[\s"'`;|&<>()=]+/).filter((w) => w.includes('tools'));
}

/** `$NAME/x` and `${NAME}/x` with the script's own assignments put in; undefined when one is not set. */
function substituted(written: string, variables: ReadonlyMap<string, string>): string | undefined {
  let unknown = false;
  const out = written.replace(/\$\{?([A-Za-z_]\w*)\}?/g, (_, name: string) => {
    const value = variables.get(name);
    if (value === undefined || value.includes('$')) unknown = true;
    return value ?? '';
  });
  return unknown ? undefined : out === '' ? '.' : out;
}

/** The text of the shell scripts directly in `folder` (a few; a very long one is no launcher and is left out). */
function scriptsIn(folder: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(folder).filter((n) => SCRIPT.test(n));
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of names.sort().slice(0, MAX_SCRIPTS)) {
    const text = readTextUpTo(path.join(folder, name), MAX_BYTES);
    if (text !== undefined) out.push(text);
  }
  return out;
}
