// The repository a file belongs to, and the whole caffe.protos it holds, for a document checked
// against the bundled schema: a repository may keep its Caffe's proto apart from its nets
// (forMobileUNet/caffe.proto beside the nets at its root), and a field that proto defines is worth
// naming where the schema in use lacks it.

import path from 'node:path';
import type { RepositoryProto } from '../analysis/checks/context';
import type { Schema } from '../schema/schema';
import { holdsRepository } from '../util/fs-probe';
import { isInside } from '../util/path-inside';

/** The nearest folder holding `file` (up to `root`) that is a repository's top; undefined when none is. */
export function repositoryOf(file: string, root: string): string | undefined {
  for (let dir = path.dirname(file); isInside(dir, root); dir = path.dirname(dir)) {
    if (holdsRepository(dir)) return dir;
    if (dir === root || path.dirname(dir) === dir) break;
  }
  return undefined;
}

/**
 * Of `protos` (every caffe.proto under `root`), those in the repository holding `file` that define a
 * net, read with `read`.
 */
export function repositoryProtos(
  file: string,
  root: string,
  protos: readonly string[],
  read: (proto: string) => Schema | undefined,
): RepositoryProto[] {
  const repository = repositoryOf(file, root) ?? root;
  const out: RepositoryProto[] = [];
  for (const proto of protos) {
    if (!isInside(proto, repository)) continue;
    const schema = read(proto);
    if (schema?.message('caffe.NetParameter') === undefined) continue;
    out.push({ label: path.relative(repository, proto).split(path.sep).join('/'), schema });
  }
  return out;
}
