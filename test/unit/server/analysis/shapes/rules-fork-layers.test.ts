import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNet } from '../../../../../server/src/analysis/model/net';
import { inferShapes } from '../../../../../server/src/analysis/shapes';
import { loadBundledFork, loadBundledSchema } from '../../../../../server/src/schema/bundled';
import type { Schema } from '../../../../../server/src/schema/schema';
import { bvlcWith } from '../../../../helpers/schema-additions';
import { loadParser } from './test-parse';

const parsed = loadParser();

async function run(text: string, schema: Schema = loadBundledSchema()) {
  const result = inferShapes(buildNet((await parsed)(text), schema), 'TRAIN', schema);
  return {
    top: (name: string) => result.blobs.get(name),
    layer: (name: string) => result.layers.find((l) => l.layer.name === name),
    messages: result.problems.map((p) => p.message),
  };
}

/** SE-ResNet-50's first squeeze-and-excitation block, as hujie-frank/SENet writes it. */
const SE = `input: "x" input_shape { dim: 2 dim: 256 dim: 56 dim: 56 }
input: "shortcut" input_shape { dim: 2 dim: 256 dim: 56 dim: 56 }
layer { name: "squeeze" type: "Pooling" bottom: "x" top: "squeeze" pooling_param { pool: AVE global_pooling: true } }
layer { name: "down" type: "Convolution" bottom: "squeeze" top: "down" convolution_param { num_output: 16 kernel_size: 1 } }
layer { name: "up" type: "Convolution" bottom: "down" top: "up" convolution_param { num_output: 256 kernel_size: 1 } }
layer { name: "prob" type: "Sigmoid" bottom: "up" top: "up" }
layer { name: "scale" type: "Axpy" bottom: "up" bottom: "x" bottom: "shortcut" top: "out" }
`;

test("SENet's Axpy: the input's shape, one multiply-add per element, and its CHECKs", async () => {
  const { top, layer, messages } = await run(SE);
  assert.deepEqual(messages, []);
  assert.deepEqual(top('up'), [2, 256, 1, 1]);
  assert.deepEqual(top('out'), [2, 256, 56, 56]);
  assert.equal(layer('scale')?.macs, 2 * 256 * 56 * 56);
  // The added blob of another size; a scale of another channel count.
  const wrongSum = await run(
    SE.replace(
      'input: "shortcut" input_shape { dim: 2 dim: 256 dim: 56',
      'input: "shortcut" input_shape { dim: 2 dim: 256 dim: 28',
    ),
  );
  assert.match(
    wrongSum.messages[0] ?? '',
    /^Axpy: the input \(2×256×56×56\) and the added blob \(2×256×28×56\) must have one shape; Caffe stops/,
  );
  const wrongScale = await run(
    SE.replace('num_output: 256 kernel_size: 1', 'num_output: 128 kernel_size: 1'),
  );
  assert.match(
    wrongScale.messages[0] ?? '',
    /^Axpy: the scale \(2×128×1×1\) and the input \(2×256×56×56\) differ in axis 1; Caffe stops/,
  );
  assert.equal(wrongScale.top('out'), null);
});

