// What Caffe builds beyond what the file writes, and what shape inference must show for it: the top a
// loss layer gets without `top:`, the legacy input layer, V0 padding merged away, memory as Caffe
// counts it (each checked against real Caffe by real-caffe-shapes.test.ts).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNet, type Phase } from '../../../../../server/src/analysis/model/net';
import { inferShapes, type ShapeResult } from '../../../../../server/src/analysis/shapes';
import { memoryOf } from '../../../../../server/src/analysis/shapes/memory';
import { shapesJson } from '../../../../../server/src/cli/commands/shapes';
import { parse } from '../../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../../server/src/schema/bundled';

const schema = loadBundledSchema();

function infer(text: string, phase: Phase = 'TEST'): ShapeResult {
  return inferShapes(buildNet(parse(text), schema), phase, schema);
}

const INPUTS = `layer { name: "in" type: "Input" top: "x" top: "label"
  input_param { shape { dim: 8 dim: 10 } shape { dim: 8 } } }
`;

test('a loss layer without top: gets the scalar top Caffe adds, named (automatic)', () => {
  const r = infer(`${INPUTS}layer { name: "loss" type: "SoftmaxWithLoss" bottom: "x" bottom: "label" }`);
  const loss = r.layers.find((l) => l.layer.name === 'loss');
  assert.deepEqual(loss?.automaticTops, [[]]);
  assert.deepEqual(r.blobs.get('(automatic)'), []);
  const json = shapesJson(r).layers.find((l) => l.name === 'loss');
  assert.deepEqual(json?.tops, [{ name: '(automatic)', shape: [] }]);
  // A written top, and a layer that is not a loss, get none.
  const named = infer(
    `${INPUTS}layer { name: "loss" type: "SoftmaxWithLoss" bottom: "x" bottom: "label" top: "l" }`,
  );
  assert.deepEqual(named.layers.at(-1)?.automaticTops, []);
  const silence = infer(`${INPUTS}layer { name: "s" type: "Silence" bottom: "x" }`);
  assert.deepEqual(silence.layers.at(-1)?.automaticTops, []);
  assert.equal(silence.blobs.get('(automatic)'), undefined);
});

test('legacy inputs are listed as the Input layer "input" Caffe builds; inputs without any shape are dropped', () => {
  const r = infer(
    'input: "data"\ninput_shape { dim: 2 dim: 3 }\nlayer { name: "ip" type: "InnerProduct" bottom: "data" top: "ip" inner_product_param { num_output: 4 } }',
  );
  const json = shapesJson(r);
  assert.deepEqual(json.layers[0], {
    name: 'input',
    type: 'Input',
    tops: [{ name: 'data', shape: [2, 3] }],
    params: 0,
    macs: 0,
    topBytes: 2 * 3 * 4,
  });
  assert.equal(json.totals.dataBytes, (6 + 8) * 4);
  // `input:` alone (a legacy weights file's net) is stripped by Caffe's upgrade: no input layer.
  const bare = infer(
    'input: "data"\nlayer { name: "in" type: "Input" top: "data" input_param { shape { dim: 5 } } }',
  );
  assert.deepEqual(bare.inputs, []);
  assert.equal(shapesJson(bare).layers[0].name, 'in');
  assert.equal(memoryOf(bare).dataBytes, 5 * 4);
});

test('data memory counts every top per layer (in place again) plus the Split tops Caffe inserts', () => {
  // x (8×10) is read by ip and by loss: a Split layer with two 8×10 tops. The loss top has a written
  // loss_weight and no reader: no split for it.
  const r =
    infer(`${INPUTS}layer { name: "ip" type: "InnerProduct" bottom: "x" top: "ip" inner_product_param { num_output: 10 } }
layer { name: "relu" type: "ReLU" bottom: "ip" top: "ip" }
layer { name: "loss" type: "EuclideanLoss" bottom: "ip" bottom: "x" top: "loss" loss_weight: 1 }`);
  const m = memoryOf(r);
  const tops = 80 + 8 + 80 + 80 + 1;
  const splits = 2 * 80;
  assert.equal(m.dataBytes, (tops + splits) * 4);
  assert.deepEqual(m.topBytes, [88 * 4, 80 * 4, 80 * 4, 4]);
  assert.equal(m.paramBytes, 110 * 4);
  // Training: data and diff of the distinct blobs (relu shares ip's), the Split tops' diffs, the
  // parameters and their diffs.
  assert.equal(m.trainingBytes, (2 * (80 + 8 + 80 + 1) + splits + 2 * 110) * 4);
  // A loss top that is also read, with a written loss_weight, gets a Split too.
  const read =
    infer(`${INPUTS}layer { name: "loss" type: "EuclideanLoss" bottom: "x" bottom: "x" top: "l" loss_weight: 1 }
layer { name: "s" type: "Silence" bottom: "l" }`);
  assert.equal(memoryOf(read).dataBytes, (88 + 1 + 2 * 80 + 2 * 1) * 4);
});

