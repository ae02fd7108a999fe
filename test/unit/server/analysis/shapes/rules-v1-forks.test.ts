// The layer types DeepLab v1's and DeconvNet's Caffes add to the V1 format, and the V1 nets of a
// Caffe whose own proto predates layer { } (its layers' message is still named LayerParameter).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNet } from '../../../../../server/src/analysis/model/net';
import { inferShapes } from '../../../../../server/src/analysis/shapes';
import { parse } from '../../../../../server/src/parser/parse';
import { loadBundledFork, loadBundledSchema } from '../../../../../server/src/schema/bundled';
import type { Schema } from '../../../../../server/src/schema/schema';
import { schemaFromProtoText } from '../../../../../server/src/schema/user-proto';

const deeplab = loadBundledFork('deeplab')!;
const deconvnet = loadBundledFork('deconvnet')!;

function run(text: string, schema: Schema, phase: 'TRAIN' | 'TEST' = 'TRAIN') {
  const result = inferShapes(buildNet(parse(text), schema), phase, schema);
  return { blob: (name: string) => result.blobs.get(name), messages: result.problems.map((p) => p.message) };
}

const SEG_DATA = (type: string, transform: string) =>
  `layers { name: "data" type: ${type} top: "data" top: "label" image_data_param { source: "t.txt" batch_size: 8 label_type: PIXEL } transform_param { ${transform} } }\n`;

test("DeconvNet's net: its images and labels, max-unpooling to the size given, pixel accuracy", () => {
  const net =
    SEG_DATA('IMAGE_SEG_DATA', 'crop_size: 224') +
    'layers { name: "p" type: POOLING bottom: "data" top: "p" top: "mask" pooling_param { pool: MAX kernel_size: 2 stride: 2 } }\n' +
    'layers { name: "u" type: UNPOOLING bottom: "p" bottom: "mask" top: "u" unpooling_param { unpool: MAX kernel_size: 2 stride: 2 unpool_size: 224 } }\n' +
    'layers { name: "s" type: CONVOLUTION bottom: "u" top: "s" convolution_param { num_output: 21 kernel_size: 1 } }\n' +
    'layers { name: "a" type: ELTWISE_ACCURACY bottom: "s" bottom: "label" top: "a" }\n' +
    'layers { name: "k" type: CROP bottom: "s" bottom: "p" top: "k" }\n';
  const { blob, messages } = run(net, deconvnet);
  assert.deepEqual(messages, []);
  assert.deepEqual(blob('data'), [8, 3, 224, 224]);
  assert.deepEqual(blob('label'), [8, 1, 224, 224]);
  assert.deepEqual(blob('u'), [8, 3, 224, 224]);
  assert.deepEqual(blob('a'), [1, 1, 1, 1]);
  // FCN's crop, as DeconvNet's Caffe has it: the first input's N and C, the second's H and W.
  assert.deepEqual(blob('k'), [8, 21, 112, 112]);
  // unpool_h and unpool_w; labels that do not match the scores are what Caffe stops at.
  const pair = run(net.replace('unpool_size: 224', 'unpool_h: 224 unpool_w: 200'), deconvnet);
  assert.deepEqual(pair.blob('u'), [8, 3, 224, 200]);
  assert.match(
    pair.messages[0] ?? '',
    /^ELTWISE_ACCURACY: the scores are 200 wide, the labels 224; Caffe stops \("the data and label should have the same width\."\)/,
  );
});

test("DeconvNet's window reader sizes its tops as the image reader does; each names its own class", () => {
  const windows = run(SEG_DATA('WINDOW_SEG_DATA', 'crop_size: 224'), deconvnet);
  assert.deepEqual(windows.messages, []);
  assert.deepEqual(windows.blob('data'), [8, 3, 224, 224]);
  assert.deepEqual(windows.blob('label'), [8, 1, 224, 224]);
  for (const [type, cls] of [
    ['WINDOW_SEG_DATA', 'WindowSegDataLayer'],
    ['IMAGE_SEG_DATA', 'ImageSegDataLayer'],
  ]) {
    const meanFile = run(SEG_DATA(type, 'mean_file: "m.binaryproto"'), deconvnet);
    assert.equal(
      meanFile.messages[0],
      `${type} takes mean_value, not mean_file; Caffe stops ("${cls} does not support mean file")`,
    );
  }
});

