// Which bundled forks can read a document as it is written. A Caffe from before `layer { }`
// (DeepLab v1's, DeconvNet's) reads nets only in the `layers { }` format: a field it defines is no
// reason to choose it for a net, or a solver's net, written with `layer { }`, which that Caffe cannot
// read at all.

import type { DocumentNode, FieldNode } from '../../parser/ast';
import type { ForkSchema } from './resolve';

const NET = 'caffe.NetParameter';

/** `forks` without those that predate `layer { }` when the document writes its layers so. */
export function forksReading(ast: DocumentNode, forks: readonly ForkSchema[]): readonly ForkSchema[] {
  if (!forks.some(predatesLayer) || !writesLayer(ast.fields)) return forks;
  return forks.filter((f) => !predatesLayer(f));
}

function predatesLayer(fork: ForkSchema): boolean {
  return fork.schema.field(NET, 'layer') === undefined;
}

/**
 * Whether `layer` is a field at the top, or of a message at the top (a solver's `net_param`), not
 * counting a V0 net's `layers { layer { } }`, which such a Caffe reads.
 */
function writesLayer(fields: readonly FieldNode[]): boolean {
  if (fields.some((f) => f.name === 'layer')) return true;
  return fields.some(
    (f) =>
      f.name !== 'layers' && f.value?.kind === 'message' && f.value.fields.some((g) => g.name === 'layer'),
  );
}
