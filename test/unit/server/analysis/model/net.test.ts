import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNet } from '../../../../../server/src/analysis/model/net';
import { layersInPhase } from '../../../../../server/src/analysis/model/net-filter';
import { blobGraph, isInPlaceTop } from '../../../../../server/src/analysis/model/net-blobs';
import { loadParser } from '../shapes/test-parse';

const parsed = loadParser();

const TRAIN_TEST = `name: "t"
layer { name: "data" type: "Data" top: "data" top: "label" include { phase: TRAIN } }
layer { name: "data" type: "Data" top: "data" top: "label" include: { phase: TEST } }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv"
  param { lr_mult: 1 } param { name: "b" lr_mult: 2 decay_mult: 0 }
  convolution_param { num_output: 8 kernel_size: 3 } }
layer { name: "relu" type: "ReLU" bottom: "conv" top: "conv" }
layer { name: "acc" type: "Accuracy" bottom: "conv" bottom: "label" top: "acc" include { phase: TEST } }
layer { name: "deploy_only" type: "Softmax" bottom: "conv" top: "prob" include { stage: "deploy" } }
layer { name: "not_lvl" type: "Softmax" bottom: "conv" top: "p2" exclude { min_level: 1 } }
`;

test('buildNet reads V2 layers with names, types, blobs, rules, param specs and param blocks', async () => {
  const text = TRAIN_TEST;
  const net = buildNet((await parsed)(text));
  assert.equal(net.name, 't');
  assert.equal(net.format, 'v2');
  assert.equal(net.layers.length, 7);
  const conv = net.layers[2];
  assert.equal(conv.name, 'conv');
  assert.equal(conv.type, 'Convolution');
  assert.equal(text.slice(conv.typeSpan!.start, conv.typeSpan!.end), '"Convolution"');
  assert.deepEqual(
    conv.bottoms.map((b) => b.name),
    ['data'],
  );
  assert.equal(text.slice(conv.tops[0].span.start, conv.tops[0].span.end), '"conv"');
  assert.deepEqual(
    conv.paramSpecs.map((p) => [p.name, p.lrMult, p.decayMult]),
    [
      [undefined, 1, undefined],
      ['b', 2, 0],
    ],
  );
  assert.ok(conv.paramBlocks.has('convolution_param'));
  assert.equal(net.layers[0].include[0].phase, 'TRAIN');
  assert.equal(net.layers[1].include[0].phase, 'TEST');
  assert.deepEqual(net.layers[5].include[0].stages, ['deploy']);
  assert.equal(net.layers[6].exclude[0].minLevel, 1);
  assert.ok(isInPlaceTop(net.layers[3], 0));
  assert.ok(!isInPlaceTop(conv, 0));
});

test('layersInPhase applies include/exclude rules like Caffe FilterNet', async () => {
  const net = buildNet((await parsed)(TRAIN_TEST));
  const names = (phase: 'TRAIN' | 'TEST', o?: { stages?: string[]; level?: number }) =>
    layersInPhase(net, phase, o).map((l) => `${l.index}:${l.name}`);
  assert.deepEqual(names('TRAIN'), ['0:data', '2:conv', '3:relu', '6:not_lvl']);
  assert.deepEqual(names('TEST'), ['1:data', '2:conv', '3:relu', '4:acc', '6:not_lvl']);
  assert.deepEqual(names('TEST', { stages: ['deploy'], level: 1 }), [
    '1:data',
    '2:conv',
    '3:relu',
    '4:acc',
    '5:deploy_only',
  ]);
});

test('state { } stages and level are the defaults of the net state', async () => {
  const net = buildNet((await parsed)(TRAIN_TEST + 'state { phase: TEST level: 2 stage: "deploy" }\n'));
  assert.deepEqual(net.state, { phase: 'TEST', level: 2, stages: ['deploy'] });
  assert.deepEqual(
    layersInPhase(net, 'TEST').map((l) => l.name),
    ['data', 'conv', 'relu', 'acc', 'deploy_only'],
  );
});

