import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNet } from '../../../../../server/src/analysis/model/net';
import { inferShapes } from '../../../../../server/src/analysis/shapes';
import {
  loadBundledFork,
  loadBundledSchema,
  loadBundledSchemaWith,
} from '../../../../../server/src/schema/bundled';
import { readProto } from '../../../../../server/src/schema/proto-reader';
import { loadParser } from './test-parse';

const parsed = loadParser();
const segnet = loadBundledFork('segnet')!;

/** SegNet-Tutorial's segnet_basic_train.prototxt, its first encoder and last decoder stage. */
const NET = `layer { name: "data" type: "DenseImageData" top: "data" top: "label"
  dense_image_data_param { source: "train.txt" batch_size: 4 shuffle: true new_height: 360 new_width: 480 } }
layer { name: "conv1" type: "Convolution" bottom: "data" top: "conv1"
  convolution_param { num_output: 64 kernel_size: 7 pad: 3 } }
layer { name: "conv1_bn" type: "BN" bottom: "conv1" top: "conv1" top: "conv1_mean" top: "conv1_var"
  bn_param { bn_mode: LEARN scale_filler { type: "constant" value: 1 } } }
layer { name: "pool1" type: "Pooling" bottom: "conv1" top: "pool1" top: "pool1_mask"
  pooling_param { pool: MAX kernel_size: 2 stride: 2 } }
layer { name: "pool2" type: "Pooling" bottom: "pool1" top: "pool2" top: "pool2_mask"
  pooling_param { pool: MAX kernel_size: 2 stride: 2 } }
layer { name: "pool3" type: "Pooling" bottom: "pool2" top: "pool3" top: "pool3_mask"
  pooling_param { pool: MAX kernel_size: 2 stride: 2 } }
layer { name: "upsample3" type: "Upsample" bottom: "pool3" bottom: "pool3_mask" top: "up3"
  upsample_param { scale: 2 pad_out_h: true } }
layer { name: "upsample2" type: "Upsample" bottom: "pool2" bottom: "pool2_mask" top: "up2"
  upsample_param { upsample_h: 180 upsample_w: 240 } }
layer { name: "upsample1" type: "Upsample" bottom: "pool1" bottom: "pool1_mask" top: "up1"
  upsample_param { scale_h: 2 scale_w: 2 } }
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "up1" bottom: "label" top: "loss"
  loss_param { weight_by_label_freqs: true class_weighting: 0.2 class_weighting: 0.3 } }
`;

async function run(text: string, schema = segnet) {
  const result = inferShapes(buildNet((await parsed)(text)), 'TRAIN', schema);
  return {
    result,
    top: (name: string) => result.blobs.get(name),
    messages: result.problems.map((p) => p.message),
  };
}

test("SegNet's reader, BN and max-unpooling, as caffe-segnet shapes them", async () => {
  for (const schema of [segnet, loadBundledSchema()]) {
    // The same under SegNet's schema and under the bundled BVLC one (where SegNet's fields are a fork's).
    const { top, messages, result } = await run(NET, schema);
    assert.deepEqual(messages, []);
    assert.deepEqual(top('data'), [4, 3, 360, 480]);
    assert.deepEqual(top('label'), [4, 1, 360, 480]);
    // LEARN mode: the batch mean and variance, one value per channel.
    assert.deepEqual(top('conv1_mean'), [1, 64, 1, 1]);
    assert.deepEqual(top('conv1_var'), [1, 64, 1, 1]);
    assert.deepEqual(top('pool3'), [4, 64, 45, 60]);
    // 45·2 − 1 (pad_out_h), 60·2.
    assert.deepEqual(top('up3'), [4, 64, 89, 120]);
    assert.deepEqual(top('up2'), [4, 64, 180, 240]);
    assert.deepEqual(top('up1'), [4, 64, 360, 480]);
    // SegNet's BN keeps no running statistics: its scale and shift are its only blobs.
    const bn = result.layers.find((l) => l.layer.name === 'conv1_bn');
    assert.equal(bn?.stats, 0);
    // The class weights change no shape: the loss is still a scalar.
    assert.deepEqual(top('loss'), []);
  }
});

