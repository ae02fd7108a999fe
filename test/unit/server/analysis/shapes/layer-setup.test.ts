// What Caffe's Layer::SetUp checks first: each layer type's bottom and top counts (a loss layer's
// missing top added by Net::Init first, MAX pooling's mask top, one top per bottom for the
// convolutions), reported where the first blob too many is, then Pooling's kernel, pad and stride
// settings; and what the losses' and Accuracy's Reshape checks of their inputs. Each case is checked
// against what caffe.Net refuses, in its words.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../../../server/src/analysis/analyze';
import { parse } from '../../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../../server/src/schema/bundled';
import { assertCaffeRefuses } from '../../../../helpers/pycaffe-nets';
import { has } from '../../../../helpers/resources';

const schema = loadBundledSchema();

const INPUTS = `name: "counts"
layer { name: "in" type: "Input" top: "x" top: "y" top: "label" top: "z" top: "w"
  input_param { shape { dim: 2 dim: 3 dim: 6 dim: 6 } shape { dim: 2 dim: 3 dim: 6 dim: 6 } shape { dim: 2 }
    shape { dim: 2 dim: 3 } shape { dim: 3 dim: 3 } } }
`;

/** A layer making the scalar "s" (every axis of z summed). */
const SCALAR = 'layer { name: "sum" type: "Reduction" bottom: "z" top: "s" reduction_param { axis: 0 } }\n';

interface Case {
  what: string;
  layer: string;
  /** Caffe's own words when it refuses the net; undefined when it builds it. */
  caffe?: string;
  /** The text the diagnostic is placed on (a field's value), when it is not the layer's type. */
  at?: string;
  /** Which occurrence of `at` after the layer's name (1 when not given); placed at its start. */
  nth?: number;
  /** The diagnostic's code, when it is not blob-count. */
  code?: string;
  /** Layers before and after the one under test. */
  before?: string;
  after?: string;
}

