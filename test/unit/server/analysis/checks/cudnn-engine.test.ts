// `engine: CUDNN`: Caffe's layer factory has that engine only when built with cuDNN, and BVLC's cuDNN
// convolution has no dilation. The pycaffe of these tests is a CPU-only build: it stops on every
// CUDNN engine ("has unknown engine") and builds the same layers with the default engine, dilated
// or not, which is what the quick fix leaves.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertCaffeRefuses } from '../../../../helpers/pycaffe-nets';
import { has } from '../../../../helpers/resources';
import { quickFixAt } from '../../../../helpers/quick-fix';
import { check } from './helpers';

const INPUT = `name: "engines"
layer { name: "in" type: "Input" top: "x" top: "label" input_param { shape { dim: 2 dim: 3 dim: 8 dim: 8 } shape { dim: 2 } } }
`;

interface Case {
  what: string;
  layer: string;
  /** The severity told (undefined: nothing). */
  told?: 'information' | 'warning';
  /** Caffe's words in a CPU-only build (undefined: it builds the net). */
  caffe?: string;
}

const conv = (extra: string, type = 'Convolution') =>
  `layer { name: "c" type: "${type}" bottom: "x" top: "c" convolution_param { num_output: 2 kernel_size: 3 ${extra}} }`;

const CASES: Case[] = [
  { what: 'a convolution without an engine', layer: conv('') },
  { what: 'a convolution with engine CAFFE', layer: conv('engine: CAFFE ') },
  { what: 'a dilated convolution, default engine', layer: conv('dilation: 2 ') },
  {
    what: 'a convolution with engine CUDNN',
    layer: conv('engine: CUDNN '),
    told: 'information',
    caffe: 'Layer c has unknown engine.',
  },
  {
    what: 'a dilated convolution with engine CUDNN',
    layer: conv('dilation: 2 engine: CUDNN '),
    told: 'warning',
    caffe: 'Layer c has unknown engine.',
  },
  {
    what: 'a deconvolution with engine CUDNN written as its number',
    layer: conv('engine: 2 ', 'Deconvolution'),
    told: 'information',
    caffe: 'Layer c has unknown engine.',
  },
  {
    // BVLC makes a Deconvolution by its engine only since September 2017: an older Caffe ignores it.
    what: 'a dilated deconvolution with engine CUDNN',
    layer: conv('dilation: 2 engine: CUDNN ', 'Deconvolution'),
    told: 'information',
    caffe: 'Layer c has unknown engine.',
  },
  {
    what: 'a pooling with engine CUDNN',
    layer:
      'layer { name: "p" type: "Pooling" bottom: "x" top: "p" pooling_param { kernel_size: 2 engine: CUDNN } }',
    told: 'information',
    caffe: 'Layer p has unknown engine.',
  },
  {
    what: 'an LRN with engine CUDNN',
    layer: 'layer { name: "n" type: "LRN" bottom: "x" top: "n" lrn_param { engine: CUDNN } }',
    told: 'information',
    caffe: 'Layer n has unknown engine.',
  },
  {
    what: 'ReLU, Sigmoid and TanH with engine CUDNN',
    layer:
      'layer { name: "r" type: "ReLU" bottom: "x" top: "r" relu_param { engine: CUDNN } }\n' +
      'layer { name: "s" type: "Sigmoid" bottom: "x" top: "s" sigmoid_param { engine: CUDNN } }\n' +
      'layer { name: "t" type: "TanH" bottom: "x" top: "t" tanh_param { engine: CUDNN } }',
    told: 'information',
    caffe: 'Layer r has unknown engine.',
  },
  {
    what: 'a SoftmaxWithLoss whose inner Softmax takes its engine',
    layer:
      'layer { name: "f" type: "InnerProduct" bottom: "x" top: "f" inner_product_param { num_output: 3 } }\n' +
      'layer { name: "loss" type: "SoftmaxWithLoss" bottom: "f" bottom: "label" top: "loss" softmax_param { engine: CUDNN } }',
    told: 'information',
    caffe: 'Layer loss has unknown engine.',
  },
  {
    what: 'a V1 convolution with engine CUDNN',
    layer: '',
    told: 'information',
    caffe: 'Layer c has unknown engine.',
  },
];

