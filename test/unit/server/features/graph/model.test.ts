import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildNet } from '../../../../../server/src/analysis/model/net';
import { buildGraph } from '../../../../../server/src/features/graph/model';
import { parse } from '../../../../../server/src/parser/parse';
import { CONV_BLOCK, graphOf } from './graph-fixtures';

test('in-place BatchNorm, Scale and ReLU fold into the convolution that produced the blob', () => {
  const g = graphOf(CONV_BLOCK);
  assert.deepEqual(
    g.nodes.map((n) => n.label),
    ['data', 'conv1', 'pool1'],
  );
  const conv = g.nodes[1];
  assert.deepEqual(conv.inPlace, ['bn1', 'scale1', 'relu1']);
  assert.deepEqual(
    conv.folded.map((f) => f.type),
    ['BatchNorm', 'Scale', 'ReLU'],
  );
  // conv 8*3*3*3 = 216 weights (no bias) + Scale 8 + 8.
  assert.equal(conv.params, 216 + 16);
  assert.deepEqual(conv.tops, [{ name: 'conv1', shape: '1×8×32×32' }]);
  assert.equal(conv.family, 'conv');
  assert.deepEqual(
    g.edges.map((e) => [e.from, e.to, e.blob, e.shape]),
    [
      ['I0', 'L0', 'data', '1×3×32×32'],
      ['L0', 'L4', 'conv1', '1×8×32×32'],
    ],
  );
});

test('an in-place layer after another layer read the blob stays a node of its own', () => {
  const text = `input: "data" input_shape { dim: 1 dim: 3 dim: 8 dim: 8 }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv" convolution_param { num_output: 4 kernel_size: 1 } }
layer { name: "pre" type: "Pooling" bottom: "conv" top: "pre" pooling_param { global_pooling: true } }
layer { name: "relu" type: "ReLU" bottom: "conv" top: "conv" }
layer { name: "post" type: "Pooling" bottom: "conv" top: "post" pooling_param { global_pooling: true } }
`;
  const g = graphOf(text);
  assert.deepEqual(
    g.nodes.map((n) => n.id),
    ['I0', 'L0', 'L1', 'L2', 'L3'],
  );
  assert.deepEqual(g.nodes[1].inPlace, []);
  assert.deepEqual(
    g.edges.map((e) => `${e.from}->${e.to}`),
    ['I0->L0', 'L0->L1', 'L0->L2', 'L2->L3'],
  );
});

test('legacy inputs with input_dim become input nodes with their shapes', () => {
  const text = `input: "data" input_dim: 2 input_dim: 3 input_dim: 4 input_dim: 5
input: "rois"
layer { name: "flat" type: "Flatten" bottom: "data" top: "flat" }
`;
  const g = graphOf(text);
  const inputs = g.nodes.filter((n) => n.kind === 'input');
  assert.deepEqual(
    inputs.map((n) => [n.id, n.name, n.type, n.tops[0].shape]),
    [
      ['I0', 'data', 'Input', '2×3×4×5'],
      ['I1', 'rois', 'Input', null],
    ],
  );
  assert.equal(g.nodes.find((n) => n.name === 'flat')?.tops[0].shape, '2×60');
});

test('Python and unknown layer types are marked, stay unfolded, and later shapes are unknown', () => {
  const text = `input: "data" input_shape { dim: 1 dim: 3 dim: 8 dim: 8 }
layer { name: "py" type: "Python" bottom: "data" top: "data"
  python_param { module: "rpn.proposal_layer" layer: "ProposalLayer" } }
layer { name: "odd" type: "FancyNewThing" bottom: "data" top: "odd" }
layer { name: "relu" type: "ReLU" bottom: "odd" top: "odd" }
`;
  const g = graphOf(text);
  const py = g.nodes.find((n) => n.name === 'py');
  const odd = g.nodes.find((n) => n.name === 'odd');
  assert.ok(py && odd);
  assert.equal(py.python, true);
  assert.equal(py.family, 'python');
  assert.equal(py.pythonClass, 'rpn.proposal_layer.ProposalLayer');
  assert.equal(py.unknownType, false);
  assert.equal(py.params, null);
  assert.equal(odd.unknownType, true);
  assert.equal(odd.family, 'unknown');
  assert.deepEqual(odd.inPlace, ['relu']);
  assert.equal(odd.tops[0].shape, null);
});

