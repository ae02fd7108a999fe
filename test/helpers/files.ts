// Every file under a folder, at any depth (the corpus's files and mutations, for tests that read all).
import fs from 'node:fs';
import path from 'node:path';

export function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(full) : [full];
  });
}