test('blob graph: producers and consumers in order, in-place rewrites, legacy inputs first', async () => {
  const text = `input: "img" input_shape { dim: 1 dim: 3 dim: 8 dim: 8 }
layer { name: "c" type: "Convolution" bottom: "img" top: "c" }
layer { name: "r" type: "ReLU" bottom: "c" top: "c" }
layer { name: "s" type: "Softmax" bottom: "c" bottom: "missing" top: "s" }`;
  const net = buildNet((await parsed)(text));
  assert.deepEqual(
    net.inputs.map((i) => [i.name, i.shape]),
    [['img', [1, 3, 8, 8]]],
  );
  const g = blobGraph(net, net.layers);
  assert.deepEqual([...g.blobs.keys()], ['img', 'c', 'missing', 's']);
  const c = g.blobs.get('c')!;
  assert.deepEqual(
    c.producers.map((p) => p.layer),
    [0, 1],
  );
  assert.deepEqual(
    c.consumers.map((p) => p.layer),
    [1, 2],
  );
  assert.equal(g.sources.get(0)![0]!.layer, -1);
  assert.equal(g.sources.get(2)![0]!.layer, 1); // reads the ReLU's rewrite
  assert.equal(g.sources.get(2)![1], undefined);
});

test('legacy inputs: four input_dim per input, one input_shape each (none for an input past the last)', async () => {
  const parse = await parsed;
  const dims = buildNet(
    parse(
      'input: "a" input: "b" input_dim: 1 input_dim: 2 input_dim: 3 input_dim: 4 input_dim: 5 input_dim: 6 input_dim: 7 input_dim: 8',
    ),
  );
  assert.deepEqual(
    dims.inputs.map((i) => i.shape),
    [
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ],
  );
  const one = buildNet(parse('input: "a" input: "b" input_shape { dim: 2 dim: 5 }'));
  assert.deepEqual(
    one.inputs.map((i) => i.shape),
    [[2, 5], null],
  );
  const none = buildNet(parse('input: "a"'));
  assert.deepEqual(
    none.inputs.map((i) => i.shape),
    [null],
  );
});

test('V1 layers map enum types (names and numbers) and blobs_lr to param specs', async () => {
  const text = `layers { name: "c" type: CONVOLUTION bottom: "d" top: "c" blobs_lr: 1 blobs_lr: 2 weight_decay: 1 weight_decay: 0
  convolution_param { num_output: 4 kernel_size: 1 } }
layers { name: "r" type: 18 bottom: "c" top: "c" }
layers { name: "l" type: SOFTMAX_LOSS bottom: "c" top: "loss" include { phase: TRAIN } }`;
  const net = buildNet((await parsed)(text));
  assert.equal(net.format, 'v1');
  assert.deepEqual(
    net.layers.map((l) => l.type),
    ['Convolution', 'ReLU', 'SoftmaxWithLoss'],
  );
  assert.equal(net.layers[0].rawType, 'CONVOLUTION');
  assert.deepEqual(
    net.layers[0].paramSpecs.map((p) => [p.lrMult, p.decayMult]),
    [
      [1, 1],
      [2, 0],
    ],
  );
  assert.ok(net.layers[0].paramBlocks.has('convolution_param'));
});

test('V0 layers: name and type inside layer { }, blobs beside it', async () => {
  const text = `layers { layer { name: "conv1" type: "conv" num_output: 20 kernelsize: 5 } bottom: "data" top: "conv1" }
layers { layer { name: "pad" type: "padding" pad: 2 } bottom: "conv1" top: "p" }`;
  const net = buildNet((await parsed)(text));
  assert.equal(net.format, 'v0');
  assert.deepEqual(
    net.layers.map((l) => [l.name, l.type, l.bottoms[0].name, l.tops[0].name]),
    [
      ['conv1', 'Convolution', 'data', 'conv1'],
      ['pad', 'Padding', 'conv1', 'p'],
    ],
  );
});

test('buildNet never throws on malformed or odd trees', async () => {
  const parse = await parsed;
  for (const text of [
    '',
    'layer: 3',
    'layer { }',
    'layers { layer: "x" }',
    'layer { include: 1 bottom { } top: 4 }',
    'input_dim: 1',
  ]) {
    assert.doesNotThrow(() => layersInPhase(buildNet(parse(text)), 'TRAIN'));
  }
});
