// A layer given `engine: CUDNN`. Caffe's layer factory makes a cuDNN layer for that engine only when it
// is built with cuDNN (USE_CUDNN); a CPU-only build, or a GPU build without cuDNN, has no such engine
// and stops as it makes the layer ("Layer conv1 has unknown engine."). The default engine (DEFAULT)
// already chooses cuDNN where Caffe has it, and Caffe's own implementation elsewhere. BVLC's cuDNN
// convolution also has no dilation: with a dilation above 1, a cuDNN build stops too ("CuDNN doesn't
// support the dilated convolution at Layer conv1"), so there the setting fails in every build
// (DEFAULT takes Caffe's own implementation for a dilated convolution). A Deconvolution is made by its
// engine only since BVLC Caffe of September 2017 (an older Caffe, as many forks are, ignores it): it
// gets the information whatever its dilation.
// SoftmaxWithLoss makes its inner Softmax from its own softmax_param, engine included.

import type { FieldNode, MessageNode } from '../../parser/ast';
import type { NetLayer } from '../model/net';
import { numberValue } from '../model/net-read';
import type { AnalysisDiagnostic } from '../diagnostic';

export const CUDNN_ENGINE_CODE = 'cudnn-engine';

/** The layer types whose factory reads an engine, and the block it is read from. */
const ENGINE_BLOCKS: ReadonlyMap<string, string> = new Map([
  ['Convolution', 'convolution_param'],
  ['Deconvolution', 'convolution_param'],
  ['Pooling', 'pooling_param'],
  ['LRN', 'lrn_param'],
  ['ReLU', 'relu_param'],
  ['Sigmoid', 'sigmoid_param'],
  ['Softmax', 'softmax_param'],
  ['SoftmaxWithLoss', 'softmax_param'],
  ['TanH', 'tanh_param'],
]);

/** CUDNN's number in each of these engine enums (DEFAULT 0, CAFFE 1, CUDNN 2). */
const CUDNN_NUMBER = 2;

/** The `engine: CUDNN` that decides the layer's engine (the last one written), if any. */
export function cudnnEngineField(layer: NetLayer): { field: FieldNode; block: MessageNode } | undefined {
  // Most layers have no parameter block at all (a ReLU's), and nearly none names an engine.
  if (layer.format === 'v0' || layer.paramBlocks.size === 0) return undefined;
  const name = ENGINE_BLOCKS.get(layer.type);
  const block = name === undefined ? undefined : layer.paramBlocks.get(name);
  if (block === undefined) return undefined;
  let engine: FieldNode | undefined;
  const fields = block.fields;
  for (let i = 0; i < fields.length; i++)
    if (fields[i].name === 'engine' && fields[i].value !== undefined) engine = fields[i];
  const value = engine?.value;
  if (engine === undefined || value === undefined) return undefined;
  const cudnn = value.kind === 'identifier' ? value.name === 'CUDNN' : numberValue(value) === CUDNN_NUMBER;
  return cudnn ? { field: engine, block } : undefined;
}

/** The dilation above 1 of a convolution's block, if any (cuDNN's BVLC convolution has none). */
function dilation(layer: NetLayer, block: MessageNode): number | undefined {
  if (layer.type !== 'Convolution') return undefined;
  for (const f of block.fields) {
    if (f.name !== 'dilation' || f.value === undefined) continue;
    const values = f.value.kind === 'list' ? f.value.items : [f.value];
    for (const v of values) {
      const n = numberValue(v);
      if (n !== undefined && n > 1) return n;
    }
  }
  return undefined;
}

/** The diagnostic of a layer's `engine: CUDNN`; undefined for a layer without one. */
export function cudnnEngineProblem(layer: NetLayer): AnalysisDiagnostic | undefined {
  const found = cudnnEngineField(layer);
  if (!found) return undefined;
  const name = layer.name || layer.type;
  const dilated = dilation(layer, found.block);
  // BVLC Caffe makes a Deconvolution by its engine since September 2017; an older Caffe (as many
  // forks are) ignores the setting there.
  const since = layer.type === 'Deconvolution' ? ' (a Deconvolution since BVLC Caffe of September 2017)' : '';
  const message =
    dilated === undefined
      ? `engine: CUDNN runs only in a Caffe built with cuDNN: a CPU-only build, or one without ` +
        `USE_CUDNN, stops as it makes this layer${since} ("Layer ${name} has unknown engine."). Leave ` +
        `the engine out: the default takes cuDNN where Caffe has it, and Caffe's own implementation elsewhere.`
      : `engine: CUDNN with dilation ${dilated} fails in every build of BVLC Caffe: with cuDNN it stops ` +
        `("CuDNN doesn't support the dilated convolution at Layer ${name}"), without it there is no CUDNN ` +
        `engine ("Layer ${name} has unknown engine."). Leave the engine out: the default runs a dilated ` +
        `convolution with Caffe's own implementation.`;
  return {
    severity: dilated === undefined ? 'information' : 'warning',
    code: CUDNN_ENGINE_CODE,
    message,
    start: found.field.start,
    end: found.field.end,
  };
}