test("DeconvNet's UnpoolingLayer::LayerSetUp CHECKs, in Caffe's words", () => {
  const unpool = (param: string) =>
    run(
      'input: "x" input_dim: 1 input_dim: 4 input_dim: 7 input_dim: 7\n' +
        `layers { name: "u" type: UNPOOLING bottom: "x" top: "u" unpooling_param { ${param} } }\n`,
      deconvnet,
    );
  assert.match(
    unpool('kernel_size: 2 stride: 2').messages[0] ?? '',
    /Caffe stops \("Unpool is unpool_size OR unpool_h and unpool_w are required\."\)/,
  );
  assert.match(
    unpool('stride: 2 unpool_size: 14').messages[0] ?? '',
    /Caffe stops \("Filter size is kernel_size OR kernel_h and kernel_w; not both"\)/,
  );
  assert.match(
    unpool('kernel_size: 2 pad: 1 unpool_size: 14').messages[0] ?? '',
    /Caffe stops \("currently, only zero padding is allowed\."\)/,
  );
  assert.match(
    unpool('kernel_size: 2 stride_h: 2 unpool_size: 14').messages[0] ?? '',
    /Caffe stops \("Stride is stride OR stride_h and stride_w are required\."\)/,
  );
  assert.deepEqual(unpool('kernel_size: 2 stride: 2 unpool_size: 14').blob('u'), [1, 4, 14, 14]);
});

test("DeepLab v1's net: its images, INTERP sized one way only, holes as dilation, SEG_ACCURACY", () => {
  const net =
    SEG_DATA('IMAGE_SEG_DATA', 'crop_size: 306') +
    'layers { name: "c" type: CONVOLUTION bottom: "data" top: "c" convolution_param { num_output: 21 kernel_size: 3 pad: 2 hole: 2 stride: 8 } }\n' +
    'layers { name: "shrink" type: INTERP bottom: "label" top: "shrink" interp_param { shrink_factor: 8 } }\n' +
    'layers { name: "acc" type: SEG_ACCURACY bottom: "c" bottom: "shrink" top: "acc" }\n';
  const { blob, messages } = run(net, deeplab);
  assert.deepEqual(messages, []);
  // (306 + 2·2 − (2·(3 − 1) + 1)) / 8 + 1 = 39, as (306 − 1) / 8 + 1.
  assert.deepEqual(blob('c'), [8, 21, 39, 39]);
  assert.deepEqual(blob('shrink'), [8, 1, 39, 39]);
  assert.deepEqual(blob('acc'), [1, 1, 1, 3]);
  // A test net's reader without labels (has_label, which no layer of DeepLab v1 reads) keeps its rule.
  assert.deepEqual(
    run(net.replace('label_type: PIXEL', 'has_label: false'), deeplab).blob('data'),
    [8, 3, 306, 306],
  );
  // Its test net: the scores brought back to the image's size, then the CRF given the image and its size.
  const crf =
    SEG_DATA('IMAGE_SEG_DATA', 'crop_size: 513').replace('top: "label"', 'top: "label" top: "dim"') +
    'layers { name: "c" type: CONVOLUTION bottom: "data" top: "c" convolution_param { num_output: 21 kernel_size: 3 pad: 2 hole: 2 stride: 8 } }\n' +
    'layers { name: "up" type: INTERP bottom: "c" top: "up" interp_param { zoom_factor: 8 } }\n' +
    'layers { name: "crf" type: DENSE_CRF bottom: "up" bottom: "dim" bottom: "data" top: "crf" dense_crf_param { max_iter: 10 pos_w: 3 pos_xy_std: 3 bi_w: 4 bi_xy_std: 121 bi_rgb_std: 5 } }\n';
  const tested = run(crf, deeplab);
  assert.deepEqual(tested.messages, []);
  assert.deepEqual(tested.blob('dim'), [8, 1, 1, 2]);
  // (513 + 4 − 5) / 8 + 1 = 65 zoomed by 8: 65 + 64·7 = 513, the image's size.
  assert.deepEqual(tested.blob('crf'), [8, 21, 513, 513]);
  // From a 306 crop the scores come back 305 wide, and DeepLab's CRF stops.
  assert.match(
    run(crf.replace('crop_size: 513', 'crop_size: 306'), deeplab).messages[0] ?? '',
    /^DENSE_CRF: the scores are 305×305 and the images 306×306; Caffe stops/,
  );
  // PSPNet's Interp takes both factors; DeepLab v1's stops.
  const both = run(net.replace('shrink_factor: 8', 'shrink_factor: 8 zoom_factor: 2'), deeplab);
  assert.match(
    both.messages[0] ?? '',
    /^INTERP takes one of zoom_factor, shrink_factor, or height and width, this one 2; Caffe stops \("Output dimension specified either by zoom factor or shrink factor or explicitly"\)/,
  );
  // Its convolution's own CHECK of the hole pair.
  const half = run(net.replace('hole: 2', 'hole_h: 2'), deeplab);
  assert.match(
    half.messages[0] ?? '',
    /^Convolution: hole_h and hole_w go together; Caffe stops building the net \("hole is hole OR hole_h and hole_w are required\."\)/,
  );
});

