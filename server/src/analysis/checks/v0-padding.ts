// Caffe reads a V0 net (`layers { layer { type: "conv" } }`) by upgrading it as it loads it, and the
// upgrade folds each padding layer into the one layer that reads its top: a conv or pool layer with
// that single bottom, fed by a padding layer of one bottom and one top. Anything else stops it
// (upgrade_proto.cpp's CHECKs); the message says which.

import type { NetLayer } from '../model/net';
import type { Check } from './context';

const FOLDS_INTO = new Set(['Convolution', 'Pooling']);

function refused(layer: NetLayer, padding: NetLayer): string | undefined {
  if (!FOLDS_INTO.has(layer.type))
    return `"${layer.rawType ?? layer.type}" layer: it folds padding only into conv and pool layers ("Padding layer input to non-convolutional / non-pooling layer type")`;
  if (layer.bottoms.length !== 1)
    return `layer of ${layer.bottoms.length} bottoms: the layer it folds padding into takes one ("Conv Layer takes a single blob as input.")`;
  if (padding.bottoms.length !== 1)
    return `layer, but the padding layer has ${padding.bottoms.length} bottoms ("Padding Layer takes a single blob as input.")`;
  if (padding.tops.length !== 1)
    return `layer, but the padding layer has ${padding.tops.length} tops ("Padding Layer produces a single blob as output.")`;
  return undefined;
}

export const checkV0Padding: Check = (ctx) => {
  for (const net of ctx.nets) {
    if (net.format !== 'v0') continue;
    // The layer that last wrote each blob, as the upgrade tracks it (in file order, every phase).
    const last = new Map<string, NetLayer>();
    for (const layer of net.layers) {
      for (const bottom of layer.bottoms) {
        const source = last.get(bottom.name);
        if (source?.format !== 'v0' || source.type !== 'Padding') continue;
        const why = refused(layer, source);
        if (why === undefined) continue;
        ctx.report({
          severity: 'error',
          code: 'v0-padding',
          message: `Padding layer "${source.name}" feeds this ${why}: Caffe's upgrade of this V0 net stops here.`,
          start: bottom.span.start,
          end: bottom.span.end,
        });
        break;
      }
      for (const top of layer.tops) last.set(top.name, layer);
    }
  }
};
