// Solvers may carry whole nets in `net_param`, `train_net_param` and `test_net_param`: such a block
// is read as a document of its own (a NetParameter) by the net model and the features built on it.

import type { DocumentNode, FieldNode } from '../../parser/ast';
import { buildNet, type NetModel } from './net';

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

/** The nets a parsed file holds: a net file's own, else each net its solver fields embed, in text order. */
export function netsOfTree(doc: DocumentNode): NetModel[] {
  const embedded = doc.fields.map(embeddedNet).filter((d): d is DocumentNode => d !== undefined);
  return embedded.length > 0 ? embedded.map((d) => buildNet(d)) : [buildNet(doc)];
}

/** The nets an analysis made: the file's net, else the nets its solver embeds (none for other files). */
export function netsOf(analysis: {
  net?: NetModel;
  embeddedNets?: ReadonlyMap<unknown, NetModel>;
}): NetModel[] {
  if (analysis.net) return [analysis.net];
  return [...(analysis.embeddedNets?.values() ?? [])];
}
