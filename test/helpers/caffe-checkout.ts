// A Caffe checkout made in a test folder: the smallest caffe.proto a net of named layers reads, and
// layer sources that register types the way Caffe's do.
import fs from 'node:fs';
import path from 'node:path';

/**
 * Enough of caffe.proto for a net of layers with names, types, bottoms and tops; `layerFields` are
 * more fields of LayerParameter and `messages` the messages they need.
 */
export function layersProto(layerFields: readonly string[] = [], messages = ''): string {
  return `syntax = "proto2";
package caffe;
message NetParameter { optional string name = 1; repeated LayerParameter layer = 100; }
message LayerParameter {
  optional string name = 1;
  optional string type = 2;
  repeated string bottom = 3;
  repeated string top = 4;
${layerFields.map((f) => `  ${f}\n`).join('')}}
${messages}`;
}

export const LAYERS_ONLY_PROTO = layersProto();

/** The types every Caffe registers (a checkout without them is not read). */
export const CORE_TYPES = ['Convolution', 'InnerProduct', 'Pooling', 'ReLU', 'Softmax'];

/**
 * A checkout at `root`: its proto, `core` registered in layer_factory.cpp and each of `own`
 * in `src/caffe/layers/<type>_layer.cpp`. Returns the path of each own type's source.
 */
export function writeCheckout(
  root: string,
  own: readonly string[] = [],
  core: readonly string[] = CORE_TYPES,
): Map<string, string> {
  const src = path.join(root, 'src', 'caffe');
  fs.mkdirSync(path.join(src, 'proto'), { recursive: true });
  fs.mkdirSync(path.join(src, 'layers'), { recursive: true });
  fs.writeFileSync(path.join(src, 'proto', 'caffe.proto'), LAYERS_ONLY_PROTO);
  fs.writeFileSync(
    path.join(src, 'layer_factory.cpp'),
    core.map((t) => `REGISTER_LAYER_CREATOR(${t}, Get${t}Layer);\n`).join(''),
  );
  const sources = new Map<string, string>();
  for (const t of own) {
    const file = path.join(src, 'layers', `${t.toLowerCase()}_layer.cpp`);
    fs.writeFileSync(
      file,
      `#include "caffe/layers/${t.toLowerCase()}_layer.hpp"\n\nREGISTER_LAYER_CLASS(${t});\n`,
    );
    sources.set(t, file);
  }
  return sources;
}
