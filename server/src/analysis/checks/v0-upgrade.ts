// Caffe reads a V0 net (`layers { layer { type: "conv" } }`) by upgrading it as it loads it, and the
// upgrade stops (upgrade_proto.cpp's CHECKs and LOG(FATAL)s) at a type it has no name for, and at a
// padding layer it cannot fold: it folds each one into the one layer that reads its top, a conv or
// pool layer with that single bottom, fed by a padding layer of one bottom and one top.

import type { Schema } from '../../schema/schema';
import { v1LayerMessage } from '../model/layer-fields';
import type { NetLayer } from '../model/net';
import { V0_TYPE_NAMES } from '../model/net-legacy';
import type { Check } from './context';
import { closestNames, didYouMean } from './suggest';

/**
 * Whether the Caffe of this schema upgrades V0 nets: its `layers` message has a `type` of its own (V1's,
 * with the V0 layer inside for the upgrade). In the Caffe before it (SPP_net's, DSN's), `layers` holds
 * the V0 layer as its native form: its own type names, padding layers that stay layers.
 */
export function upgradesV0(schema: Schema): boolean {
  return schema.field(v1LayerMessage(schema), 'type') !== undefined;
}

/** A V0 layer whose type BVLC's upgrade has no name for: "Unknown layer name". */
export const checkV0Types: Check = (ctx) => {
  if (!upgradesV0(ctx.schema)) return;
  for (const net of ctx.nets) {
    if (net.format !== 'v0') continue;
    for (const layer of net.layers) {
      const written = layer.rawType;
      // No type at all is checkMissingLayerTypes's.
      if (layer.format !== 'v0' || !written || !layer.typeSpan) continue;
      if (V0_TYPE_NAMES.includes(written)) continue;
      const near = V0_TYPE_NAMES.filter((n) => n.toLowerCase() === written.toLowerCase());
      const suggestions = near.length > 0 ? near : closestNames(written, V0_TYPE_NAMES);
      // A warning, as for any type BVLC does not register: the fork a V0 net was written for may know it.
      ctx.report({
        severity: 'warning',
        code: 'unknown-layer-type',
        message: `Unknown V0 layer type "${written}": BVLC Caffe's upgrade of a V0 net knows only its V0 names (conv, pool, relu, tanh, ...) and stops ("Unknown layer name: ${written}"); the fork the net was written for may know it.${didYouMean(suggestions)}`,
        start: layer.typeSpan.start,
        end: layer.typeSpan.end,
        ...(suggestions.length > 0 ? { suggestions: suggestions.map((n) => JSON.stringify(n)) } : {}),
      });
    }
  }
};

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
  if (!upgradesV0(ctx.schema)) return;
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
