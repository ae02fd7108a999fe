// The layer types offered for `type:`: BVLC's, a fork's whose blocks the user's proto declares, or
// exactly those a Caffe checkout registers; the allowed ones; ranked by the blocks already written.
// Also what is said of a type (completion's documentation and the hover).

import path from 'node:path';
import type { NetLayer } from '../../analysis/model/net';
import { BUNDLED_FORKS, mergingForkOf } from '../../schema/bundled';
import type { CheckoutLayerTypes } from '../../schema/checkout-layers';
import {
  ALL_LAYER_TYPES,
  BVLC_LAYER_TYPES,
  findLayerType,
  layerTypesFor,
  type LayerTypeInfo,
} from '../../schema/layer-types';
import type { AnalyzedDocument } from '../context';
import { Doc } from '../shared/field-docs';

/** The layer types most nets are made of, offered first. */
const COMMON_TYPES = [
  'Convolution',
  'ReLU',
  'Pooling',
  'InnerProduct',
  'BatchNorm',
  'Scale',
  'Eltwise',
  'Concat',
  'Dropout',
  'Softmax',
  'SoftmaxWithLoss',
  'Accuracy',
  'Input',
  'Data',
  'Python',
];

/** Layer types known under the document's schema, ranked: types reading a param block already written first. */
export function layerTypes(
  input: AnalyzedDocument,
  layer: NetLayer | undefined,
): { info: LayerTypeInfo; rank: string }[] {
  const known = input.schema.layerTypes ? checkoutTypes(input.schema.layerTypes) : typesOfSchema(input);
  const seen = new Set(known.map((t) => t.type));
  for (const allowed of input.settings.layerTypes.allow) {
    if (seen.has(allowed)) continue;
    seen.add(allowed);
    known.push({ type: allowed, description: 'Allowed by prototxt.layerTypes.allow.', params: [] });
  }
  // Without a checkout's list: the types the repository's own sources register too.
  for (const r of input.schema.layerTypes ? [] : (input.repositoryLayerTypes?.() ?? [])) {
    if (seen.has(r.type)) continue;
    seen.add(r.type);
    known.push(
      ALL_LAYER_TYPES.find((t) => t.type === r.type) ?? {
        type: r.type,
        description: `Registered by a source of this repository, in ${path.basename(r.file)}.`,
        params: [],
      },
    );
  }
  const written = layer ? [...layer.paramBlocks.keys()] : [];
  return known.map((info) => {
    const common = COMMON_TYPES.indexOf(info.type);
    const reads = written.length > 0 && written.every((p) => info.params.includes(p));
    const rank = reads ? '0' : common >= 0 ? `1${String(common).padStart(2, '0')}` : '2';
    return { info, rank };
  });
}

/**
 * BVLC's types, and a fork's whose parameter block(s) the user's proto declares; under a merging
 * fork's own schema (bundled:synopsys), that fork's whole table, its types without a block too.
 */
function typesOfSchema(input: AnalyzedDocument): LayerTypeInfo[] {
  const schema = input.schema.schema;
  const user = input.schema.kind === 'user';
  const own = user ? mergingForkOf(schema) : undefined;
  const known: LayerTypeInfo[] = own ? layerTypesFor(own) : [...BVLC_LAYER_TYPES];
  const seen = new Set(known.map((t) => t.type));
  const layerDef = schema.message('caffe.LayerParameter');
  for (const t of ALL_LAYER_TYPES) {
    if (seen.has(t.type) || t.params.length === 0 || !layerDef) continue;
    if (user && t.params.every((p) => schema.field(layerDef, p))) {
      known.push(t);
      seen.add(t.type);
    }
  }
  return known;
}

/** Exactly the types a Caffe checkout registers: what is known of each, else where it is registered. */
function checkoutTypes(checkout: CheckoutLayerTypes): LayerTypeInfo[] {
  return [...checkout.registrations.values()].map(
    (r) =>
      findLayerType(r.type) ??
      ALL_LAYER_TYPES.find((t) => t.type === r.type) ?? {
        type: r.type,
        description: `Registered by the Caffe checkout, in ${path.relative(checkout.root, r.file)}.`,
        params: [...(checkout.params.get(r.type) ?? [])],
      },
  );
}

export function layerTypeDoc(info: LayerTypeInfo, markdown: boolean): string {
  const doc = new Doc(markdown);
  doc.text(info.description);
  if (info.params.length > 0) {
    doc.raw(
      `Parameters: ${info.params.map((p) => doc.c(p)).join(', ')}`,
      `Parameters: ${info.params.join(', ')}`,
    );
  }
  const counts = [blobCount('bottom', info.bottoms), blobCount('top', info.tops)].filter(Boolean);
  if (counts.length > 0) doc.text(counts.join('; ') + '.');
  if (info.forks) {
    const labels = info.forks.map((name) => BUNDLED_FORKS.find((f) => f.name === name)?.label ?? name);
    doc.text(
      `Registered by ${labels.length === 1 ? 'the fork' : 'the forks'} ${labels.join(', ')}; not by BVLC Caffe.`,
    );
  }
  return doc.toString();
}

function blobCount(what: string, c: LayerTypeInfo['bottoms']): string {
  if (!c) return '';
  if (c.max === c.min) return `${c.min} ${what}${c.min === 1 ? '' : 's'}`;
  if (c.max === undefined) return `${c.min} or more ${what}s`;
  return `${c.min} to ${c.max} ${what}s`;
}