test('V0 padding layers are merged into the next layer as Caffe upgrades them: not listed, no memory', () => {
  const text = `name: "v0"
input: "data"
input_dim: 1 input_dim: 3 input_dim: 8 input_dim: 8
layers { layer { name: "pad1" type: "padding" pad: 2 } bottom: "data" top: "pad1" }
layers { layer { name: "conv1" type: "conv" num_output: 4 kernelsize: 5 } bottom: "pad1" top: "conv1" }
`;
  const r = infer(text);
  const json = shapesJson(r);
  assert.deepEqual(
    json.layers.map((l) => l.name),
    ['input', 'conv1'],
  );
  assert.deepEqual(json.layers[1].tops, [{ name: 'conv1', shape: [1, 4, 8, 8] }]);
  assert.equal(json.totals.dataBytes, (192 + 256) * 4);
});

const SEQUENCE = `layer { name: "in" type: "Input" top: "x" top: "cont" top: "static" top: "h0" top: "c0"
  input_param { shape { dim: 5 dim: 2 dim: 4096 } shape { dim: 5 dim: 2 } shape { dim: 2 dim: 7 }
                shape { dim: 1 dim: 2 dim: 256 } shape { dim: 1 dim: 2 dim: 256 } } }
`;

test('LSTM: T×N×num_output, parameters as Caffe unrolls them (4096 -> 256: 4,457,472)', () => {
  const r = infer(`${SEQUENCE}layer { name: "lstm" type: "LSTM" bottom: "x" bottom: "cont" top: "h"
  recurrent_param { num_output: 256 } }`);
  const lstm = r.layers.at(-1);
  assert.deepEqual(lstm?.tops, [[5, 2, 256]]);
  assert.equal(lstm?.params, 4457472);
  assert.equal(lstm?.macs, 5 * 2 * 4 * 256 * (4096 + 256));
  // A static input adds W_xc_static; expose_hidden takes h0, c0 and gives the final h and c.
  const exposed =
    infer(`${SEQUENCE}layer { name: "lstm" type: "LSTM" bottom: "x" bottom: "cont" bottom: "static"
  bottom: "h0" bottom: "c0" top: "h" top: "hT" top: "cT" recurrent_param { num_output: 256 expose_hidden: true } }`);
  assert.deepEqual(exposed.layers.at(-1)?.tops, [
    [5, 2, 256],
    [1, 2, 256],
    [1, 2, 256],
  ]);
  assert.equal(exposed.layers.at(-1)?.params, 4457472 + 4 * 256 * 7);
});

test('RNN: W_xh, b_h, W_hh, W_ho, b_o; a cont bottom of the wrong shape is reported', () => {
  const r =
    infer(`${SEQUENCE}layer { name: "rnn" type: "RNN" bottom: "x" bottom: "cont" bottom: "static" top: "h"
  recurrent_param { num_output: 16 } }`);
  assert.deepEqual(r.layers.at(-1)?.tops, [[5, 2, 16]]);
  assert.equal(r.layers.at(-1)?.params, 16 * 4096 + 16 + 16 * 7 + 16 * 16 + 16 * 16 + 16);
  const bad = infer(`${SEQUENCE}layer { name: "rnn" type: "RNN" bottom: "x" bottom: "static" top: "h"
  recurrent_param { num_output: 16 } }`);
  assert.deepEqual(bad.layers.at(-1)?.tops, [null]);
  assert.match(bad.problems.map((p) => p.message).join('\n'), /continuation bottom must be 5×2/);
});
