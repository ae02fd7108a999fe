// A layer without a type: Caffe has nothing to make for it. What the layer's parameter blocks say it
// may have been meant to be is given as a hint.

import { PRIMARY_LAYER_TYPES } from '../../schema/layer-types';
import type { FieldNode } from '../../parser/ast';
import type { NetLayer } from '../model/net';
import { layerKept } from '../model/net-filter';
import type { Check, CheckContext } from './context';
import { SHARED_PARAMS } from './layers';
import { upgradesV0 } from './v0-upgrade';

/**
 * A layer without a type (none written, `type: ""`, V1's `NONE`): Caffe has no layer to make for it and
 * stops ("Unknown layer type: "), in every state that keeps the layer.
 */
export const checkMissingLayerTypes: Check = (ctx) => {
  for (const net of ctx.nets) {
    const phase = net.state.phase;
    for (let li = 0; li < net.layers.length; li++) {
      const layer = net.layers[li];
      if (!hasNoType(ctx, layer)) continue;
      // A file that sets its phase is built in it alone.
      if (phase && !layerKept(layer, phase, net.state.level ?? 0, net.state.stages)) continue;
      const at = layer.typeSpan ?? layer.nameSpan ?? layer.node.nameSpan;
      const named = layer.name === '' ? 'This layer' : `Layer "${layer.name}"`;
      // A V0 type written empty stops its upgrade; one not written becomes V1's NONE, then "".
      const says =
        layer.rawType === '' && layer.format === 'v0' ? 'Unknown layer name: ' : 'Unknown layer type: ';
      ctx.report({
        severity: 'error',
        code: 'missing-layer-type',
        message: `${named} has no type: Caffe has no layer to make for it and stops ("${says}").${typeHint(layer)}`,
        start: at.start,
        end: at.end,
      });
    }
  }
};

function hasNoType(ctx: CheckContext, layer: NetLayer): boolean {
  // Nearly every layer: a type was read (a field given twice is an error of its own).
  if (layer.type !== '' && layer.type !== 'NONE') return false;
  // The type field Caffe reads (the last one written); other values than these are reported as such.
  const fields = layer.body?.fields;
  // A layer that is no block is reported as such; so is a misspelt field (`tpye`), which may be its type.
  if (fields === undefined || layer.unknownField !== undefined) return false;
  let type: FieldNode | undefined;
  for (let i = 0; i < fields.length; i++) if (fields[i].name === 'type') type = fields[i];
  const value = type?.value;
  if (layer.format === 'v1') {
    if (type === undefined) return true;
    return value?.kind === 'identifier'
      ? value.name === 'NONE'
      : value?.kind === 'number' && value.value === 0;
  }
  // A Caffe without the V0 upgrade reads V0 layers as they are (checkV0Types).
  if (layer.format === 'v0' && !upgradesV0(ctx.schema)) return false;
  return type === undefined || (value?.kind === 'string' && value.value === '');
}

/** The types that read the layer's `*_param` blocks, as a hint; empty when they tell nothing. */
function typeHint(layer: NetLayer): string {
  const types = new Set<string>();
  layer.paramBlocks.forEach((_, name) => {
    if (SHARED_PARAMS.has(name)) return;
    for (const l of PRIMARY_LAYER_TYPES) if (l.params.includes(name)) types.add(l.type);
  });
  if (types.size === 0 || types.size > 3) return '';
  const list = [...types].map((t) => `"${t}"`).join(' or ');
  return ` Its parameters are those of ${list}.`;
}
