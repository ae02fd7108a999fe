// Folders a test file makes under the temporary folder, removed when its process ends: a test's
// leftovers would otherwise pile up in /tmp, where a later `check` run from /tmp finds their
// caffe.proto files and their solvers.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const made: string[] = [];

/** A new empty folder `<tmp>/<prefix>XXXXXX`, removed when the process exits. */
export function tempDir(prefix: string): string {
  if (made.length === 0) {
    process.once('exit', () => {
      for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
    });
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
