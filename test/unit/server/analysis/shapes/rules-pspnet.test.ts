import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNet } from '../../../../../server/src/analysis/model/net';
import { inferShapes } from '../../../../../server/src/analysis/shapes';
import { loadBundledFork, loadBundledSchema } from '../../../../../server/src/schema/bundled';
import { loadParser } from './test-parse';

const parsed = loadParser();
const pspnet = loadBundledFork('pspnet')!;

const INPUT = 'input: "x" input_shape { dim: 1 dim: 512 dim: 60 dim: 60 }\n';
const interp = (param: string, bottom = 'x') =>
  `layer { name: "i" type: "Interp" bottom: "${bottom}" top: "i" interp_param { ${param} } }\n`;

async function run(text: string, schema = pspnet) {
  const result = inferShapes(buildNet((await parsed)(text)), 'TEST', schema);
  return { top: result.blobs.get('i'), messages: result.problems.map((p) => p.message) };
}

test("PSPNet's Interp, as its Reshape sizes the output", async () => {
  for (const schema of [pspnet, loadBundledSchema()]) {
    // pspnet101_VOC2012_473's pyramid (height and width) and its last upsampling (zoom_factor 8: 60 → 473).
    assert.deepEqual((await run(INPUT + interp('height: 30 width: 40'), schema)).top, [1, 512, 30, 40]);
    assert.deepEqual((await run(INPUT + interp('zoom_factor: 8'), schema)).top, [1, 512, 473, 473]);
  }
  // ICNet's shrink_factor: (60 − 1) / 2 + 1; both factors in turn; a crop by negative pads first.
  assert.deepEqual((await run(INPUT + interp('shrink_factor: 2'))).top, [1, 512, 30, 30]);
  assert.deepEqual((await run(INPUT + interp('shrink_factor: 4 zoom_factor: 2'))).top, [1, 512, 29, 29]);
  assert.deepEqual(
    (await run(INPUT + interp('zoom_factor: 2 pad_beg: -1 pad_end: -1'))).top,
    [1, 512, 115, 115],
  );
  // The factors win over height and width when given alone.
  assert.deepEqual((await run(INPUT + interp('zoom_factor: 2 height: 5 width: 5'))).top, [1, 512, 119, 119]);
  // An unknown input size stays unknown, unless height and width give the output's.
  const open =
    'layer { name: "d" type: "ImageData" top: "x" top: "l" image_data_param { source: "list.txt" batch_size: 1 } }\n';
  assert.equal(String((await run(open + interp('zoom_factor: 2'))).top), '1,3,NaN,NaN');
  assert.deepEqual((await run(open + interp('height: 64 width: 48'))).top, [1, 3, 64, 48]);
});

