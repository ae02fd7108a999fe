// Layer types the user's Caffe does not register: when the user's pycaffe said what it registers
// (caffe.layer_type_list(), asked only where user code may run), or else the file is checked against
// the caffe.proto of a Caffe checkout whose sources say what it registers (schema/checkout-layers.ts),
// a layer of another type is reported as Caffe reports it when it builds the net, "Unknown layer
// type: X", with the way to a Caffe that has it.

import { BUNDLED_FORKS } from '../../schema/bundled';
import { BVLC_TYPE_NAMES, forksWithLayerType, namedForks } from '../../schema/layer-types';
import type { Check, CheckContext } from './context';
import { closestNames, didYouMean } from './suggest';

/** BVLC's layers whose sources are compiled only with OpenCV (`#ifdef USE_OPENCV`). */
const OPENCV_LAYER_TYPES: ReadonlySet<string> = new Set(['ImageData', 'WindowData']);

export const checkRegisteredLayerTypes: Check = (ctx) => {
  const installed = ctx.installedLayerTypes;
  if (!installed) return;
  for (const net of ctx.nets) {
    for (let l = 0; l < net.layers.length; l++) {
      const layer = net.layers[l];
      if (layer.format !== 'v2' || !layer.typeSpan || layer.type === '') continue;
      const type = layer.type;
      if (installed.types.has(type) || ctx.allowLayerTypes.has(type)) continue;
      const suggestions = closestNames(type, installed.types);
      ctx.report({
        severity: 'warning',
        code: 'layer-type-not-registered',
        message:
          notRegisteredMessage(ctx, type, installed.label, installed.checkout) + didYouMean(suggestions),
        start: layer.typeSpan.start,
        end: layer.typeSpan.end,
        ...(suggestions.length > 0 ? { suggestions: suggestions.map((s) => `"${s}"`) } : {}),
      });
    }
  }
};

/** Caffe's own words, which Caffe it is, and what to change. */
export function notRegisteredMessage(
  ctx: CheckContext,
  type: string,
  label: string,
  checkout = false,
): string {
  const head = checkout
    ? `Unknown layer type: ${type}: the Caffe checkout at ${label}, whose caffe.proto this file is checked against,`
    : `Unknown layer type: ${type}: the Caffe that ${label} imports`;
  if (type === 'Python' && !checkout)
    return (
      `${head} was built without WITH_PYTHON_LAYER, so building this net fails there. ` +
      'Rebuild Caffe with WITH_PYTHON_LAYER := 1 in Makefile.config (CMake: -DBUILD_python_layer=ON).'
    );
  const stops = `${head} does not register it, so building this net fails there.`;
  if (OPENCV_LAYER_TYPES.has(type) && !checkout)
    return (
      `${stops} Caffe has ${type} only when built with OpenCV: rebuild it with OpenCV ` +
      '(no USE_OPENCV := 0 in Makefile.config; CMake: -DUSE_OPENCV=ON).'
    );
  const forks = namedForks(forksWithLayerType(type));
  if (forks.length > 0) {
    const labels = forks.map(
      (n) =>
        ctx.forks.find((f) => f.name === n)?.label ?? BUNDLED_FORKS.find((f) => f.name === n)?.label ?? n,
    );
    return `${stops} ${labels.join(' or ')} has it: use a build of that Caffe.`;
  }
  if (BVLC_TYPE_NAMES.has(type))
    return `${stops} BVLC Caffe has it: use a Caffe build or version that registers it.`;
  return (
    `${stops} Use the Caffe build or fork that registers it ` +
    '(a plugin that registers it at run time: add it to prototxt.layerTypes.allow).'
  );
}
