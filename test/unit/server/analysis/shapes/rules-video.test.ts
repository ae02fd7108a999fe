import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNet } from '../../../../../server/src/analysis/model/net';
import { inferShapes } from '../../../../../server/src/analysis/shapes';
import { loadBundledFork } from '../../../../../server/src/schema/bundled';
import type { Schema } from '../../../../../server/src/schema/schema';
import { bvlcWith } from '../../../../helpers/schema-additions';
import { loadParser } from './test-parse';

const parsed = loadParser();

/** The messages C3D v1.1's caffe.proto adds, as a repository's proto of additions gives them. */
const c3d = bvlcWith(
  'C3D',
  `message LayerParameter {
  optional Convolution3DParameter convolution3d_param = 6661;
  optional Pooling3DParameter pooling3d_param = 6662;
  optional VideoDataParameter video_data_param = 6660;
}
message Convolution3DParameter {
  optional uint32 num_output = 1;
  optional bool bias_term = 2 [default = true];
  optional uint32 pad = 3 [default = 0];
  optional uint32 kernel_size = 4;
  optional uint32 kernel_depth = 6;
  optional uint32 stride = 7 [default = 1];
  optional uint32 temporal_stride = 8 [default = 1];
  optional uint32 filter_group = 11 [default = 1];
  optional uint32 temporal_pad = 12 [default = 0];
}
message Pooling3DParameter {
  enum PoolMethod { MAX = 0; AVE = 1; STOCHASTIC = 2; }
  optional PoolMethod pool = 1 [default = MAX];
  optional uint32 kernel_size = 2;
  optional uint32 stride = 3 [default = 1];
  optional uint32 pad = 4 [default = 0];
  optional uint32 kernel_depth = 5;
  optional uint32 temporal_stride = 6 [default = 1];
}
message VideoDataParameter {
  optional string source = 1;
  optional uint32 batch_size = 4 [default = 1];
  optional uint32 new_height = 9 [default = 0];
  optional uint32 new_width = 10 [default = 0];
  optional uint32 new_length = 13;
  optional bool is_color = 11 [default = true];
  optional uint32 sampling_rate = 17 [default = 1];
  optional bool use_multiple_label = 20 [default = false];
  optional uint32 num_of_labels = 21 [default = 1];
}
`,
);

/** C3D's UCF101 training net, cut down: the clip reader, the first two 3-D stages and the classifier. */
const NET = `layer { name: "data" type: "VideoData" top: "data" top: "label"
  video_data_param { source: "train_01.lst" batch_size: 30 new_height: 128 new_width: 171 new_length: 16 }
  transform_param { crop_size: 112 mirror: true } }
layer { name: "conv1a" type: "Convolution3D" bottom: "data" top: "conv1a"
  convolution3d_param { num_output: 64 kernel_size: 3 kernel_depth: 3 pad: 1 temporal_pad: 1 } }
layer { name: "pool1" type: "Pooling3D" bottom: "conv1a" top: "pool1"
  pooling3d_param { pool: MAX kernel_size: 2 kernel_depth: 1 stride: 2 temporal_stride: 1 } }
layer { name: "conv2a" type: "Convolution3D" bottom: "pool1" top: "conv2a"
  convolution3d_param { num_output: 128 kernel_size: 3 kernel_depth: 3 pad: 1 temporal_pad: 1 } }
layer { name: "pool2" type: "Pooling3D" bottom: "conv2a" top: "pool2"
  pooling3d_param { pool: MAX kernel_size: 2 kernel_depth: 2 stride: 2 temporal_stride: 2 } }
layer { name: "fc" type: "InnerProduct" bottom: "pool2" top: "fc" inner_product_param { num_output: 101 } }
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "fc" bottom: "label" top: "loss" }
`;

async function run(text: string, schema: Schema = c3d) {
  const result = inferShapes(buildNet((await parsed)(text), schema), 'TRAIN', schema);
  const layer = (name: string) => result.layers.find((l) => l.layer.name === name);
  return {
    layer,
    top: (name: string) => result.blobs.get(name),
    messages: result.problems.map((p) => p.message),
  };
}