const CASES: Case[] = [
  { what: 'ReLU with one bottom', layer: 'type: "ReLU" bottom: "x" top: "r"' },
  {
    what: 'ReLU with two bottoms',
    layer: 'type: "ReLU" bottom: "x" bottom: "y" top: "r"',
    caffe: 'ReLU Layer takes 1 bottom blob(s) as input.',
    at: '"y"',
  },
  {
    what: 'Eltwise with one bottom',
    layer: 'type: "Eltwise" bottom: "x" top: "e"',
    caffe: 'Eltwise Layer takes at least 2 bottom blob(s) as input.',
  },
  { what: 'Eltwise with two bottoms', layer: 'type: "Eltwise" bottom: "x" bottom: "y" top: "e"' },
  {
    what: 'SoftmaxWithLoss with one bottom',
    layer: 'type: "SoftmaxWithLoss" bottom: "z" top: "l"',
    caffe: 'SoftmaxWithLoss Layer takes 2 bottom blob(s) as input.',
  },
  {
    what: 'SoftmaxWithLoss without a top (Net::Init adds it)',
    layer: 'type: "SoftmaxWithLoss" bottom: "z" bottom: "label"',
  },
  {
    what: 'SoftmaxWithLoss with three tops',
    layer: 'type: "SoftmaxWithLoss" bottom: "z" bottom: "label" top: "l" top: "p" top: "q"',
    caffe: 'SoftmaxWithLoss Layer produces at most 2 top blob(s) as output.',
    at: '"q"',
  },
  {
    what: 'Convolution with two bottoms and one top',
    layer:
      'type: "Convolution" bottom: "x" bottom: "y" top: "c" convolution_param { num_output: 2 kernel_size: 1 }',
    caffe: 'Convolution Layer produces one top blob as output for each bottom blob input.',
  },
  {
    what: 'Convolution with two bottoms and two tops',
    layer:
      'type: "Convolution" bottom: "x" bottom: "y" top: "c" top: "d" convolution_param { num_output: 2 kernel_size: 1 }',
  },
  {
    what: 'MAX Pooling with its mask top',
    layer: 'type: "Pooling" bottom: "x" top: "p" top: "mask" pooling_param { kernel_size: 2 }',
  },
  {
    what: 'AVE Pooling with two tops',
    layer: 'type: "Pooling" bottom: "x" top: "p" top: "mask" pooling_param { pool: AVE kernel_size: 2 }',
    caffe: 'Pooling Layer produces at most 1 top blob(s) as output.',
    at: '"mask"',
  },
  {
    what: 'Silence with a top',
    layer: 'type: "Silence" bottom: "x" top: "s"',
    caffe: 'Silence Layer produces 0 top blob(s) as output.',
    at: '"s"',
  },
  {
    what: 'Accuracy without a top',
    layer: 'type: "Accuracy" bottom: "z" bottom: "label"',
    caffe: 'Accuracy Layer produces at least 1 top blob(s) as output.',
  },
  { what: 'Concat of one bottom', layer: 'type: "Concat" bottom: "x" top: "c"' },
  {
    what: 'Split without a top',
    layer: 'type: "Split" bottom: "x"',
    caffe: 'Split Layer produces at least 1 top blob(s) as output.',
  },
  {
    what: 'Scale with three bottoms',
    layer: 'type: "Scale" bottom: "x" bottom: "y" bottom: "label" top: "s"',
    caffe: 'Scale Layer takes at most 2 bottom blob(s) as input.',
    at: '"label"',
  },
  {
    what: 'Input with a bottom',
    layer: 'type: "Input" bottom: "x" top: "i" input_param { shape { dim: 1 } }',
    caffe: 'Input Layer takes 0 bottom blob(s) as input.',
    at: '"x"',
  },
  {
    what: 'global pooling with a kernel size',
    layer:
      'type: "Pooling" bottom: "x" top: "p" pooling_param { pool: AVE global_pooling: true kernel_size: 2 }',
    caffe: 'With Global_pooling: true Filter size cannot specified',
    at: 'kernel_size: 2',
    code: 'shape-invalid',
  },
  {
    what: 'global pooling with a stride',
    layer: 'type: "Pooling" bottom: "x" top: "p" pooling_param { global_pooling: true stride: 2 }',
    caffe: 'With Global_pooling: true; only pad = 0 and stride = 1',
    at: 'stride: 2',
    code: 'shape-invalid',
  },
  {
    what: 'global pooling alone',
    layer: 'type: "Pooling" bottom: "x" top: "p" pooling_param { global_pooling: true }',
  },
  {
    what: 'pooling with kernel_size and kernel_h, kernel_w',
    layer: 'type: "Pooling" bottom: "x" top: "p" pooling_param { kernel_size: 2 kernel_h: 2 kernel_w: 3 }',
    caffe: 'Filter size is kernel_size OR kernel_h and kernel_w; not both',
    at: 'kernel_h: 2',
    code: 'shape-invalid',
  },
  {
    what: 'pooling with kernel_h alone',
    layer: 'type: "Pooling" bottom: "x" top: "p" pooling_param { kernel_h: 2 }',
    caffe: 'Filter size is kernel_size OR kernel_h and kernel_w; not both',
    at: 'kernel_h: 2',
    code: 'shape-invalid',
  },
  {
    // Caffe reads kernel_size and leaves the lone kernel_h unread.
    what: 'pooling with kernel_size and kernel_h alone',
    layer: 'type: "Pooling" bottom: "x" top: "p" pooling_param { kernel_size: 2 kernel_h: 3 }',
  },
  {
    what: 'pooling with pad_h alone',
    layer: 'type: "Pooling" bottom: "x" top: "p" pooling_param { kernel_size: 3 pad_h: 1 }',
    caffe: 'pad is pad OR pad_h and pad_w are required.',
    at: 'pad_h: 1',
    code: 'shape-invalid',
  },
  {
    what: 'pooling with stride and stride_h, stride_w',
    layer:
      'type: "Pooling" bottom: "x" top: "p" pooling_param { kernel_size: 2 stride: 2 stride_h: 1 stride_w: 1 }',
    caffe: 'Stride is stride OR stride_h and stride_w are required.',
    at: 'stride_h: 1',
    code: 'shape-invalid',
  },
  {
    what: 'pooling with kernel_h, kernel_w, pad_h, pad_w',
    layer: 'type: "Pooling" bottom: "x" top: "p" pooling_param { kernel_h: 3 kernel_w: 2 pad_h: 1 pad_w: 1 }',
  },
  {
    what: 'LRN with an even local_size',
    layer: 'type: "LRN" bottom: "x" top: "n" lrn_param { local_size: 4 }',
    caffe: 'LRN only supports odd values for local_size',
    at: 'local_size: 4',
    code: 'shape-invalid',
  },
  { what: 'LRN with local_size 3', layer: 'type: "LRN" bottom: "x" top: "n" lrn_param { local_size: 3 }' },
  {
    what: 'Concat with axis and concat_dim',
    layer: 'type: "Concat" bottom: "x" bottom: "y" top: "c" concat_param { axis: 1 concat_dim: 1 }',
    caffe: 'Either axis or concat_dim should be specified; not both.',
    at: 'concat_dim: 1',
    code: 'shape-invalid',
  },
  {
    what: 'Slice with axis and slice_dim',
    layer:
      'type: "Slice" bottom: "x" top: "s1" top: "s2" slice_param { axis: 1 slice_dim: 1 slice_point: 1 }',
    caffe: 'Either axis or slice_dim should be specified; not both.',
    at: 'slice_dim: 1',
    code: 'shape-invalid',
  },
  {
    what: 'Convolution with kernel_size and kernel_h, kernel_w',
    layer:
      'type: "Convolution" bottom: "x" top: "c" convolution_param { num_output: 2 kernel_size: 3 kernel_h: 3 kernel_w: 1 }',
    caffe: 'Either kernel_size or kernel_h/w should be specified; not both.',
    at: 'kernel_h: 3',
    code: 'shape-invalid',
  },
  {
    what: 'Deconvolution with pad and pad_w',
    layer:
      'type: "Deconvolution" bottom: "x" top: "c" convolution_param { num_output: 2 kernel_size: 3 pad: 1 pad_w: 1 }',
    caffe: 'Either pad or pad_h/w should be specified; not both.',
    at: 'pad_w: 1',
    code: 'shape-invalid',
  },
  {
    what: 'Convolution with stride_h and stride_w',
    layer:
      'type: "Convolution" bottom: "x" top: "c" convolution_param { num_output: 2 kernel_size: 3 stride_h: 2 stride_w: 1 }',
  },
  {
    what: 'SoftmaxWithLoss with a label per prediction',
    layer: 'type: "SoftmaxWithLoss" bottom: "z" bottom: "label" top: "l"',
  },
  {
    what: 'SoftmaxWithLoss of a map with a label per image',
    layer: 'type: "SoftmaxWithLoss" bottom: "x" bottom: "label" top: "l"',
    caffe: 'Number of labels must match number of predictions',
    at: '"label" top',
    code: 'shape-invalid',
  },
  {
    what: 'EuclideanLoss of inputs with different first dimensions',
    layer: 'type: "EuclideanLoss" bottom: "z" bottom: "w" top: "l"',
    caffe: 'The data and label should have the same first dimension.',
    at: '"w"',
    code: 'shape-invalid',
  },
  { what: 'EuclideanLoss of inputs alike', layer: 'type: "EuclideanLoss" bottom: "x" bottom: "y" top: "l"' },
  {
    what: 'EuclideanLoss of inputs of different sizes',
    layer: 'type: "EuclideanLoss" bottom: "x" bottom: "z" top: "l"',
    caffe: 'Inputs must have the same dimension.',
    at: '"z"',
    code: 'shape-invalid',
  },
  {
    what: 'SigmoidCrossEntropyLoss of inputs of different counts',
    layer: 'type: "SigmoidCrossEntropyLoss" bottom: "z" bottom: "label" top: "l"',
    caffe: 'SIGMOID_CROSS_ENTROPY_LOSS layer inputs must have the same count.',
    at: '"label"',
    code: 'shape-invalid',
  },
  {
    what: 'Accuracy with top_k above the classes',
    layer: 'type: "Accuracy" bottom: "z" bottom: "label" top: "a" accuracy_param { top_k: 5 }',
    caffe: 'top_k must be less than or equal to the number of classes.',
    at: 'top_k: 5',
    code: 'shape-invalid',
  },
  {
    what: 'Accuracy of a map with a label per image',
    layer: 'type: "Accuracy" bottom: "x" bottom: "label" top: "a"',
    caffe: 'Number of labels must match number of predictions',
    at: '"label" top',
    code: 'shape-invalid',
  },
  // ScaleLayer/BiasLayer::Reshape: a second bottom laid over the first from `axis` on.
  {
    what: 'Scale by a second bottom that fits from axis 0',
    layer: 'type: "Scale" bottom: "x" bottom: "z" top: "s" scale_param { axis: 0 }',
  },
  {
    what: 'Scale by a second bottom that differs',
    layer: 'type: "Scale" bottom: "x" bottom: "w" top: "s"',
    caffe: 'dimension mismatch between bottom[0]->shape(2) and scale->shape(1)',
    at: '"w"',
    code: 'shape-invalid',
  },
  {
    what: 'Scale by a second bottom with more axes than the first',
    layer: 'type: "Scale" bottom: "z" bottom: "x" top: "s"',
    caffe: "scale blob's shape extends past bottom[0]'s shape when applied starting with bottom[0] axis = 1",
    at: '"x"',
    code: 'shape-invalid',
  },
  {
    what: 'Bias by a second bottom that differs',
    layer: 'type: "Bias" bottom: "x" bottom: "w" top: "s"',
    caffe: 'dimension mismatch between bottom[0]->shape(2) and bias->shape(1)',
    at: '"w"',
    code: 'shape-invalid',
  },
  {
    what: 'Accuracy of 1-axis predictions (no class axis)',
    layer: 'type: "Accuracy" bottom: "label" bottom: "label" top: "a"',
    caffe: 'axis 1 out of range for 1-D Blob',
    at: '"label"',
    code: 'shape-invalid',
  },
  // A scalar (a blob of no axes, as a loss gives; here a Reduction over every axis) as an input.
  {
    what: 'EuclideanLoss of a scalar',
    before: SCALAR,
    layer: 'type: "EuclideanLoss" bottom: "s" bottom: "label"',
    caffe: 'axis 0 out of range for 0-D Blob',
    at: '"s"',
    code: 'shape-invalid',
  },
  {
    what: 'SoftmaxWithLoss of scalar predictions',
    before: SCALAR,
    layer: 'type: "SoftmaxWithLoss" bottom: "s" bottom: "label"',
    caffe: 'axis 1 out of range for 0-D Blob',
    at: '"s"',
    code: 'shape-invalid',
  },
  {
    what: 'SoftmaxWithLoss of a scalar label',
    before: SCALAR,
    layer: 'type: "SoftmaxWithLoss" bottom: "z" bottom: "s"',
    caffe: 'axis 0 out of range for 0-D Blob',
    at: '"s"',
    code: 'shape-invalid',
  },
  {
    what: 'Accuracy of scalar predictions for two labels',
    before: SCALAR,
    layer: 'type: "Accuracy" bottom: "s" bottom: "label" top: "a"',
    caffe: 'top_k must be less than or equal to the number of classes.',
    at: '"s"',
    code: 'shape-invalid',
  },
  {
    what: 'SoftmaxWithLoss of 1-axis predictions (no class axis)',
    layer: 'type: "SoftmaxWithLoss" bottom: "label" bottom: "label" top: "l"',
    caffe: 'axis 1 out of range for 1-D Blob',
    at: '"label"',
    code: 'shape-invalid',
  },
  {
    what: 'Accuracy with top_k 3 of 3 classes',
    layer: 'type: "Accuracy" bottom: "z" bottom: "label" top: "a" accuracy_param { top_k: 3 }',
  },
  // Net::Init, once a layer is set up: one `param { }` per parameter blob at most.
  {
    what: 'Convolution without bias given two param blocks',
    layer:
      'type: "Convolution" bottom: "x" top: "c" param { lr_mult: 1 } param { lr_mult: 2 } ' +
      'convolution_param { num_output: 2 kernel_size: 3 bias_term: false }',
    caffe: 'Too many params specified for layer under_test',
    at: 'param {',
    nth: 2,
    code: 'param-count',
  },
  {
    what: 'Convolution with bias given two param blocks',
    layer:
      'type: "Convolution" bottom: "x" top: "c" param { lr_mult: 1 } param { lr_mult: 2 } ' +
      'convolution_param { num_output: 2 kernel_size: 3 }',
  },
  {
    what: 'ReLU given a param block',
    layer: 'type: "ReLU" bottom: "x" top: "r" param { lr_mult: 0 }',
    caffe: 'Too many params specified for layer under_test',
    at: 'param {',
    code: 'param-count',
  },
  {
    what: 'Scale taking its scale from a second bottom, given a param block',
    layer: 'type: "Scale" bottom: "x" bottom: "y" top: "s" param { lr_mult: 1 } scale_param { axis: 0 }',
    caffe: 'Too many params specified for layer under_test',
    at: 'param {',
    code: 'param-count',
  },
  {
    what: 'Parameter given one param block',
    layer: 'type: "Parameter" top: "p" param { lr_mult: 1 } parameter_param { shape { dim: 3 } }',
  },
  {
    what: 'Parameter given two param blocks',
    layer:
      'type: "Parameter" top: "p" param { lr_mult: 1 } param { lr_mult: 1 } parameter_param { shape { dim: 3 } }',
    caffe: 'Too many params specified for layer under_test',
    at: 'param {',
    nth: 2,
    code: 'param-count',
  },
  {
    what: 'BatchNorm with its three statistics frozen',
    layer:
      'type: "BatchNorm" bottom: "x" top: "b" param { lr_mult: 0 } param { lr_mult: 0 } param { lr_mult: 0 }',
  },
  {
    what: 'BatchNorm with one spec (Caffe adds the others)',
    layer: 'type: "BatchNorm" bottom: "x" top: "b" param { lr_mult: 0 decay_mult: 0 }',
  },
  {
    what: 'BatchNorm given a learning rate for its variance',
    layer: 'type: "BatchNorm" bottom: "x" top: "b" param { lr_mult: 0 } param { lr_mult: 1 }',
    caffe: 'Cannot configure batch normalization statistics as layer parameters.',
    at: 'lr_mult: 1',
    code: 'shape-invalid',
  },
  {
    what: "BatchNorm given three learning rates (the older form, whose rates Caffe's upgrade zeroes)",
    layer:
      'type: "BatchNorm" bottom: "x" top: "b" param { lr_mult: 1 } param { lr_mult: 1 } param { lr_mult: 1 }',
  },
  {
    what: 'BatchNorm given a spec without lr_mult (whose default is 1)',
    layer: 'type: "BatchNorm" bottom: "x" top: "b" param { decay_mult: 0 }',
    caffe: 'Cannot configure batch normalization statistics as layer parameters.',
    at: 'param {',
    code: 'shape-invalid',
  },
  {
    what: 'BatchNorm given four specs',
    layer:
      'type: "BatchNorm" bottom: "x" top: "b" param { lr_mult: 0 } param { lr_mult: 0 } param { lr_mult: 0 } ' +
      'param { lr_mult: 0 decay_mult: 1 }',
    caffe: 'Too many params specified for layer under_test',
    at: 'param {',
    nth: 4,
    code: 'param-count',
  },
  // Settings written once per blob, for any layer type: checked before (propagate_down) and after
  // (loss_weight) the layer's own set-up.
  {
    what: 'one propagate_down for two bottoms',
    layer: 'type: "Eltwise" bottom: "x" bottom: "y" top: "e" propagate_down: true',
    caffe: 'propagate_down param must be specified either 0 or bottom_size times',
    at: 'propagate_down',
  },
  {
    what: 'propagate_down for each bottom, as a list',
    layer: 'type: "Eltwise" bottom: "x" bottom: "y" top: "e" propagate_down: [true, false]',
  },
  {
    what: 'three propagate_down for two bottoms',
    layer:
      'type: "Eltwise" bottom: "x" bottom: "y" top: "e" propagate_down: true propagate_down: true propagate_down: false',
    caffe: 'propagate_down param must be specified either 0 or bottom_size times',
    at: 'propagate_down',
    nth: 3,
  },
  {
    what: 'two loss weights for the one top Caffe adds to a loss',
    layer: 'type: "SoftmaxWithLoss" bottom: "z" bottom: "label" loss_weight: 1 loss_weight: 0.5',
    caffe: 'loss_weight must be unspecified or specified once per top blob.',
    at: 'loss_weight',
    nth: 2,
  },
  {
    what: 'one loss weight for the top Caffe adds to a loss',
    layer: 'type: "SoftmaxWithLoss" bottom: "z" bottom: "label" loss_weight: 0.5',
  },
  {
    what: 'a loss with its probabilities as a second top and no loss weight',
    layer: 'type: "SoftmaxWithLoss" bottom: "z" bottom: "label" top: "loss" top: "prob"',
    caffe: 'loss_weight must be unspecified or specified once per top blob.',
    at: '"prob"',
  },
  {
    // BVLC's SoftmaxWithLoss gives its weights to the Softmax it makes inside, which has one top.
    what: 'a loss with its probabilities as a second top, weighed 1 and 0',
    layer:
      'type: "SoftmaxWithLoss" bottom: "z" bottom: "label" top: "loss" top: "prob" loss_weight: 1 loss_weight: 0',
    caffe: 'loss_weight must be unspecified or specified once per top blob.',
    at: 'loss_weight',
    nth: 2,
  },
  {
    // insert_splits.cpp: a weighed top that another layer reads gets a Split layer, which takes the
    // weight over, and the layer's own weights are cleared before it is made.
    what: 'two loss weights for one top that a later layer reads',
    layer: 'type: "ReLU" bottom: "x" top: "r" loss_weight: 2 loss_weight: 1',
    after: 'layer { name: "next" type: "ReLU" bottom: "r" top: "n" }\n',
  },
  {
    what: 'two loss weights for one top that a later layer reads, the first weight 0',
    layer: 'type: "ReLU" bottom: "x" top: "r" loss_weight: 0 loss_weight: 1',
    after: 'layer { name: "next" type: "ReLU" bottom: "r" top: "n" }\n',
    caffe: 'loss_weight must be unspecified or specified once per top blob.',
    at: 'loss_weight',
    nth: 2,
  },
  {
    what: 'a loss weighed 2',
    layer: 'type: "SoftmaxWithLoss" bottom: "z" bottom: "label" top: "loss" loss_weight: 2',
  },
  {
    // InfogainLoss clears the weights of its inner Softmax.
    what: 'an InfogainLoss with its probabilities as a second top, weighed 1 and 0',
    layer:
      'type: "InfogainLoss" bottom: "z" bottom: "label" bottom: "w" top: "loss" top: "prob" loss_weight: 1 loss_weight: 0',
  },
  {
    what: 'an InfogainLoss with its probabilities as a second top and no loss weight',
    layer: 'type: "InfogainLoss" bottom: "z" bottom: "label" bottom: "w" top: "loss" top: "prob"',
    caffe: 'loss_weight must be unspecified or specified once per top blob.',
    at: '"prob"',
  },
  {
    what: 'a loss weight on each of two Slice tops',
    layer: 'type: "Slice" bottom: "x" top: "s1" top: "s2" slice_param { axis: 0 } loss_weight: [0, 1]',
  },
  {
    what: 'a loss weight for one of two Slice tops',
    layer: 'type: "Slice" bottom: "x" top: "s1" top: "s2" slice_param { axis: 0 } loss_weight: 1',
    caffe: 'loss_weight must be unspecified or specified once per top blob.',
    at: 'loss_weight',
  },
  {
    what: 'include and exclude rules on one layer',
    layer: 'type: "ReLU" bottom: "x" top: "r" include { phase: TRAIN } exclude { stage: "deploy" }',
    caffe: 'Specify either include rules or exclude rules; not both.',
    at: 'exclude',
    code: 'include-exclude',
  },
  // Single settings some types' set-up refuses.
  {
    what: 'Flatten in place',
    layer: 'type: "Flatten" bottom: "x" top: "x"',
    caffe: 'Flatten Layer does not allow in-place computation.',
    at: '"x"',
    nth: 2,
    code: 'shape-invalid',
  },
  {
    what: 'Reshape in place',
    layer: 'type: "Reshape" bottom: "x" top: "x" reshape_param { shape { dim: 0 dim: -1 } }',
    caffe: 'Reshape Layer does not allow in-place computation.',
    at: '"x"',
    nth: 2,
    code: 'shape-invalid',
  },
  {
    what: 'AbsVal in place',
    layer: 'type: "AbsVal" bottom: "x" top: "x"',
    caffe: 'AbsVal Layer does not allow in-place computation.',
    at: '"x"',
    nth: 2,
    code: 'shape-invalid',
  },
  { what: 'AbsVal to a top of its own', layer: 'type: "AbsVal" bottom: "x" top: "a"' },
  {
    what: 'Tile without tiles',
    layer: 'type: "Tile" bottom: "x" top: "t" tile_param { axis: 1 }',
    caffe: 'Number of tiles must be specified',
    at: 'tile_param',
    code: 'shape-invalid',
  },
  {
    what: 'Tile of 0 tiles',
    layer: 'type: "Tile" bottom: "x" top: "t" tile_param { tiles: 0 }',
    caffe: 'Number of tiles must be positive.',
    at: 'tiles: 0',
    code: 'shape-invalid',
  },
  { what: 'Tile of 2 tiles', layer: 'type: "Tile" bottom: "x" top: "t" tile_param { tiles: 2 }' },
  {
    what: 'Log of a negative base',
    layer: 'type: "Log" bottom: "x" top: "l" log_param { base: -2 }',
    caffe: 'base must be strictly positive.',
    at: 'base: -2',
    code: 'shape-invalid',
  },
  { what: 'Exp of base 2', layer: 'type: "Exp" bottom: "x" top: "e" exp_param { base: 2 }' },
  {
    what: 'HDF5Data given a transform_param',
    layer:
      'type: "HDF5Data" top: "d" hdf5_data_param { source: "list.txt" batch_size: 2 } transform_param { scale: 0.5 }',
    caffe: 'HDF5Data does not transform data.',
    at: 'transform_param',
    code: 'shape-invalid',
  },
  {
    what: 'ArgMax of top_k 0',
    layer: 'type: "ArgMax" bottom: "x" top: "a" argmax_param { top_k: 0 }',
    caffe: 'top k must not be less than 1.',
    at: 'top_k: 0',
    code: 'shape-invalid',
  },
  {
    what: 'Embed without input_dim',
    layer: 'type: "Embed" bottom: "label" top: "e" embed_param { num_output: 4 }',
    caffe: 'EmbedLayer input_dim must be positive.',
    at: 'embed_param',
    code: 'shape-invalid',
  },
  {
    what: 'Convolution without num_output',
    layer: 'type: "Convolution" bottom: "x" top: "c" convolution_param { kernel_size: 3 }',
    caffe: 'Check failed: num_output_ > 0',
    at: 'convolution_param',
    code: 'shape-invalid',
  },
  {
    what: 'Deconvolution of num_output 0',
    layer: 'type: "Deconvolution" bottom: "x" top: "c" convolution_param { num_output: 0 kernel_size: 3 }',
    caffe: 'Check failed: num_output_ > 0',
    at: 'num_output: 0',
    code: 'shape-invalid',
  },
  {
    what: 'InnerProduct without num_output',
    layer:
      'type: "InnerProduct" bottom: "x" top: "f" inner_product_param { weight_filler { type: "xavier" } }',
    caffe: 'Check failed: blob->count()',
    at: 'inner_product_param',
    code: 'shape-invalid',
  },
  {
    what: 'Embed of 10 words',
    layer: 'type: "Embed" bottom: "label" top: "e" embed_param { num_output: 4 input_dim: 10 }',
  },
  {
    what: 'MemoryData without height',
    layer: 'type: "MemoryData" top: "m" top: "ml" memory_data_param { batch_size: 2 channels: 3 width: 4 }',
    caffe: 'batch_size, channels, height, and width must be specified and positive in memory_data_param',
    at: 'memory_data_param',
    code: 'shape-invalid',
  },
  {
    what: 'ArgMax of top_k 4 over 3 channels',
    layer: 'type: "ArgMax" bottom: "x" top: "a" argmax_param { top_k: 4 axis: 1 }',
    caffe: 'top_k must be less than or equal to the dimension of the axis.',
    at: 'top_k: 4',
    code: 'shape-invalid',
  },
  {
    what: 'ArgMax of top_k 3 over 3 channels',
    layer: 'type: "ArgMax" bottom: "x" top: "a" argmax_param { top_k: 3 axis: 1 }',
  },
  {
    what: 'ArgMax of top_k 200 over 108 values per item',
    layer: 'type: "ArgMax" bottom: "x" top: "a" argmax_param { top_k: 200 }',
    caffe: 'top_k must be less than or equal to the dimension of the flattened bottom blob per instance.',
    at: 'top_k: 200',
    code: 'shape-invalid',
  },
  // Crop: data cut to the reference's size from axis on.
  { what: 'Crop to a reference of the same size', layer: 'type: "Crop" bottom: "x" bottom: "y" top: "c"' },
  {
    what: 'Crop with three offsets for two axes',
    layer:
      'type: "Crop" bottom: "x" bottom: "y" top: "c" crop_param { axis: 2 offset: 0 offset: 0 offset: 1 }',
    caffe: 'number of offset values specified must be equal to the number of dimensions following axis.',
    at: 'offset: 1',
    code: 'shape-invalid',
  },
  {
    what: 'Crop to a reference of fewer axes',
    layer: 'type: "Crop" bottom: "x" bottom: "z" top: "c" crop_param { axis: 1 }',
    caffe: 'axis 2 out of range for 2-D Blob',
    at: '"z"',
    code: 'shape-invalid',
  },
  {
    what: 'Crop from an axis the input lacks',
    layer: 'type: "Crop" bottom: "x" bottom: "y" top: "c" crop_param { axis: 4 }',
    caffe: 'axis 4 out of range for 4-D Blob',
    at: 'axis: 4',
    code: 'shape-invalid',
  },
  {
    what: 'Crop past the input from an offset',
    layer: 'type: "Crop" bottom: "x" bottom: "y" top: "c" crop_param { axis: 2 offset: 1 }',
    caffe: 'the crop for dimension 2 is out-of-bounds with size 6 and offset 1',
    at: 'offset: 1',
    code: 'crop-out-of-bounds',
  },
  {
    what: 'Eltwise with three coeff for two bottoms',
    layer: 'type: "Eltwise" bottom: "x" bottom: "y" top: "e" eltwise_param { coeff: 1 coeff: -1 coeff: 2 }',
    caffe: 'Eltwise Layer takes one coefficient per bottom blob.',
    at: 'coeff: 2',
    code: 'shape-invalid',
  },
  {
    what: 'Eltwise product with coeff',
    layer:
      'type: "Eltwise" bottom: "x" bottom: "y" top: "e" eltwise_param { operation: PROD coeff: 1 coeff: 2 }',
    caffe: 'Eltwise layer only takes coefficients for summation.',
    at: 'coeff: 2',
    code: 'shape-invalid',
  },
  {
    what: 'Eltwise difference (a sum with coeff 1 and -1)',
    layer: 'type: "Eltwise" bottom: "x" bottom: "y" top: "e" eltwise_param { coeff: 1 coeff: -1 }',
  },
  {
    what: 'Eltwise max with coeff (its set-up lets them through)',
    layer:
      'type: "Eltwise" bottom: "x" bottom: "y" top: "e" eltwise_param { operation: MAX coeff: 1 coeff: 1 }',
  },
  {
    what: 'MemoryData given a mean file and mean values',
    layer:
      'type: "MemoryData" top: "m" top: "ml" memory_data_param { batch_size: 2 channels: 3 height: 4 width: 4 } ' +
      'transform_param { mean_file: "mean.binaryproto" mean_value: 104 }',
    caffe: 'Cannot specify mean_file and mean_value at the same time',
    at: 'mean_value: 104',
    code: 'shape-invalid',
  },
  {
    what: 'MemoryData given mean values',
    layer:
      'type: "MemoryData" top: "m" top: "ml" memory_data_param { batch_size: 2 channels: 3 height: 4 width: 4 } ' +
      'transform_param { mean_value: 104 mean_value: 117 mean_value: 123 }',
  },
  // Reshape refusals of layers that keep their bottom's shape (z is 2×3, label 2).
  {
    what: 'LRN of a 2-axis input',
    layer: 'type: "LRN" bottom: "z" top: "n"',
    caffe: 'Input must have 4 axes, corresponding to (num, channels, height, width)',
    code: 'shape-mismatch',
    at: '"z"',
  },
  { what: 'Softmax over axis 1 of a 2-axis input', layer: 'type: "Softmax" bottom: "z" top: "s"' },
  {
    what: 'Softmax over axis 2 of a 2-axis input',
    layer: 'type: "Softmax" bottom: "z" top: "s" softmax_param { axis: 2 }',
    caffe: 'axis 2 out of range for 2-D Blob',
    at: 'axis: 2',
    code: 'shape-invalid',
  },
  {
    what: 'PReLU of a 1-axis input',
    layer: 'type: "PReLU" bottom: "label" top: "p"',
    caffe: 'Number of axes of bottom blob must be >=2.',
    at: '"label"',
    code: 'shape-mismatch',
  },
  { what: 'PReLU of a 2-axis input', layer: 'type: "PReLU" bottom: "z" top: "p"' },
  // DummyData: fillers and shapes once, or once per top.
  {
    what: 'DummyData of one shape for two tops',
    layer: 'type: "DummyData" top: "d" top: "e" dummy_data_param { shape { dim: 2 dim: 3 } }',
  },
  {
    what: 'DummyData of two shapes for three tops',
    layer:
      'type: "DummyData" top: "d" top: "e" top: "f" dummy_data_param { shape { dim: 2 } shape { dim: 3 } }',
    caffe: "Must specify 'shape' once, or once per top blob (3); specified 2.",
    at: 'shape {',
    nth: 2,
    code: 'shape-invalid',
  },
  {
    what: 'DummyData without a shape',
    layer: 'type: "DummyData" top: "d" dummy_data_param { data_filler { type: "constant" } }',
    caffe: "Must specify 'shape' once, or once per top blob (1); specified 0.",
    at: 'dummy_data_param',
    code: 'shape-invalid',
  },
  {
    what: 'DummyData of two fillers for three tops',
    layer:
      'type: "DummyData" top: "d" top: "e" top: "f" dummy_data_param { shape { dim: 2 } ' +
      'data_filler { type: "constant" } data_filler { type: "gaussian" } }',
    caffe:
      'Number of data fillers must be 0, 1 or equal to the number of tops: 3; you specified 2 data fillers.',
    at: 'data_filler {',
    nth: 2,
    code: 'shape-invalid',
  },
  {
    what: 'DummyData of legacy sizes without height',
    layer: 'type: "DummyData" top: "d" dummy_data_param { num: 2 channels: 3 width: 4 }',
    caffe: "Must specify 'height' once, or once per top blob (1); specified 0.",
    at: 'dummy_data_param',
    code: 'shape-invalid',
  },
  {
    what: 'DummyData of a shape and legacy sizes',
    layer:
      'type: "DummyData" top: "d" dummy_data_param { num: 2 channels: 3 height: 4 width: 4 shape { dim: 2 } }',
    caffe: 'Both shape and legacy fields were specified',
    at: 'shape {',
    code: 'shape-invalid',
  },
  {
    what: 'Input of two shapes for three tops',
    layer: 'type: "Input" top: "i" top: "j" top: "k" input_param { shape { dim: 2 } shape { dim: 3 } }',
    caffe: "Must specify 'shape' once, once per top blob, or not at all: 3 tops vs. 2 shapes.",
    at: 'shape {',
    nth: 2,
    code: 'shape-invalid',
  },
  {
    what: 'Input of one shape for two tops',
    layer: 'type: "Input" top: "i" top: "j" input_param { shape { dim: 2 } }',
  },
  // Loss inputs (z is 2×3, w 3×3, label 2).
  {
    what: 'MultinomialLogisticLoss of class indices',
    layer: 'type: "MultinomialLogisticLoss" bottom: "z" bottom: "label"',
  },
  {
    what: 'MultinomialLogisticLoss of one-hot labels',
    layer: 'type: "MultinomialLogisticLoss" bottom: "z" bottom: "z"',
    caffe: 'Check failed: bottom[1]->channels() == 1',
    at: '"z"',
    nth: 2,
    code: 'shape-invalid',
  },
  {
    what: 'ContrastiveLoss of two feature vectors',
    layer: 'type: "ContrastiveLoss" bottom: "z" bottom: "z" bottom: "label"',
  },
  {
    what: 'ContrastiveLoss of feature maps',
    layer: 'type: "ContrastiveLoss" bottom: "x" bottom: "y" bottom: "label"',
    caffe: 'Check failed: bottom[0]->height() == 1',
    at: '"x"',
    code: 'shape-invalid',
  },
  {
    what: 'ContrastiveLoss of features of different first dimensions',
    layer: 'type: "ContrastiveLoss" bottom: "z" bottom: "w" bottom: "label"',
    caffe: 'The data and label should have the same first dimension.',
    at: '"w"',
    code: 'shape-invalid',
  },
  {
    what: 'InfogainLoss without its matrix',
    layer: 'type: "InfogainLoss" bottom: "z" bottom: "label"',
    caffe: 'Infogain matrix source must be specified.',
    code: 'shape-invalid',
  },
  {
    what: 'InfogainLoss with loss_param.normalize',
    layer: 'type: "InfogainLoss" bottom: "z" bottom: "label" bottom: "w" loss_param { normalize: true }',
    caffe: 'normalize is deprecated. use "normalization"',
    at: 'normalize: true',
    code: 'shape-invalid',
  },
  {
    what: 'InfogainLoss with its matrix as a bottom',
    layer: 'type: "InfogainLoss" bottom: "z" bottom: "label" bottom: "w"',
  },
  {
    what: 'InfogainLoss of more labels than predictions',
    layer: 'type: "InfogainLoss" bottom: "z" bottom: "z" bottom: "w"',
    caffe: 'Number of labels must match number of predictions; e.g., if infogain axis == 1',
    at: '"z"',
    nth: 2,
    code: 'shape-invalid',
  },
];

