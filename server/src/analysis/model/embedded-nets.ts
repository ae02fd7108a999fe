// Solvers may carry whole nets in `net_param`, `train_net_param` and `test_net_param`: such a block
// is read as a document of its own (a NetParameter) by the net model and the features built on it.

import type { DocumentNode, FieldNode } from '../../parser/ast';

const EMBEDDED_NETS = new Set(['net_param', 'train_net_param', 'test_net_param']);

/** The net written inside `field` as a document, or undefined when `field` holds no embedded net. */
export function embeddedNet(field: FieldNode): DocumentNode | undefined {
  const body = field.value;
  if (!EMBEDDED_NETS.has(field.name) || body?.kind !== 'message') return undefined;
  return {
    kind: 'document',
    fields: body.fields,
    comments: [],
    errors: [],
    start: body.start,
    end: body.end,
  };
}
