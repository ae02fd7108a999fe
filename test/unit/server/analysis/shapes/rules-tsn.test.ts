import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNet } from '../../../../../server/src/analysis/model/net';
import { inferShapes } from '../../../../../server/src/analysis/shapes';
import { loadBundledFork, loadBundledSchema } from '../../../../../server/src/schema/bundled';
import type { Schema } from '../../../../../server/src/schema/schema';
import { loadParser } from './test-parse';

const parsed = loadParser();
const tsn = loadBundledFork('tsn')!;

/**
 * Temporal Segment Networks' tsn_bn_inception_rgb_train_val.prototxt, cut down: the video reader, the
 * reshape of the segments into the batch, one convolution with TSN's BN, and the segmental consensus.
 */
const reader = (param: string, transform = 'crop_size: 224 multi_scale: true scale_ratios: [1, .875, .75]') =>
  `layer { name: "data" type: "VideoData" top: "data" top: "label"
  video_data_param { source: "train_split_1.txt" batch_size: 32 num_segments: 3 ${param} }
  transform_param { ${transform} } }
`;
const NET = `${reader('new_length: 1 modality: RGB shuffle: true name_pattern: "img_%05d.jpg"')}
layer { name: "reshape_data" type: "Reshape" bottom: "data" top: "reshape_data"
  reshape_param { shape { dim: -1 dim: 3 dim: 224 dim: 224 } } }
layer { name: "conv1" type: "Convolution" bottom: "reshape_data" top: "conv1"
  convolution_param { num_output: 64 pad: 3 kernel_size: 7 stride: 2 } }
layer { name: "conv1_bn" type: "BN" bottom: "conv1" top: "conv1_bn"
  bn_param { frozen: true slope_filler { type: "constant" value: 1 } bias_filler { type: "constant" value: 0 } } }
layer { name: "pool" type: "Pooling" bottom: "conv1_bn" top: "pool" pooling_param { pool: AVE global_pooling: true } }
layer { name: "fc" type: "InnerProduct" bottom: "pool" top: "fc" inner_product_param { num_output: 101 } }
layer { name: "reshape_fc" type: "Reshape" bottom: "fc" top: "reshape_fc"
  reshape_param { shape { dim: -1 dim: 1 dim: 3 dim: 101 } } }
layer { name: "consensus" type: "Pooling" bottom: "reshape_fc" top: "consensus"
  pooling_param { pool: AVE kernel_h: 3 kernel_w: 1 } }
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "consensus" bottom: "label" top: "loss" softmax_param { axis: 3 } }
`;

async function run(text: string, schema: Schema = tsn) {
  const result = inferShapes(buildNet((await parsed)(text)), 'TRAIN', schema);
  return {
    result,
    top: (name: string) => result.blobs.get(name),
    messages: result.problems.map((p) => p.message),
  };
}

test("TSN's video reader and segmental consensus, as yjxiong/caffe shapes them", async () => {
  // The same under TSN's schema and under the bundled BVLC one (where TSN's fields are a fork's).
  for (const schema of [tsn, loadBundledSchema()]) {
    const { top, messages, result } = await run(NET, schema);
    assert.deepEqual(messages, []);
    // 3 segments of 1 RGB frame: 9 channels, cropped to 224 (the multi-scale crop is resized to it).
    assert.deepEqual(top('data'), [32, 9, 224, 224]);
    assert.deepEqual(top('label'), [32, 1, 1, 1]);
    assert.deepEqual(top('reshape_data'), [96, 3, 224, 224]);
    assert.deepEqual(top('conv1_bn'), [96, 64, 112, 112]);
    assert.deepEqual(top('consensus'), [32, 1, 1, 101]);
    assert.deepEqual(top('loss'), []);
    // TSN's BN: a slope and a bias per channel learned, a running mean and variance kept.
    const bn = result.layers.find((l) => l.layer.name === 'conv1_bn');
    assert.equal(bn?.params, 128);
    assert.equal(bn?.stats, 128);
  }
});