const V1 = `name: "v1"
input: "x" input_dim: 2 input_dim: 3 input_dim: 8 input_dim: 8
layers { name: "c" type: CONVOLUTION bottom: "x" top: "c" convolution_param { num_output: 2 kernel_size: 3 engine: CUDNN } }
`;

const netOf = (c: Case) => (c.layer === '' ? V1 : `${INPUT}${c.layer}\n`);

for (const c of CASES) {
  test(`cudnn engine: ${c.what}`, () => {
    const text = netOf(c);
    const found = check(text).filter((f) => f.code === 'cudnn-engine');
    if (c.told === undefined) {
      assert.deepEqual(found, []);
      return;
    }
    // One per layer, on its engine field; from three layers on, one for them all.
    const engines = [...text.matchAll(/engine: (CUDNN|2)/g)].length;
    assert.equal(found.length, engines >= 3 ? 1 : engines);
    for (const f of found) assert.equal(f.severity, c.told);
    if (engines >= 3) {
      assert.equal(found[0].related?.length, engines - 1);
      assert.match(found[0].message, new RegExp(`The same holds at ${engines - 1} more places in this file`));
    }
  });
}

test("the messages give Caffe's words and the way out", () => {
  const [plain] = check(netOf(CASES[3])).filter((f) => f.code === 'cudnn-engine');
  assert.equal(
    plain.message,
    'engine: CUDNN runs only in a Caffe built with cuDNN: a CPU-only build, or one without USE_CUDNN, stops as it makes this layer ("Layer c has unknown engine."). Leave the engine out: the default takes cuDNN where Caffe has it, and Caffe\'s own implementation elsewhere.',
  );
  const [dilated] = check(netOf(CASES[4])).filter((f) => f.code === 'cudnn-engine');
  assert.equal(
    dilated.message,
    'engine: CUDNN with dilation 2 fails in every build of BVLC Caffe: with cuDNN it stops ("CuDNN doesn\'t support the dilated convolution at Layer c"), without it there is no CUDNN engine ("Layer c has unknown engine."). Leave the engine out: the default runs a dilated convolution with Caffe\'s own implementation.',
  );
});

test('a Deconvolution says since when its engine counts', () => {
  const [d] = check(netOf(CASES[6])).filter((f) => f.code === 'cudnn-engine');
  assert.match(
    d.message,
    /stops as it makes this layer \(a Deconvolution since BVLC Caffe of September 2017\) \("Layer c has unknown engine\."\)/,
  );
});

function fixOf(marked: string): string | undefined {
  return quickFixAt(marked, (title) => title.startsWith('Leave the engine out'))?.text;
}

test('the quick fix takes the engine out, on its line or inside one', () => {
  assert.equal(
    fixOf('layer {\n  name: "r"\n  type: "ReLU"\n  relu_param {\n    eng<|>ine: CUDNN\n  }\n}\n'),
    'layer {\n  name: "r"\n  type: "ReLU"\n  relu_param {\n  }\n}\n',
  );
  assert.equal(
    fixOf('layer { name: "p" type: "Pooling" pooling_param { kernel_size: 2 engi<|>ne: CUDNN } }\n'),
    'layer { name: "p" type: "Pooling" pooling_param { kernel_size: 2 } }\n',
  );
  assert.equal(
    fixOf('layer { name: "p" type: "Pooling" pooling_param { kernel_size: 2 engi<|>ne: CAFFE } }\n'),
    undefined,
  );
});

test('caffe.Net (a CPU-only build) stops on every CUDNN engine, and builds each net once fixed', (t) => {
  if (!has(t, 'pycaffe')) return;
  assertCaffeRefuses(CASES, netOf, 'TEST');
  const fixed = CASES.map((c) => ({ ...c, caffe: undefined }));
  assertCaffeRefuses(fixed, (c) => netOf(c).replace(/ engine: (CUDNN|2)/g, ''), 'TEST');
});