function netOf(c: Case): string {
  return `${INPUTS}${c.before ?? ''}layer { name: "under_test" ${c.layer} }\n${c.after ?? ''}`;
}

function countProblems(text: string, codes = ['blob-count']) {
  return analyze(text, parse(text), { schema, schemaKind: 'bundled' }).diagnostics.filter((d) =>
    codes.includes(d.code ?? ''),
  );
}

for (const c of CASES) {
  test(`${c.what}: ${c.caffe ? "an error in Caffe's words" : 'no problem'}`, () => {
    const text = netOf(c);
    const problems = countProblems(text, [
      'blob-count',
      'shape-invalid',
      'param-count',
      'include-exclude',
      'crop-out-of-bounds',
      'shape-mismatch',
    ]);
    if (c.caffe === undefined) {
      assert.deepEqual(problems, []);
      return;
    }
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.equal(problems[0].severity, 'error');
    assert.equal(problems[0].code, c.code ?? 'blob-count');
    assert.ok(problems[0].message.includes(`("${c.caffe}`), problems[0].message);
    const layerAt = text.indexOf('under_test');
    // On the layer's type, on the value of the field `at` names, or on the `nth` text `at`.
    const field =
      c.at === undefined
        ? 'type: '
        : c.at.includes(': ') && !c.nth
          ? c.at.slice(0, c.at.indexOf(': ') + 2)
          : '';
    let at = text.indexOf(c.at ?? field, layerAt) + field.length;
    for (let n = 1; n < (c.nth ?? 1); n++) at = text.indexOf(c.at as string, at + 1);
    assert.equal(problems[0].start, at, `placed at ${text.slice(problems[0].start, problems[0].end)}`);
  });
}