test('a bottom nobody produces becomes one "missing" node shared by its readers', () => {
  const text = `layer { name: "a" type: "ReLU" bottom: "ghost" top: "a" }
layer { name: "b" type: "Eltwise" bottom: "ghost" bottom: "a" top: "b" }
`;
  const g = graphOf(text);
  const missing = g.nodes.filter((n) => n.kind === 'missing');
  assert.equal(missing.length, 1);
  assert.equal(missing[0].name, 'ghost');
  assert.deepEqual(
    g.edges.map((e) => `${e.from}->${e.to}:${e.blob}`),
    ['M0->L0:ghost', 'M0->L1:ghost', 'L0->L1:a'],
  );
});

test('the phase picks the layers: TRAIN and TEST data layers, TEST-only accuracy', () => {
  const text = `layer { name: "train_data" type: "Data" top: "data" top: "label" include { phase: TRAIN } }
layer { name: "test_data" type: "Data" top: "data" top: "label" include { phase: TEST } }
layer { name: "ip" type: "InnerProduct" bottom: "data" top: "ip" inner_product_param { num_output: 2 } }
layer { name: "acc" type: "Accuracy" bottom: "ip" bottom: "label" top: "acc" include { phase: TEST } }
`;
  assert.deepEqual(
    graphOf(text, 'TRAIN').nodes.map((n) => n.name),
    ['train_data', 'ip'],
  );
  const test = graphOf(text, 'TEST');
  assert.deepEqual(
    test.nodes.map((n) => n.name),
    ['test_data', 'ip', 'acc'],
  );
  assert.equal(test.nodes[0].tops.length, 2);
});

test('without shapes every shape and count is unknown but the graph is complete', () => {
  const g = graphOf(CONV_BLOCK, 'TEST', false);
  assert.equal(g.nodes.length, 3);
  assert.ok(g.nodes.filter((n) => n.kind === 'layer').every((n) => n.params === null && n.macs === null));
  assert.ok(g.edges.slice(1).every((e) => e.shape === null));
});

test('a broken file (unclosed block, missing values) still gives a graph', () => {
  const text = `layer { name: "c" type: "Convolution" bottom: "x" top: "c"
layer { name: type: "ReLU" bottom: "c" top: "c" }
layer { name: "loop" type: "Concat" bottom: "loop" bottom: "c" top: "loop"`;
  const g = graphOf(text);
  assert.ok(g.nodes.length > 0);
  const ids = new Set(g.nodes.map((n) => n.id));
  assert.ok(g.edges.every((e) => ids.has(e.from) && ids.has(e.to)));
});

test('property: any text gives a graph whose edges join existing nodes', () => {
  const piece = fc.constantFrom(
    'layer {',
    '}',
    'name: "a"',
    'name: "b"',
    'type: "ReLU"',
    'type: "Convolution"',
    'type: "Python"',
    'type: "Weird"',
    'bottom: "a"',
    'bottom: "b"',
    'top: "a"',
    'top: "b"',
    'input: "a"',
    'input_dim: 2',
    'include { phase: TRAIN }',
    'convolution_param { num_output: 2 kernel_size: 1 }',
    '"',
    '#',
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 40 }), fc.constantFrom('TRAIN', 'TEST'), (parts, phase) => {
      const net = buildNet(parse(parts.join('\n')));
      const g = buildGraph(net, phase as 'TRAIN' | 'TEST');
      const ids = new Set(g.nodes.map((n) => n.id));
      assert.equal(ids.size, g.nodes.length);
      for (const e of g.edges) assert.ok(ids.has(e.from) && ids.has(e.to));
    }),
    { numRuns: 300 },
  );
});