test("C3D's clip reader, 3-D convolution and pooling, as C3D v1.1 shapes them", async () => {
  const { top, layer, messages } = await run(NET);
  assert.deepEqual(messages, []);
  assert.deepEqual(top('data'), [30, 3, 16, 112, 112]);
  assert.deepEqual(top('label'), [30]);
  assert.deepEqual(top('conv1a'), [30, 64, 16, 112, 112]);
  assert.equal(layer('conv1a')?.params, 64 * 3 * 27 + 64);
  assert.equal(layer('conv1a')?.macs, 30 * 64 * 16 * 112 * 112 * 3 * 27);
  // 2×2 spatial, 1 temporal; then 2×2×2, rounding up.
  assert.deepEqual(top('pool1'), [30, 64, 16, 56, 56]);
  assert.deepEqual(top('pool2'), [30, 128, 8, 28, 28]);
  assert.deepEqual(top('fc'), [30, 101]);
  assert.deepEqual(top('loss'), []);
  // Several labels per clip.
  const multi = await run(
    NET.replace('new_length: 16 }', 'new_length: 16 use_multiple_label: true num_of_labels: 5 }'),
  );
  // (which the SoftmaxWithLoss, one label per clip, then refuses)
  assert.match(multi.messages[0] ?? '', /^SoftmaxWithLoss: .* label \(30×5\) holds 150/);
  assert.deepEqual(multi.top('label'), [30, 5]);
});

test("C3D's CHECKs in its words; TSN's and SSD's VideoData are not taken for C3D's", async () => {
  const halfSize = await run(NET.replace('new_height: 128 new_width: 171 ', 'new_height: 128 '));
  assert.match(halfSize.messages[0] ?? '', /requires new_height and new_width to be set at the same time/);
  const padMax = await run(NET.replace('kernel_depth: 1 stride: 2', 'kernel_depth: 1 pad: 1 stride: 2'));
  assert.match(padMax.messages[0] ?? '', /Padding implemented only for average pooling/);
  const groups = await run(
    NET.replace('num_output: 64 kernel_size', 'num_output: 64 filter_group: 3 kernel_size'),
  );
  assert.match(groups.messages[0] ?? '', /num_output 64 is not a multiple of filter_group 3/);
  const flat = await run(
    'input: "x" input_shape { dim: 1 dim: 3 dim: 8 dim: 8 }\nlayer { name: "c" type: "Convolution3D" bottom: "x" top: "c" convolution3d_param { num_output: 2 kernel_size: 3 kernel_depth: 3 } }\n',
  );
  assert.match(
    flat.messages[0] ?? '',
    /^Convolution3D takes an N×C×L×H×W clip \(5 axes\), the bottom 1×3×8×8 has 4/,
  );
  // Under TSN's proto the same reader is TSN's: segments of frames along the channels (FLOW by default).
  const tsn = await run(NET.split('\n').slice(0, 3).join('\n') + '\n', loadBundledFork('tsn')!);
  assert.deepEqual(tsn.top('data'), [30, 32, 112, 112]);
  // video-caffe's proto (is_color, no sampling options): C3D's clips, in grayscale with one channel.
  const videoCaffe = bvlcWith(
    'video-caffe',
    'message LayerParameter { optional VideoDataParameter video_data_param = 7777; }\n' +
      'message VideoDataParameter { optional string source = 1; optional uint32 batch_size = 4 [default = 1]; ' +
      'optional uint32 new_length = 9 [default = 1]; optional uint32 new_height = 10 [default = 0]; ' +
      'optional uint32 new_width = 11 [default = 0]; optional bool is_color = 12 [default = true]; }\n',
  );

  const gray = await run(
    NET.split('\n').slice(0, 3).join('\n').replace('new_length: 16', 'new_length: 16 is_color: false') + '\n',
    videoCaffe,
  );
  assert.deepEqual(gray.top('data'), [30, 1, 16, 112, 112]);
  // Under SSD's, its webcam reader: unknown tops, no error.
  const ssd = await run(NET.split('\n').slice(0, 3).join('\n') + '\n', loadBundledFork('ssd')!);
  assert.equal(ssd.top('data') ?? undefined, undefined);
});