test("SphereFace's MarginInnerProduct: num_output per sample, weights without a bias, the lambda top", async () => {
  const net = `input: "f" input_shape { dim: 256 dim: 512 }
input: "label" input_shape { dim: 256 }
layer { name: "fc6" type: "MarginInnerProduct" bottom: "f" bottom: "label" top: "fc6" top: "lambda"
  margin_inner_product_param { num_output: 10572 type: QUADRUPLE base: 1000 gamma: 0.12 power: 1 lambda_min: 5 iteration: 0 } }
`;
  const sphereface = loadBundledFork('sphereface')!;
  const { top, layer, messages } = await run(net, sphereface);
  assert.deepEqual(messages, []);
  assert.deepEqual(top('fc6'), [256, 10572]);
  assert.deepEqual(top('lambda'), [1]);
  assert.equal(layer('fc6')?.params, 512 * 10572);
  const fewer = await run(net.replace('input_shape { dim: 256 }', 'input_shape { dim: 128 }'), sphereface);
  assert.match(
    fewer.messages[0] ?? '',
    /^MarginInnerProduct: 128 labels for 256 samples; Caffe stops \("Number of labels must match/,
  );
});

/** The YOLO ports' additions to caffe.proto (gklz1982/caffe-yolov2's numbers). */
const yolo = bvlcWith(
  'yolo',
  'message LayerParameter { optional ReorgParameter reorg_param = 1470; optional RegionLossParameter region_loss_param = 1471; }\n' +
    'message ReorgParameter { optional uint32 stride = 1; optional bool reverse = 2 [default = false]; }\n' +
    'message RegionLossParameter { optional uint32 side = 1; optional uint32 num_class = 2; }\n',
);

test("The YOLO ports' depthwise convolution, Reorg and region loss; NVIDIA's L1Loss", async () => {
  const net = `input: "x" input_shape { dim: 1 dim: 512 dim: 26 dim: 26 }
layer { name: "dw" type: "DepthwiseConvolution" bottom: "x" top: "dw" convolution_param { num_output: 512 group: 512 kernel_size: 3 pad: 1 stride: 2 bias_term: false } }
layer { name: "reorg" type: "Reorg" bottom: "x" top: "reorg" reorg_param { stride: 2 } }
layer { name: "back" type: "Reorg" bottom: "reorg" top: "back" reorg_param { stride: 2 reverse: true } }
layer { name: "loss" type: "RegionLoss" bottom: "reorg" bottom: "x" top: "loss" region_loss_param { side: 13 num_class: 20 } }
`;
  const { top, layer, messages } = await run(net, yolo);
  assert.deepEqual(messages, []);
  // Convolution's shape and blobs: one 3×3 filter per channel.
  assert.deepEqual(top('dw'), [1, 512, 13, 13]);
  assert.equal(layer('dw')?.params, 512 * 9);
  // YOLOv2's passthrough: space to depth, and back.
  assert.deepEqual(top('reorg'), [1, 2048, 13, 13]);
  assert.deepEqual(top('back'), [1, 512, 26, 26]);
  assert.deepEqual(top('loss'), []);
  const inPlace = await run(net.replace('top: "reorg" reorg_param', 'top: "x" reorg_param'), yolo);
  assert.match(inPlace.messages[0] ?? '', /Reorg Layer does not allow in-place computation/);
  const noStride = await run(net.replace('reorg_param { stride: 2 }', 'reorg_param { }'), yolo);
  assert.match(noStride.messages[0] ?? '', /Reorg Layer needs stride param/);
  // A port whose caffe.proto gives the stride a default (choasup's caffe-yolo9000: 2) builds without one.
  const defaulted = bvlcWith(
    'yolo9000',
    'message LayerParameter { optional ReorgParameter reorg_param = 1470; }\n' +
      'message ReorgParameter { optional int32 stride = 1 [default = 2]; optional bool reverse = 2 [default = false]; }\n',
  );
  const byDefault = await run(
    net.replace('reorg_param { stride: 2 }', 'reorg_param { }').replace(/layer \{ name: "loss".*\n/, ''),
    defaulted,
  );
  assert.deepEqual(byDefault.messages, []);
  assert.deepEqual(byDefault.top('reorg'), [1, 2048, 13, 13]);
  const l1 = await run(
    'input: "a" input_shape { dim: 4 dim: 8 }\ninput: "b" input_shape { dim: 4 dim: 8 }\nlayer { name: "l1" type: "L1Loss" bottom: "a" bottom: "b" top: "l1" }\n',
    loadBundledFork('nvidia')!,
  );
  assert.deepEqual(l1.top('l1'), []);
});

test("MobileNet ports' ConvolutionDepthwise keeps the input's channels whatever num_output says", async () => {
  const net = `input: "x" input_shape { dim: 2 dim: 32 dim: 112 dim: 112 }
layer { name: "dw" type: "ConvolutionDepthwise" bottom: "x" top: "dw" convolution_param { num_output: 64 kernel_size: 3 pad: 1 stride: 2 bias_term: false } }
layer { name: "dwb" type: "ConvolutionDepthwise" bottom: "dw" top: "dwb" convolution_param { num_output: 32 kernel_h: 3 kernel_w: 1 pad_h: 1 pad_w: 0 stride: 1 dilation: 2 } }
layer { name: "flat" type: "InnerProduct" bottom: "dwb" top: "flat" inner_product_param { num_output: 10 } }
layer { name: "small" type: "ConvolutionDepthwise" bottom: "flat" top: "small" convolution_param { kernel_size: 1 } }
`;
  const { top, layer, messages } = await run(net);
  assert.deepEqual(messages, []);
  // One 3×3 filter per channel: 2×32×56×56, 32·9 weights, 9 products per output element.
  assert.deepEqual(top('dw'), [2, 32, 56, 56]);
  assert.equal(layer('dw')?.params, 32 * 9);
  assert.equal(layer('dw')?.macs, 2 * 32 * 56 * 56 * 9);
  // kernel_h/kernel_w, pad_h/pad_w and dilation; a bias per channel.
  assert.deepEqual(top('dwb'), [2, 32, 54, 56]);
  assert.equal(layer('dwb')?.params, 32 * 3 + 32);
  // A 2-axis input is read as N×C×1×1.
  assert.deepEqual(top('small'), [2, 10, 1, 1]);
  const tooBig = await run(net.replace('kernel_size: 3 pad: 1 stride: 2', 'kernel_size: 300'));
  assert.match(tooBig.messages[0] ?? '', /kernel|larger|exceeds/i);
});

test("ShuffleNet's ShuffleChannel keeps N×C×H×W; group must be positive and divide the channels", async () => {
  // The additions ShuffleNet's users make to caffe.proto.
  const shuffle = bvlcWith(
    'shufflenet',
    'message LayerParameter { optional ShuffleChannelParameter shuffle_channel_param = 164; }\n' +
      'message ShuffleChannelParameter { optional uint32 group = 1 [default = 1]; }\n',
  );
  const net = `input: "x" input_shape { dim: 2 dim: 240 dim: 28 dim: 28 }
layer { name: "shuffle" type: "ShuffleChannel" bottom: "x" top: "shuffle" shuffle_channel_param { group: 3 } }
layer { name: "relu" type: "ReLU" bottom: "shuffle" top: "shuffle" }
`;
  const { top, layer, messages } = await run(net, shuffle);
  assert.deepEqual(messages, []);
  assert.deepEqual(top('shuffle'), [2, 240, 28, 28]);
  assert.equal(layer('shuffle')?.status, 'rule');
  const seven = await run(net.replace('group: 3', 'group: 7'), shuffle);
  assert.match(
    seven.messages[0] ?? '',
    /group 7 does not divide the 240 input channels: the first forward pass stops/,
  );
  const zero = await run(net.replace('group: 3', 'group: 0'), shuffle);
  assert.match(zero.messages[0] ?? '', /group must be greater than 0/);
  assert.equal(zero.top('shuffle'), null);
  // Under BVLC's schema the block is a bundled fork's (Synopsys Caffe registers ShuffleChannel, with
  // the same block): validation warns of it, and the rule reads it as the fork's own block.
  const bvlc = await run(net);
  assert.deepEqual(bvlc.top('shuffle'), [2, 240, 28, 28]);
  // A block no schema defines leaves the tops unknown.
  const unknown = await run(net.replace('shuffle_channel_param', 'shuffle_chanel_param'));
  assert.equal(unknown.top('shuffle'), null);
});

/** CTPN's additions to caffe.proto (its LSTM, Transpose and Reverse). */
const ctpn = bvlcWith(
  'CTPN',
  'message LayerParameter { optional LSTMParameter lstm_param = 1480; optional TransposeParameter transpose_param = 1481; optional ReverseParameter reverse_param = 1482; }\n' +
    'message LSTMParameter { optional uint32 num_output = 1; optional float clipping_threshold = 2 [default = 0.0]; optional uint32 batch_size = 5 [default = 1]; }\n' +
    'message TransposeParameter { repeated int32 dim = 1; }\nmessage ReverseParameter { optional int32 axis = 1 [default = 0]; }\n',
);

test("CTPN's bidirectional LSTM over each row: Transpose, Reverse and Lstm", async () => {
  const net = `input: "x" input_shape { dim: 1 dim: 4608 dim: 38 dim: 57 }
layer { name: "t" type: "Transpose" bottom: "x" top: "t" transpose_param { dim: 3 dim: 2 dim: 0 dim: 1 } }
layer { name: "seq" type: "Reshape" bottom: "t" top: "seq" reshape_param { shape { dim: -1 } axis: 1 num_axes: 2 } }
layer { name: "lstm" type: "Lstm" bottom: "seq" top: "lstm" lstm_param { num_output: 128 } }
layer { name: "rev" type: "Reverse" bottom: "seq" top: "rev" reverse_param { axis: 0 } }
`;
  const { top, layer, messages } = await run(net, ctpn);
  assert.deepEqual(messages, []);
  assert.deepEqual(top('t'), [57, 38, 1, 4608]);
  assert.deepEqual(top('seq'), [57, 38, 4608]);
  assert.deepEqual(top('lstm'), [57, 38, 128]);
  // Four gates: 4H×I input weights, 4H×H recurrent weights, 4H biases.
  assert.equal(layer('lstm')?.params, 4 * 128 * 4608 + 4 * 128 * 128 + 4 * 128);
  assert.deepEqual(top('rev'), [57, 38, 4608]);
  const fewDims = await run(net.replace('dim: 3 dim: 2 dim: 0 dim: 1', 'dim: 3 dim: 2 dim: 0'), ctpn);
  assert.match(fewDims.messages[0] ?? '', /^Transpose: 3 dim values for the 4-axis bottom/);
  const repeated = await run(net.replace('dim: 3 dim: 2 dim: 0 dim: 1', 'dim: 3 dim: 3 dim: 0 dim: 1'), ctpn);
  assert.match(repeated.messages[0] ?? '', /dim must list each axis of the 4-axis bottom once/);
  const inPlace = await run(net.replace('top: "rev" reverse_param', 'top: "seq" reverse_param'), ctpn);
  assert.match(inPlace.messages[0] ?? '', /Reverse does not support in-place computation/);
  const axis = await run(net.replace('reverse_param { axis: 0 }', 'reverse_param { axis: 3 }'), ctpn);
  assert.match(axis.messages[0] ?? '', /axis must be less than bottom's dimension/);
});

test("Fast R-CNN's ROIPooling: pooled_h and pooled_w must be given, as its set-up checks", async () => {
  const fastrcnn = loadBundledFork('fastrcnn');
  const net = (param: string) =>
    'input: "conv" input_shape { dim: 1 dim: 512 dim: 38 dim: 50 }\n' +
    'input: "rois" input_shape { dim: 300 dim: 5 }\n' +
    `layer { name: "pool" type: "ROIPooling" bottom: "conv" bottom: "rois" top: "pool" ${param} }\n`;
  const given = await run(
    net('roi_pooling_param { pooled_w: 7 pooled_h: 7 spatial_scale: 0.0625 }'),
    fastrcnn,
  );
  assert.deepEqual(given.messages, []);
  assert.deepEqual(given.top('pool'), [300, 512, 7, 7]);
  const none = await run(net(''), fastrcnn);
  assert.deepEqual(none.messages, [
    'pooled_h is not given (0 by default): ROIPooling pools each region into a grid of at least one cell; Caffe stops as it sets the layer up ("pooled_h must be > 0").',
  ]);
  assert.equal(none.top('pool'), null);
  const zero = await run(net('roi_pooling_param { pooled_h: 7 pooled_w: 0 }'), fastrcnn);
  assert.match(zero.messages[0], /^pooled_w is 0: .*\("pooled_w must be > 0"\)\.$/);
});
