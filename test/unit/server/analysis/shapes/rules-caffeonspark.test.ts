import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNet } from '../../../../../server/src/analysis/model/net';
import { inferShapes } from '../../../../../server/src/analysis/shapes';
import { loadBundledFork, loadBundledSchema } from '../../../../../server/src/schema/bundled';
import type { Schema } from '../../../../../server/src/schema/schema';
import { loadParser } from './test-parse';

const parsed = loadParser();
const cos = loadBundledFork('caffeonspark')!;

/** CaffeOnSpark's data/lenet_cos_train_test.prototxt, cut down to its reader and first layers. */
const reader = (tops: string, entries: string, extra = '') =>
  `layer { name: "data" type: "CoSData" ${tops}
  source_class: "com.yahoo.ml.caffe.DataFrameSource"
  cos_data_param { source: "hdfs:///mnist_train_dataframe/" batch_size: 64 ${extra}
    ${entries} } }
`;
const IMAGE =
  'top { name: "data" type: RAW_IMAGE channels: 1 height: 28 width: 28 transform_param { scale: 0.00390625 } }';
const LABEL = 'top { name: "label" type: STRING channels: 1 height: 1 width: 1 }';
const LENET = `${reader('top: "data" top: "label"', `${IMAGE} ${LABEL}`)}
layer { name: "conv1" type: "Convolution" bottom: "data" top: "conv1" convolution_param { num_output: 20 kernel_size: 5 } }
layer { name: "ip" type: "InnerProduct" bottom: "conv1" top: "ip" inner_product_param { num_output: 10 } }
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "ip" bottom: "label" top: "loss" }
`;

async function run(text: string, schema: Schema = cos) {
  const result = inferShapes(buildNet((await parsed)(text)), 'TRAIN', schema);
  return { top: (name: string) => result.blobs.get(name), messages: result.problems.map((p) => p.message) };
}

test("CaffeOnSpark's CoSData: one top per entry, batch_size × channels × height × width", async () => {
  // The same under CaffeOnSpark's schema and under the bundled BVLC one (where its fields are a fork's).
  for (const schema of [cos, loadBundledSchema()]) {
    const { top, messages } = await run(LENET, schema);
    assert.deepEqual(messages, []);
    assert.deepEqual(top('data'), [64, 1, 28, 28]);
    assert.deepEqual(top('label'), [64, 1, 1, 1]);
    assert.deepEqual(top('conv1'), [64, 20, 24, 24]);
    assert.deepEqual(top('loss'), []);
  }
});

test('CoSData: out_* sizes win, sample_num_axes cuts the shape, a transposed vector is channels × batch', async () => {
  const entries =
    'top { name: "a" type: ENCODED_IMAGE channels: 3 height: 256 width: 256 out_height: 227 out_width: 227 } ' +
    'top { name: "b" type: FLOAT_ARRAY channels: 20 sample_num_axes: 1 } ' +
    'top { name: "c" type: INT_ARRAY channels: 7 sample_num_axes: 1 transpose: true } ' +
    'top { name: "d" type: INT sample_num_axes: 0 }';
  const { top, messages } = await run(reader('top: "a" top: "b" top: "c" top: "d"', entries));
  assert.deepEqual(messages, []);
  assert.deepEqual(top('a'), [64, 3, 227, 227]);
  assert.deepEqual(top('b'), [64, 20]);
  assert.deepEqual(top('c'), [7, 64]);
  assert.deepEqual(top('d'), [64]);
});

test("CoSData: its CHECKs in Caffe's words, and no shape after them", async () => {
  const count = await run(reader('top: "data" top: "label"', IMAGE));
  assert.match(
    count.messages[0],
    /^CoSData has 2 tops and cos_data_param 1 top entry; Caffe stops \("number of tops/,
  );
  assert.equal(count.top('data'), null);
  const axes = await run(reader('top: "data"', 'top { name: "data" channels: 1 sample_num_axes: 4 }'));
  assert.match(axes.messages[0], /^CoSData: sample_num_axes 4 is above 3; Caffe stops/);
  const transposed = await run(reader('top: "data"', 'top { name: "data" channels: 5 transpose: true }'));
  assert.match(
    transposed.messages[0],
    /^CoSData: a transposed top needs sample_num_axes 1, this entry has 3; Caffe stops/,
  );
});