test("another Caffe's Pooling3D (pseudo-3d-residual-networks' kernel_l, Synopsys' kernel_d) is not held to C3D's window", async () => {
  const pool = (fields: string) =>
    'input: "x" input_shape { dim: 1 dim: 3 dim: 8 dim: 16 dim: 16 }\n' +
    `layer { name: "p" type: "Pooling3D" bottom: "x" top: "p" pooling3d_param { ${fields} } }\n`;
  // Without a schema that defines the block, fields C3D does not have make it another Caffe's.
  const p3d = await run(
    pool('pool: MAX kernel_size: 3 stride: 2 kernel_l: 2 stride_l: 2'),
    loadBundledFork('ssd')!,
  );
  assert.deepEqual(p3d.messages, []);
  assert.equal(p3d.top('p') ?? undefined, undefined);
  // Synopsys Caffe's own Pooling3DParameter has no kernel_depth.
  const synopsys = await run(
    pool('pool: MAX kernel_size: 3 kernel_d: 2 stride: 2 stride_d: 2'),
    loadBundledFork('synopsys')!,
  );
  assert.deepEqual(synopsys.messages, []);
  // C3D's fields alone, without its proto: C3D's window, and its CHECK.
  const bare = await run(pool('pool: MAX kernel_size: 2 stride: 2'), loadBundledFork('ssd')!);
  assert.match(
    bare.messages[0] ?? '',
    /needs a positive kernel_size, kernel_depth, stride and temporal_stride/,
  );
});

test("video-caffe's cuDNN NdConvolution and NdPooling: BlobShape kernels, an output axis of 1 left out", async () => {
  const videoCaffe = bvlcWith(
    'video-caffe',
    'message ConvolutionParameter { optional BlobShape kernel_shape = 101; optional BlobShape pad_shape = 102; optional BlobShape stride_shape = 103; }\n' +
      'message PoolingParameter { optional BlobShape kernel_shape = 101; optional BlobShape pad_shape = 102; optional BlobShape stride_shape = 103; }\n',
  );
  const net = `input: "clip" input_shape { dim: 2 dim: 3 dim: 16 dim: 112 dim: 112 }
layer { name: "conv1a" type: "NdConvolution" bottom: "clip" top: "conv1a"
  convolution_param { num_output: 64 kernel_shape { dim: 3 dim: 3 dim: 3 } pad_shape { dim: 1 dim: 1 dim: 1 } stride_shape { dim: 1 dim: 1 dim: 1 } } }
layer { name: "pool1" type: "NdPooling" bottom: "conv1a" top: "pool1"
  pooling_param { pool: MAX kernel_shape { dim: 1 dim: 2 dim: 2 } stride_shape { dim: 1 dim: 2 dim: 2 } } }
layer { name: "flat" type: "NdConvolution" bottom: "pool1" top: "flat"
  convolution_param { num_output: 8 kernel_shape { dim: 16 dim: 1 dim: 1 } } }
`;
  const { top, layer, messages } = await run(net, videoCaffe);
  assert.deepEqual(messages, []);
  assert.deepEqual(top('conv1a'), [2, 64, 16, 112, 112]);
  assert.equal(layer('conv1a')?.params, 64 * 3 * 27 + 64);
  assert.deepEqual(top('pool1'), [2, 64, 16, 56, 56]);
  // The whole length in one kernel: the axis of size 1 is left out of the top.
  assert.deepEqual(top('flat'), [2, 8, 56, 56]);
  const noKernel = await run(net.replace('kernel_shape { dim: 3 dim: 3 dim: 3 } ', ''), videoCaffe);
  assert.match(noKernel.messages[0] ?? '', /Kernel shape is required/);
  const padLength = await run(
    net.replace('pad_shape { dim: 1 dim: 1 dim: 1 }', 'pad_shape { dim: 1 dim: 1 }'),
    videoCaffe,
  );
  assert.match(padLength.messages[0] ?? '', /Kernel and Pad shape don't match/);
});
