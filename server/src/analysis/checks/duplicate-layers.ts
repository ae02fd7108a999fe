// Layer names used twice in a phase's net: Caffe copies a .caffemodel's weights by layer name, into
// the first layer of a name only, and pycaffe's dictionaries keep only the last. Two layers without
// learned weights lose nothing to the copy, so that is information.

import type { NetLayer } from '../model/net';
import { layerKept } from '../model/net-filter';
import { parameterBlobRoles } from '../shapes/param-blobs';
import { LayerParams } from '../shapes/params';
import type { Check, CheckContext } from './context';

export const checkDuplicateLayers: Check = (ctx) => {
  for (const net of ctx.nets) {
    // Only a name written on several layers can be used twice in a phase: one pass over every layer
    // finds those layers, and each phase looks at them alone (a phase repeating the other's
    // duplicates adds nothing, as each layer is reported once).
    const candidates = layersSharingNames(net.layers);
    if (candidates.length === 0) continue;
    const level = net.state.level ?? 0;
    const reported = new Set<NetLayer>();
    for (const phase of ['TRAIN', 'TEST'] as const) {
      const seen = new Map<string, NetLayer>();
      for (let c = 0; c < candidates.length; c++) {
        const layer = candidates[c];
        if (!layer.nameSpan || !layerKept(layer, phase, level, net.state.stages)) continue;
        const first = seen.get(layer.name);
        if (!first) {
          seen.set(layer.name, layer);
          continue;
        }
        if (reported.has(layer)) continue;
        reported.add(layer);
        const where = inEveryPhase(first) && inEveryPhase(layer) ? '' : ` in the ${phase} phase`;
        // Two layers without learned weights (FCN's crops, fuses) lose nothing to the weight copy.
        const weightless = withoutWeights(ctx, first) && withoutWeights(ctx, layer);
        // Two layers whose every learned blob is shared by param name (SSH's m3@ssh_7x7 twice): the
        // weights copied into the first are the second's too.
        const shared = !weightless && sharedBlobs(ctx, first, layer);
        ctx.report({
          severity: weightless || shared ? 'information' : 'warning',
          code: 'duplicate-layer',
          message: weightless
            ? `Layer name "${layer.name}" is already used by an earlier layer${where}. Neither has learned weights, so loading a .caffemodel is not affected; pycaffe's net.layer_dict keeps only the last of them.`
            : shared
              ? `Layer name "${layer.name}" is already used by an earlier layer${where}. Both share all their learned blobs by param name (${shared}), so the weights a .caffemodel copies into the first are the second's too; pycaffe's net.params and net.layer_dict keep only the last of them.`
              : `Layer name "${layer.name}" is already used by an earlier layer${where}: Caffe copies a .caffemodel's weights by layer name, into the first layer of a name only, and pycaffe's net.params and net.layer_dict keep only the last.`,
          start: layer.nameSpan.start,
          end: layer.nameSpan.end,
          related: relatedLayer(first, 'first used here'),
        });
      }
    }
  }
};

/** A layer of a type known to make no learnable parameter blob. */
function withoutWeights(ctx: CheckContext, layer: NetLayer): boolean {
  const roles = parameterBlobRoles(layer, new LayerParams(layer, ctx.schema));
  if (roles !== undefined) return roles.length === 0;
  // A fork's V1 enum value BVLC's upgrade does not name (FCN-era forks' CROP): the V2 type it stands for.
  if (layer.format !== 'v1' || !/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/.test(layer.type)) return false;
  const type = layer.type
    .split('_')
    .map((w) => w[0] + w.slice(1).toLowerCase())
    .join('');
  const named = { ...layer, type };
  return parameterBlobRoles(named, new LayerParams(named, ctx.schema))?.length === 0;
}

/**
 * The param names (quoted, listed) when both layers learn the same number of blobs and name each one
 * alike in their param blocks, so that Caffe shares them; undefined otherwise.
 */
function sharedBlobs(ctx: CheckContext, a: NetLayer, b: NetLayer): string | undefined {
  const count = parameterBlobRoles(a, new LayerParams(a, ctx.schema))?.length;
  if (count === undefined || count === 0) return undefined;
  if (parameterBlobRoles(b, new LayerParams(b, ctx.schema))?.length !== count) return undefined;
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = a.paramSpecs[i]?.name;
    if (name === undefined || name === '' || b.paramSpecs[i]?.name !== name) return undefined;
    names.push(`'${name}'`);
  }
  return names.join(', ');
}

/** A layer without include or exclude rules: in the net of every phase. */
function inEveryPhase(layer: NetLayer): boolean {
  return layer.include.length === 0 && layer.exclude.length === 0;
}

/** The named layers whose name another layer has too, in net order. */
function layersSharingNames(layers: readonly NetLayer[]): NetLayer[] {
  const first = new Map<string, NetLayer>();
  const firstsTaken = new Set<NetLayer>();
  const out: NetLayer[] = [];
  for (let li = 0; li < layers.length; li++) {
    const layer = layers[li];
    if (layer.name === '' || !layer.nameSpan) continue;
    const earlier = first.get(layer.name);
    if (earlier === undefined) {
      first.set(layer.name, layer);
      continue;
    }
    if (!firstsTaken.has(earlier)) {
      firstsTaken.add(earlier);
      out.push(earlier);
    }
    out.push(layer);
  }
  return out.sort((a, b) => a.index - b.index);
}

/** A related place at a layer's name (its field name when it has none). */
export function relatedLayer(
  layer: NetLayer,
  message: string,
): { start: number; end: number; message: string }[] {
  const span = layer.nameSpan ?? layer.node.nameSpan;
  return [{ start: span.start, end: span.end, message }];
}
