// Layer families: the colour groups of the graph, from the layer type.

import type { LayerFamily } from './types';

const GROUPS: Readonly<Partial<Record<LayerFamily, string>>> = {
  data: 'Input Data ImageData HDF5Data HDF5Output MemoryData DummyData WindowData AnnotatedData VideoData',
  conv: 'Convolution Deconvolution InnerProduct Embed DepthwiseConvolution ConvolutionDepthwise Im2col RNN LSTM',
  pool: 'Pooling SPP ROIPooling PSROIPooling ROIAlign Unpooling',
  activation:
    'ReLU PReLU ELU Sigmoid TanH AbsVal BNLL Power Exp Log Threshold Dropout Swish Clip Softmax ArgMax',
  norm: 'BatchNorm LRN MVN Scale Bias Normalize BN BatchReNorm',
  tensor:
    'Concat Slice Split Eltwise Flatten Reshape Permute Crop Tile Reduction Silence Filter BatchReindex Interp ' +
    'PriorBox DetectionOutput Axpy Upsample ShuffleChannel',
  loss:
    'SoftmaxWithLoss EuclideanLoss SigmoidCrossEntropyLoss HingeLoss InfogainLoss MultinomialLogisticLoss ' +
    'ContrastiveLoss SmoothL1Loss MultiBoxLoss Accuracy',
};

const FAMILIES: ReadonlyMap<string, LayerFamily> = new Map(
  Object.entries(GROUPS).flatMap(([family, types]) =>
    (types ?? '').split(' ').map((t) => [t, family as LayerFamily] as const),
  ),
);

/** The family of a layer type; types ending in `Loss` count as losses, others not listed as 'unknown'. */
export function layerFamily(type: string, known: boolean): LayerFamily {
  if (type === 'Python') return 'python';
  const listed = FAMILIES.get(type);
  if (listed !== undefined) return listed;
  if (/Loss$/.test(type)) return 'loss';
  if (/Data$/.test(type)) return 'data';
  return known ? 'tensor' : 'unknown';
}

/** Fill and stroke colours of each family (light fills: the node text is dark). */
export const FAMILY_COLOURS: Readonly<Record<LayerFamily, { fill: string; stroke: string }>> = {
  input: { fill: '#e3f2e1', stroke: '#4e8a47' },
  data: { fill: '#e3f2e1', stroke: '#4e8a47' },
  conv: { fill: '#dde8f7', stroke: '#3d6fb4' },
  pool: { fill: '#e6e0f5', stroke: '#6a52a8' },
  activation: { fill: '#fbe9d7', stroke: '#c07a2c' },
  norm: { fill: '#f3ecc9', stroke: '#9c8a2a' },
  tensor: { fill: '#e8eaed', stroke: '#6b7280' },
  loss: { fill: '#f7dede', stroke: '#b24545' },
  python: { fill: '#fff4c2', stroke: '#3572a5' },
  unknown: { fill: '#ffffff', stroke: '#9aa0a6' },
  missing: { fill: '#ffffff', stroke: '#d93025' },
};
