// How messages name a file of the workspace.

import * as path from 'node:path';

/**
 * A path relative to the workspace root that holds it, with '/' separators ('.' for the only root);
 * absolute otherwise, and for one root among several.
 */
export function display(file: string, roots: readonly string[]): string {
  const root = roots.find((r) => {
    const rel = path.relative(r, file);
    return !rel.startsWith('..') && !path.isAbsolute(rel);
  });
  if (root === undefined) return file;
  const rel = path.relative(root, file).split(path.sep).join('/');
  // A root itself: '.' says which only when there is one.
  if (rel === '') return roots.length > 1 ? file : '.';
  // A folder named ~ in the workspace (where Python looks for an unexpanded '~/x'): not the home folder.
  return rel.startsWith('~') ? `./${rel}` : rel;
}