test("Interp's CHECKs, in Caffe's words", async () => {
  const first = async (param: string, input = INPUT) => (await run(input + interp(param))).messages[0] ?? '';
  assert.match(
    await first('zoom_factor: 2 pad_beg: 1'),
    /^pad_beg must be ≤ 0 \(a crop\), it is 1; Caffe stops \("Only supports non-pos padding/,
  );
  assert.match(
    await first('zoom_factor: 0'),
    /^zoom_factor must be ≥ 1, it is 0; Caffe stops \("Zoom factor must be positive"\)/,
  );
  assert.match(
    await first('height: 10'),
    /^Interp needs zoom_factor, shrink_factor or both, or height and width; .*LOG\(FATAL\)/,
  );
  assert.match(
    await first('shrink_factor: 2 pad_beg: -30 pad_end: -30'),
    /^the cropped input's height would be 0; Caffe stops \("height should be positive"\)/,
  );
  assert.match(
    await first('zoom_factor: 2', 'input: "x" input_shape { dim: 1 dim: 2 dim: 3 dim: 4 dim: 5 }\n'),
    /^Interp: the input \(1×2×3×4×5\) has 5 axes; Caffe stops \("Cannot use legacy accessors on Blobs with > 4 axes\."\)/,
  );
});

test("ImageSegData, DeepLab's and PSPNet's reader of images and label images: three tops and its CHECKs", async () => {
  // DeepLab v2's train.prototxt: a crop_size crop, PIXEL labels, the image sizes as a third top.
  const data = (transform: string, param = '') =>
    `layer { name: "d" type: "ImageSegData" top: "data" top: "label" top: "data_dim" transform_param { mirror: true ${transform} mean_value: 104 mean_value: 117 mean_value: 123 } image_data_param { source: "train.txt" batch_size: 10 shuffle: true label_type: PIXEL ignore_label: 255 ${param} } }\n`;
  const shapes = async (text: string, schema = pspnet) => {
    const result = inferShapes(buildNet((await parsed)(text)), 'TRAIN', schema);
    return { blob: (n: string) => result.blobs.get(n), messages: result.problems.map((p) => p.message) };
  };
  for (const schema of [pspnet, loadBundledSchema()]) {
    const { blob, messages } = await shapes(data('crop_size: 321'), schema);
    assert.deepEqual(messages, []);
    assert.deepEqual(blob('data'), [10, 3, 321, 321]);
    assert.deepEqual(blob('label'), [10, 1, 321, 321]);
    assert.deepEqual(blob('data_dim'), [10, 1, 1, 2]);
  }
  assert.deepEqual(
    (await shapes(data('', 'is_color: false new_height: 200 new_width: 300'))).blob('data'),
    [10, 1, 200, 300],
  );
  assert.match(
    (await shapes(data('crop_size: 321 mean_file: "m.binaryproto"'))).messages[0] ?? '',
    /Caffe stops \("ImageSegDataLayer does not support mean file"\)/,
  );
});

/** Every blob's shape, and the problems, of a net under PSPNet's schema in TRAIN. */
async function runNet(text: string) {
  const result = inferShapes(buildNet((await parsed)(text)), 'TRAIN', pspnet);
  return { top: (name: string) => result.blobs.get(name), messages: result.problems.map((p) => p.message) };
}

test("DeepLab v2's segmentation layers in PSPNet's Caffe: DenseCRF, BiasChannel, UniqueLabel, SegAccuracy", async () => {
  const net = `input: "scores" input_shape { dim: 2 dim: 21 dim: 65 dim: 65 }
input: "dims" input_shape { dim: 2 dim: 1 dim: 1 dim: 2 }
input: "image" input_shape { dim: 2 dim: 3 dim: 65 dim: 65 }
input: "label" input_shape { dim: 2 dim: 1 dim: 65 dim: 65 }
layer { name: "crf" type: "DenseCRF" bottom: "scores" bottom: "dims" bottom: "image" top: "crf" dense_crf_param { max_iter: 10 pos_w: 3 pos_xy_std: 3 bi_w: 4 bi_xy_std: 121 bi_rgb_std: 5 } }
layer { name: "unique" type: "UniqueLabel" bottom: "label" top: "unique" unique_label_param { max_labels: 4 ignore_label: 255 force_label: 0 } }
layer { name: "bias" type: "BiasChannel" bottom: "crf" bottom: "unique" top: "bias" }
layer { name: "adaptive" type: "AdaptiveBiasChannel" bottom: "bias" bottom: "unique" top: "adaptive" }
layer { name: "acc" type: "SegAccuracy" bottom: "adaptive" bottom: "label" top: "acc" }
`;
  const { top, messages } = await runNet(net);
  assert.deepEqual(messages, []);
  assert.deepEqual(top('crf'), [2, 21, 65, 65]);
  assert.deepEqual(top('unique'), [2, 4, 1, 1]);
  assert.deepEqual(top('bias'), [2, 21, 65, 65]);
  assert.deepEqual(top('adaptive'), [2, 21, 65, 65]);
  assert.deepEqual(top('acc'), [1, 1, 1, 3]);
  // Their CHECKs.
  const grey = await runNet(
    net.replace('input: "image" input_shape { dim: 2 dim: 3', 'input: "image" input_shape { dim: 2 dim: 1'),
  );
  assert.match(
    grey.messages[0] ?? '',
    /DenseCRF: the images have 1 channels; Caffe stops \("Can Only support color images for now\."\)/,
  );
  const noRoom = await runNet(net.replace('max_labels: 4', 'max_labels: 1'));
  assert.match(noRoom.messages[0] ?? '', /UniqueLabel: max_labels 1 leaves no room past the 1 forced label/);
  const pixel = await runNet(
    net.replace('top: "bias" }', 'top: "bias" bias_channel_param { label_type: PIXEL } }'),
  );
  assert.match(
    pixel.messages[0] ?? '',
    /BiasChannel: PIXEL labels have 4 channels; Caffe stops \("Label channels"\)/,
  );
  const smallLabels = await runNet(
    net.replace(
      'input: "label" input_shape { dim: 2 dim: 1 dim: 65 dim: 65 }',
      'input: "label" input_shape { dim: 2 dim: 1 dim: 33 dim: 33 }',
    ),
  );
  assert.match(smallLabels.messages[0] ?? '', /SegAccuracy: the data is 65×65, the labels 33×33/);
});