test('recurrent layers: two or three bottoms, two more with expose_hidden for LSTM (one for RNN)', () => {
  const lstm = (bottoms: string, extra = '') =>
    countProblems(
      `${INPUTS}layer { name: "l" type: "LSTM" ${bottoms} top: "h" recurrent_param { num_output: 4 ${extra} } }\n`,
    ).map((d) => d.message.replace(/:.*/, ''));
  assert.deepEqual(lstm('bottom: "x"'), ['LSTM takes at least 2 bottoms, this layer has 1 bottom']);
  assert.deepEqual(lstm('bottom: "x" bottom: "label"'), []);
  assert.deepEqual(lstm('bottom: "x" bottom: "label"', 'expose_hidden: true'), [
    'LSTM takes at least 4 bottoms, this layer has 2 bottoms',
  ]);
});

test("types whose counts are not known here (a fork's, a plugin's, Python) are not judged", () => {
  for (const type of ['Python', 'Interp', 'MyPluginLayer'])
    assert.deepEqual(
      countProblems(`${INPUTS}layer { name: "u" type: "${type}" bottom: "x" bottom: "y" bottom: "label" }\n`),
      [],
    );
});

test('caffe.Net refuses exactly the nets reported here, with the same words', (t) => {
  if (!has(t, 'pycaffe')) return;
  assertCaffeRefuses(CASES, netOf);
});

