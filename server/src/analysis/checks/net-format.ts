// The net's format: V1 `layers { type: CONVOLUTION }` and V0 `layers { layer { } }` still load
// (Caffe upgrades them as it reads) but are deprecated; written beside the current `layer { }`, they
// do not load as written.

import type { NetModel } from '../model/net';
import { hasInputLayer, type Check, type CheckContext } from './context';

export const checkNetFormat: Check = (ctx) => {
  // A Caffe older than the `layer` field (C3D v1.0's) reads only `layers`: nothing to upgrade to.
  if (ctx.schema.field('caffe.NetParameter', 'layer') === undefined) return;
  for (const net of ctx.nets) {
    if (mixedFormats(ctx, net)) continue;
    if (net.format === 'v2') continue;
    const first = net.layers.find((l) => l.format === net.format);
    if (!first) continue;
    const what =
      net.format === 'v1'
        ? 'the V1 layer format (layers { type: CONVOLUTION })'
        : 'the V0 layer format (layers { layer { type: "conv" } })';
    ctx.report({
      severity: 'information',
      code: 'deprecated-format',
      message: `This net uses ${what}, which is deprecated: Caffe still loads it, upgrading it as it reads. Upgrade it to layer { type: "..." } with the quick fix (or caffe-prototxt upgrade FILE).`,
      start: first.node.nameSpan.start,
      end: first.node.nameSpan.end,
    });
  }
};

/**
 * A net that writes both `layer` and `layers`: Caffe upgrades a net with `layers` as it reads it, and
 * its upgrade (UpgradeV1Net) refuses one that also has `layer`, in every state; a Caffe before the
 * Input layer, and any with V0 layers, drops the `layer` blocks instead. Reported on the first
 * `layers`, with the first `layer` beside it; true when reported.
 */
function mixedFormats(ctx: CheckContext, net: NetModel): boolean {
  const current = net.layers.find((l) => l.format === 'v2');
  const old = net.layers.find((l) => l.format !== 'v2');
  if (!current || !old) return false;
  // V1 layers: the upgrade (and its quick fix) writes them in the current format. V0 ones it leaves
  // alone; Caffe's upgrade of them (UpgradeV0Net) makes a net of `layers` and legacy inputs alone.
  const v1 = net.layers.every((l) => l.format !== 'v0');
  const refusal = !v1
    ? 'Caffe\'s upgrade of its V0 "layers" drops every "layer" block (or stops at a bottom only one of them makes)'
    : hasInputLayer(ctx)
      ? 'Caffe refuses to load it ("Refusing to upgrade inconsistent NetParameter input; the definition ' +
        `includes both 'layer' and 'layers' fields.")`
      : 'this Caffe\'s upgrade of its "layers" drops every "layer" block and builds the net without them ' +
        `("Input NetParameter to be upgraded already specifies 'layer' fields; these will be ignored for the upgrade.")`;
  const fix = v1 ? ' (the quick fix does, or caffe-prototxt upgrade FILE)' : '';
  ctx.report({
    severity: 'error',
    code: 'mixed-format',
    message: `This net has both "layer" and "layers" fields: ${refusal}. Write its "layers" in the "layer" format${fix}.`,
    start: old.node.nameSpan.start,
    end: old.node.nameSpan.end,
    related: [
      { start: current.node.nameSpan.start, end: current.node.nameSpan.end, message: 'a "layer" field' },
    ],
  });
  return true;
}
