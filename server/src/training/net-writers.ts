// Net files a script writes. Many Caffe repositories make their nets with pycaffe's net spec (a
// notebook or a `net.py` writes `train.prototxt`), so a solver may name a net file that is not in the
// checkout until that script has run. A Python file or notebook of the workspace that names the file in
// a string is taken as its writer: the missing file is then a warning that says to run it first, not an
// error. A script naming the whole path is preferred to one naming only the file name (`train.prototxt`
// is a common name), and the warning says which it is. Found by one walk of the workspace per path,
// kept until a Python file changes.

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

/** A script that names a missing net file: the path as the solver writes it, or only its file name. */
export interface NetWriter {
  /** The script, relative to its workspace root. */
  script: string;
  /** Whether the script names the whole path (`gen/train.prototxt`), not just `train.prototxt`. */
  wholePath: boolean;
}

export class NetWriters {
  private readonly found = new Map<string, NetWriter | null>();

  constructor(private readonly limits: { maxDirs?: number } = {}) {}

  /**
   * A script under `roots` that names the file `written` (a solver's net path): one naming the whole
   * path first, else the first naming its file name.
   */
  writerOf(written: string, roots: readonly string[]): NetWriter | undefined {
    const whole = written.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
    const name = path.posix.basename(whole);
    if (name === '') return undefined;
    const key = `${roots.join('\0')}\0${whole}`;
    let known = this.found.get(key);
    if (known === undefined) {
      known = this.search(whole, name, roots) ?? null;
      this.found.set(key, known);
    }
    return known ?? undefined;
  }

  /** Files changed on disk: when a script is among them, every answer is looked for again. */
  filesChanged(paths: readonly string[]): void {
    if (paths.some((p) => SCRIPT.test(p))) this.found.clear();
  }

  private search(whole: string, name: string, roots: readonly string[]): NetWriter | undefined {
    let byName: NetWriter | undefined;
    for (const { root, file, name: fileName } of filesUnder(roots, { maxDirs: this.limits.maxDirs })) {
      if (!SCRIPT.test(fileName)) continue;
      const text = scriptText(file);
      if (text === undefined || !namesInString(text, name)) continue;
      const script = path.relative(root, file);
      if (whole === name || namesInString(text, whole)) return { script, wholePath: true };
      byName ??= { script, wholePath: false };
    }
    return byName;
  }
}

function scriptText(file: string): string | undefined {
  try {
    if (fs.statSync(file).size > MAX_BYTES) return undefined;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