test('a bottom or top written without a value is a syntax error, not also a count', () => {
  for (const layer of ['type: "Eltwise" top: "e" bottom: "x" bottom:', 'type: "ReLU" bottom: "x" top:'])
    assert.deepEqual(countProblems(`${INPUTS}layer { name: "u" ${layer} }\n`, ['blob-count']), [], layer);
  // The same layers with the value missing altogether are judged.
  assert.equal(
    countProblems(`${INPUTS}layer { name: "u" type: "Eltwise" bottom: "x" top: "e" }\n`).length,
    1,
  );
});

test("a layer with parameters BVLC lacks is a fork's: its counts and settings are not judged by BVLC's", () => {
  // As Intel's concat_param { per_fla_fuse } makes a Concat Intel's: an unknown field is the one error.
  const fork = `${INPUTS}layer { name: "u" type: "Eltwise" bottom: "x" top: "e" eltwise_param { fork_only: 1 } }\n`;
  assert.deepEqual(countProblems(fork, ['blob-count', 'shape-invalid']), []);
});

// ImageData is registered only in a Caffe built with OpenCV (the pycaffe of these tests is not): its
// cases follow ImageDataLayer::DataLayerSetUp's CHECKs, the resize first, the batch size after.
test('ImageData: new_height and new_width together or neither, and a positive batch size', () => {
  const image = (param: string) =>
    `${INPUTS}layer { name: "img" type: "ImageData" top: "d" top: "l" image_data_param { source: "list.txt" ${param} } }\n`;
  const said = (param: string) => {
    const text = image(param);
    return countProblems(text, ['shape-invalid']).map((d) => [
      text.slice(d.start, d.end),
      d.message.replace(/^.*\("|"\)$/g, ''),
    ]);
  };
  const pair = 'Current implementation requires new_height and new_width to be set at the same time.';
  assert.deepEqual(said('new_height: 256'), [['256', pair]]);
  assert.deepEqual(said('new_width: 224 batch_size: 0'), [['224', pair]]);
  assert.deepEqual(said('new_height: 256 new_width: 224 batch_size: 0'), [
    ['0', 'Positive batch size required'],
  ]);
  assert.deepEqual(said('new_height: 0 new_width: 0 batch_size: 8'), []);
  assert.deepEqual(said('new_height: 256 new_width: 224'), []);
  assert.deepEqual(said(''), []);
  // A V1 layer and a V0 one ("images", flat sizes) are upgraded to the same layer first.
  const v1 = `name: "v1"\nlayers { name: "img" type: IMAGE_DATA top: "d" top: "l" image_data_param { source: "list.txt" new_height: 256 } }\n`;
  assert.equal(countProblems(v1, ['shape-invalid']).length, 1);
  const v0 = `name: "v0"\nlayers { layer { name: "img" type: "images" source: "list.txt" batchsize: 0 } top: "d" top: "l" }\n`;
  assert.deepEqual(
    countProblems(v0, ['shape-invalid']).map((d) => d.message.replace(/^.*\("|"\)$/g, '')),
    ['Positive batch size required'],
  );
});

