// Whether a path lies inside a folder (the folder itself included), by path alone: no disk access.

import path from 'node:path';

export function isInside(file: string, folder: string): boolean {
  const rel = path.relative(folder, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
