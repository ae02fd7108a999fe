// An in-memory PythonFileSystem for index tests: files given as absolute path -> text.

import * as path from 'node:path';
import {
  walkPythonFiles,
  type DirectoryEntry,
  type PythonFileSystem,
} from '../../../../server/src/python/file-system';

export function memoryFileSystem(files: Record<string, string>): PythonFileSystem & { reads: string[] } {
  const reads: string[] = [];
  const readDirectory = async (dir: string): Promise<DirectoryEntry[]> => {
    const entries = new Map<string, boolean>();
    for (const f of Object.keys(files)) {
      const rel = path.relative(dir, f);
      if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) continue;
      const [first, ...rest] = rel.split(path.sep);
      entries.set(first, (entries.get(first) ?? false) || rest.length > 0);
    }
    if (entries.size === 0) throw new Error(`ENOENT: ${dir}`);
    return [...entries].map(([name, isDirectory]) => ({ name, isDirectory }));
  };
  return {
    reads,
    readFile: async (file) => {
      reads.push(file);
      const text = files[file];
      if (text === undefined) throw new Error(`ENOENT: ${file}`);
      return text;
    },
    listPythonFiles: (root, exclude) => walkPythonFiles(root, exclude, readDirectory),
  };
}