test("a Caffe's own proto from before layer { }: its V1 nets are read with it, shapes and all", () => {
  // The layers' message is LayerParameter, as in DeepLab v1's or DeconvNet's own caffe.proto.
  const proto = `syntax = "proto2";
package caffe;
message NetParameter {
  optional string name = 1;
  repeated LayerParameter layers = 2;
  repeated string input = 3;
  repeated int32 input_dim = 4;
}
message LayerParameter {
  repeated string bottom = 2;
  repeated string top = 3;
  optional string name = 4;
  enum LayerType { NONE = 0; CONVOLUTION = 4; POOLING = 17; RELU = 18; }
  optional LayerType type = 5;
  repeated float blobs_lr = 7;
  repeated float weight_decay = 8;
  optional ConvolutionParameter convolution_param = 10;
}
message ConvolutionParameter {
  optional uint32 num_output = 1;
  optional bool bias_term = 2 [default = true];
  optional uint32 pad = 3 [default = 0];
  optional uint32 kernel_size = 4;
  optional uint32 stride = 6 [default = 1];
  optional uint32 hole = 17 [default = 1];
}
`;
  const { schema, errors } = schemaFromProtoText(proto, '/old-caffe/src/caffe/proto/caffe.proto');
  assert.deepEqual(errors, []);
  const net =
    'input: "data" input_dim: 1 input_dim: 3 input_dim: 10 input_dim: 10\n' +
    'layers { name: "c" type: CONVOLUTION bottom: "data" top: "c" blobs_lr: 1 blobs_lr: 2 convolution_param { num_output: 4 kernel_size: 3 hole: 2 } }\n' +
    'layers { name: "r" type: RELU bottom: "c" top: "c" }\n';
  const { blob, messages } = run(net, schema);
  assert.deepEqual(messages, []);
  assert.deepEqual(blob('c'), [1, 4, 6, 6]);
  // A V1 type given by its number is named by that proto's own enum.
  assert.deepEqual(run(net.replace('type: CONVOLUTION', 'type: 4'), schema).blob('c'), [1, 4, 6, 6]);
});

test("DeconvNet's ReLU may write its mask as a second top (DecoupledNet's relu6-mask); BVLC's makes one", () => {
  const net =
    'input: "data"\ninput_dim: 1 input_dim: 2 input_dim: 4 input_dim: 4\n' +
    'layers { name: "relu" type: RELU bottom: "data" top: "data" top: "relu-mask" }\n';
  assert.deepEqual(
    run(net, deconvnet).messages.filter((m) => /top/.test(m)),
    [],
  );
  assert.match(
    run(net, loadBundledSchema()).messages.join('\n'),
    /ReLU produces 1 top, this layer has 2 tops/,
  );
});
