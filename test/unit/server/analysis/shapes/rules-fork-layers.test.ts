import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNet } from '../../../../../server/src/analysis/model/net';
import { inferShapes } from '../../../../../server/src/analysis/shapes';
import { loadBundledFork, loadBundledSchema } from '../../../../../server/src/schema/bundled';
import { loadParser } from './test-parse';

const parsed = loadParser();

async function run(text: string, schema = loadBundledSchema()) {
  const result = inferShapes(buildNet((await parsed)(text)), 'TRAIN', schema);
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