test('loss weights of a layer without tops: the top Caffe adds is counted where the type says it adds one', () => {
  const found = (layer: string, schemaKind: 'user' | 'bundled' = 'user') => {
    const text = `${INPUTS}layer { name: "t" ${layer} }\n`;
    const analysis = analyze(text, parse(text), { schema, schemaKind });
    return analysis.diagnostics.filter((d) => d.code === 'blob-count');
  };
  // A type nothing here knows may be a loss layer: one weight is right for one, so not certain.
  const unknown = found('type: "MyCrossEntropyLoss" bottom: "z" bottom: "label" loss_weight: 20');
  assert.equal(unknown.length, 1);
  assert.equal(unknown[0].severity, 'warning');
  assert.match(unknown[0].message, /unless MyCrossEntropyLoss is a loss layer: Caffe adds the one top/);
  // Two weights are too many whatever it is.
  const two = found('type: "MyCrossEntropyLoss" bottom: "z" bottom: "label" loss_weight: 20 loss_weight: 1');
  assert.equal(two[0]?.severity, 'error');
  // PythonLayer is no loss layer: Caffe adds no top, and the weight has none to go to.
  const python = found(
    'type: "Python" bottom: "z" bottom: "label" loss_weight: 1 python_param { module: "m" layer: "L" }',
  );
  assert.equal(python[0]?.severity, 'error');
  // A known fork's loss layer gets its top as BVLC's do.
  assert.deepEqual(found('type: "SmoothL1Loss" bottom: "z" bottom: "z" loss_weight: 1', 'bundled'), []);
});