test("Upsample's and DenseImageData's CHECKs, in Caffe's words", async () => {
  const input =
    'input: "x" input_shape { dim: 1 dim: 8 dim: 10 dim: 10 }\ninput: "m" input_shape { dim: 1 dim: 8 dim: 12 dim: 10 }\n';
  const up = (param: string, mask = 'm') =>
    `layer { name: "u" type: "Upsample" bottom: "x" bottom: "${mask}" top: "u" upsample_param { ${param} } }\n`;
  // The mask is not the input's pooling mask.
  const mismatch = await run(input + up('scale: 2'));
  assert.match(
    mismatch.messages[0] ?? '',
    /^Upsample: the mask \(1×8×12×10\) has height 12, the input \(1×8×10×10\) 10: .*Caffe stops/,
  );
  assert.equal(mismatch.top('u'), null);
  const same = 'input: "x" input_shape { dim: 1 dim: 8 dim: 10 dim: 10 }\n';
  const withX = (param: string) => run(same + up(param, 'x'));
  assert.match((await withX('scale: 1')).messages[0] ?? '', /^scale must be > 1, it is 1; Caffe stops/);
  assert.match(
    (await withX('scale: 3 pad_out_w: true')).messages[0] ?? '',
    /^pad_out_w needs scale_w 2, it is 3; Caffe stops \("Output width padding compensation/,
  );
  assert.match(
    (await withX('scale: 2 scale_h: 2 scale_w: 2')).messages[0] ?? '',
    /^Upsample needs upsample_h and upsample_w, .*Caffe stops \("upsample_h & upsample_w are required/,
  );
  assert.deepEqual((await withX('scale_h: 3 scale_w: 2')).top('u'), [1, 8, 30, 20]);
  // One bottom: under SegNet's schema its Upsample without the mask; under another schema (the YOLO
  // ports' nearest-neighbour Upsample, scale alone) or the bundled one, another fork's layer: unknown.
  const single =
    same + 'layer { name: "u" type: "Upsample" bottom: "x" top: "u" upsample_param { scale: 2 } }\n';
  assert.match(
    (await run(single)).messages[0] ?? '',
    /^SegNet's Upsample takes 2 bottoms .*"Upsample Layer takes 2 bottom blob\(s\) as input\."/,
  );
  const bundled = await run(single, loadBundledSchema());
  assert.deepEqual(bundled.messages, []);
  assert.equal(bundled.top('u'), null);
  // A YOLO port's own schema (MobileNet-YOLO's UpsampleParameter holds a scale alone): not SegNet's layer.
  const yolo = loadBundledSchemaWith(
    readProto(
      'syntax = "proto2";\npackage caffe;\nmessage LayerParameter { optional UpsampleParameter upsample_param = 149; }\nmessage UpsampleParameter { optional int32 scale = 1 [default = 1]; }\n',
      '/w/caffe.proto',
    ).data,
    { kind: 'user', label: 'yolo' },
  );
  // Even with two bottoms, which under the bundled schema make it SegNet's.
  const own = await run(same + up('scale: 2', 'x'), yolo);
  assert.deepEqual(own.messages, []);
  assert.equal(own.top('u'), null);
  // A 3-axis input.
  const flat = await run('input: "x" input_shape { dim: 1 dim: 8 dim: 10 }\n' + up('scale: 2', 'x'));
  assert.match(
    flat.messages[0] ?? '',
    /^Upsample: bottom 0 \(1×8×10\) has 3 axes, it needs 4; Caffe stops \("Input must have 4 axes/,
  );
  const reader = await run(
    'layer { name: "d" type: "DenseImageData" top: "d" top: "l" dense_image_data_param { batch_size: 2 new_height: 100 } }\n',
  );
  assert.match(
    reader.messages[0] ?? '',
    /^DenseImageData needs new_height and new_width set together; Caffe stops/,
  );
  // The transform's crop wins; gray images have one channel; the image size is otherwise the files'.
  const crop = await run(
    'layer { name: "d" type: "DenseImageData" top: "d" top: "l" transform_param { crop_size: 64 } dense_image_data_param { batch_size: 2 is_color: false crop_height: 32 crop_width: 48 } }\n',
  );
  assert.deepEqual(crop.top('d'), [2, 1, 64, 64]);
  const files = await run(
    'layer { name: "d" type: "DenseImageData" top: "d" top: "l" dense_image_data_param { batch_size: 2 } }\n',
  );
  assert.equal(String(files.top('d')), '2,3,NaN,NaN');
});

test("BN of ducha-aiki's and PSPNet's kind keeps its statistics and one top", async () => {
  const { top, result } = await run(
    'input: "x" input_shape { dim: 2 dim: 16 dim: 4 dim: 4 }\nlayer { name: "bn" type: "BN" bottom: "x" top: "y" bn_param { scale_filler { type: "constant" value: 1 } } }\n',
    loadBundledFork('pspnet')!,
  );
  assert.deepEqual(top('y'), [2, 16, 4, 4]);
  assert.equal(result.layers[0]?.stats, 32);
});
