// Net files a script writes. Many Caffe repositories make their nets with pycaffe's net spec (a
// notebook or a `net.py` writes `train.prototxt`), so a solver may name a net file that is not in the
// checkout until that script has run. A Python file or notebook of the workspace that names the file in
// a string is taken as its writer: the missing file is then a warning that says to run it first, not an
// error. Found by one walk of the workspace per file name, kept until a Python file changes.

import fs from 'node:fs';
import path from 'node:path';
import { filesUnder } from '../util/walk';

const SCRIPT = /\.(py|ipynb)$/;
/** The largest script read. */
const MAX_BYTES = 4 << 20;

/** Whether `text` holds `name` at the end of a string literal (`"train.prototxt"`, `'nets/train.prototxt'`). */
export function namesInString(text: string, name: string): boolean {
  if (!text.includes(name)) return false;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // In a notebook the source is JSON, where a quote is written \".
  return new RegExp(`["'/\\\\]${escaped}\\\\?["']`).test(text);
}

export class NetWriters {
  private readonly found = new Map<string, string | null>();

  constructor(private readonly limits: { maxDirs?: number } = {}) {}

  /** A script under `roots` that names the file `written` (a solver's net path), relative to its root. */
  writerOf(written: string, roots: readonly string[]): string | undefined {
    const name = path.basename(written);
    if (name === '') return undefined;
    const key = `${roots.join('\0')}\0${name}`;
    let known = this.found.get(key);
    if (known === undefined) {
      known = this.search(name, roots) ?? null;
      this.found.set(key, known);
    }
    return known ?? undefined;
  }

  /** Files changed on disk: when a script is among them, every answer is looked for again. */
  filesChanged(paths: readonly string[]): void {
    if (paths.some((p) => SCRIPT.test(p))) this.found.clear();
  }

  private search(name: string, roots: readonly string[]): string | undefined {
    for (const { root, file, name: fileName } of filesUnder(roots, { maxDirs: this.limits.maxDirs })) {
      if (SCRIPT.test(fileName) && readsName(file, name)) return path.relative(root, file);
    }
    return undefined;
  }
}

function readsName(file: string, name: string): boolean {
  try {
    if (fs.statSync(file).size > MAX_BYTES) return false;
    return namesInString(fs.readFileSync(file, 'utf8'), name);
  } catch {
    return false;
  }
}
