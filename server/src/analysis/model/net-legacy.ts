// Layer type names of the old formats mapped to today's type strings (Caffe's upgrade_proto.cpp).

import { ownEntry } from '../../../../common/tables';
import type { Schema } from '../../schema/schema';
import { V1_LAYER_TYPE_NAMES as V1_TYPES } from '../../schema/v1-layer-types';
import { v1LayerMessage } from './layer-fields';

/** V1 enum numbers, used when no schema is at hand to name them. */
const V1_NUMBERS: Readonly<Record<number, string>> = {
  0: 'NONE',
  1: 'ACCURACY',
  2: 'BNLL',
  3: 'CONCAT',
  4: 'CONVOLUTION',
  5: 'DATA',
  6: 'DROPOUT',
  7: 'EUCLIDEAN_LOSS',
  8: 'FLATTEN',
  9: 'HDF5_DATA',
  10: 'HDF5_OUTPUT',
  11: 'IM2COL',
  12: 'IMAGE_DATA',
  13: 'INFOGAIN_LOSS',
  14: 'INNER_PRODUCT',
  15: 'LRN',
  16: 'MULTINOMIAL_LOGISTIC_LOSS',
  17: 'POOLING',
  18: 'RELU',
  19: 'SIGMOID',
  20: 'SOFTMAX',
  21: 'SOFTMAX_LOSS',
  22: 'SPLIT',
  23: 'TANH',
  24: 'WINDOW_DATA',
  25: 'ELTWISE',
  26: 'POWER',
  27: 'SIGMOID_CROSS_ENTROPY_LOSS',
  28: 'HINGE_LOSS',
  29: 'MEMORY_DATA',
  30: 'ARGMAX',
  31: 'THRESHOLD',
  32: 'DUMMY_DATA',
  33: 'SLICE',
  34: 'MVN',
  35: 'ABSVAL',
  36: 'SILENCE',
  37: 'CONTRASTIVE_LOSS',
  38: 'EXP',
  39: 'DECONVOLUTION',
};

/** V0 type names -> V2 type strings. `padding` has no V2 layer (Caffe folds it into the next layer's pad). */
const V0_TYPES: Readonly<Record<string, string>> = {
  accuracy: 'Accuracy',
  bnll: 'BNLL',
  concat: 'Concat',
  conv: 'Convolution',
  data: 'Data',
  dropout: 'Dropout',
  euclidean_loss: 'EuclideanLoss',
  flatten: 'Flatten',
  hdf5_data: 'HDF5Data',
  hdf5_output: 'HDF5Output',
  im2col: 'Im2col',
  images: 'ImageData',
  infogain_loss: 'InfogainLoss',
  innerproduct: 'InnerProduct',
  lrn: 'LRN',
  multinomial_logistic_loss: 'MultinomialLogisticLoss',
  pool: 'Pooling',
  relu: 'ReLU',
  sigmoid: 'Sigmoid',
  softmax: 'Softmax',
  softmax_loss: 'SoftmaxWithLoss',
  split: 'Split',
  tanh: 'TanH',
  window_data: 'WindowData',
  padding: 'Padding',
};

/** A V1 type (enum name, or its number when `isNumber`) as a V2 type string; unknown names pass through. */
export function layerTypeFromV1(written: string, isNumber: boolean, schema?: Schema): string {
  let name = written;
  if (isNumber) {
    const n = Number(written);
    const fromSchema = schema
      ?.enum(`${v1LayerMessage(schema)}.LayerType`)
      ?.values.find((v) => v.number === n);
    name = fromSchema?.name ?? V1_NUMBERS[n] ?? written;
  }
  return ownEntry(V1_TYPES, name) ?? name;
}

/** The type names Caffe's V0 upgrade knows. */
export const V0_TYPE_NAMES: readonly string[] = Object.keys(V0_TYPES);

/** A V0 type name as a V2 type string; unknown names pass through. */
export function layerTypeFromV0(written: string): string {
  return ownEntry(V0_TYPES, written) ?? written;
}