test("TSN's VideoData: flow stacks, grayscale, the new size, and SSD's VideoData left alone", async () => {
  // Optical flow: new_length pairs of x and y images per segment.
  const flow = await run(reader('new_length: 5 modality: FLOW'));
  assert.deepEqual(flow.top('data'), [32, 30, 224, 224]);
  // The modality is FLOW unless told (TSN's default); RGB frames in grayscale have one channel.
  assert.deepEqual((await run(reader(''))).top('data'), [32, 6, 224, 224]);
  const gray = await run(reader('modality: RGB grayscale: true', ''));
  assert.deepEqual(gray.top('data'), [32, 3, Number.NaN, Number.NaN]);
  const resized = await run(reader('modality: RGB new_height: 256 new_width: 340', ''));
  assert.deepEqual(resized.top('data'), [32, 9, 256, 340]);
  // Only both sizes resize the frames; alone, new_height leaves them as they are (unknown).
  const half = await run(reader('modality: RGB new_height: 256', ''));
  assert.deepEqual(half.top('data'), [32, 9, Number.NaN, Number.NaN]);
  // SSD's VideoData (a webcam) has other tops: unknown, and no error.
  const ssd = loadBundledFork('ssd')!;
  const webcam = await run(
    'layer { name: "v" type: "VideoData" top: "data" video_data_param { video_type: WEBCAM device_id: 0 } data_param { batch_size: 1 } }\n',
    ssd,
  );
  assert.deepEqual(webcam.messages, []);
  assert.equal(webcam.top('data') ?? undefined, undefined);
});

test("TSN's BatchReduction: whole-axis and pyramid levels, its CHECKs in Caffe's words", async () => {
  const input = 'input: "x" input_shape { dim: 2 dim: 5 dim: 8 }\n';
  const reduce = (param: string) =>
    `${input}layer { name: "r" type: "BatchReduction" bottom: "x" top: "r" batch_reduction_param { ${param} } }\n`;
  assert.deepEqual((await run(reduce('reduction_param { axis: 1 }'))).top('r'), [2, 8]);
  // Levels 1 and 2 take 1 + 4 entries of axis 1: one output per level.
  assert.deepEqual((await run(reduce('level: 1 level: 2 reduction_param { axis: 1 }'))).top('r'), [2, 2, 8]);
  // pos reduces the next axis too.
  assert.deepEqual((await run(reduce('pos: true reduction_param { axis: 0 }'))).top('r'), [8]);
  const uncovered = await run(reduce('level: 2 level: 3 reduction_param { axis: 1 }'));
  assert.match(
    uncovered.messages[0] ?? '',
    /^BatchReduction: the levels 2, 3 take 13 entries of axis 1, .* has 5/,
  );
  const pos = await run(reduce('level: 1 level: 2 pos: true reduction_param { axis: 1 }'));
  assert.match(pos.messages[0] ?? '', /Cannot do pos-sensitive reduction when level is more than 1/);
  const axis = await run(reduce('reduction_param { axis: 3 }'));
  assert.match(axis.messages[0] ?? '', /^BatchReduction: axis 3 is out of range/);
});

test("Normalize learns a scale in SSD's Caffe only", async () => {
  const text =
    'input: "x" input_shape { dim: 1 dim: 16 dim: 4 dim: 4 }\nlayer { name: "n" type: "Normalize" bottom: "x" top: "n" }\n';
  const layer = (r: Awaited<ReturnType<typeof run>>) => r.result.layers.find((l) => l.layer.name === 'n');
  assert.equal(layer(await run(text))?.params, 0);
  assert.equal(layer(await run(text, loadBundledFork('ssd')!))?.params, 1);
  const perChannel = text.replace('top: "n" }', 'top: "n" norm_param { channel_shared: false } }');
  assert.equal(layer(await run(perChannel, loadBundledSchema()))?.params, 16);
});
