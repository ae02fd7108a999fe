import { test } from 'node:test';
import assert from 'node:assert/strict';
import { queryAt, valueContentSpan, type CursorQuery } from '../../../../server/src/analysis/query';
import { featureInputAt } from '../../../helpers/analyzed-document';

function q(marked: string): CursorQuery {
  const { input, offset } = featureInputAt(marked);
  return queryAt(input, offset);
}

const NET = `name: "n"
input: "data"
input_shape { dim: 1 dim: 3 dim: 8 dim: 8 }
layer {
  name: "conv1"
  type: "Convolution"
  bottom: "data"
  top: "conv1"
  convolution_param { num_output: 4 kernel_size: 3 }
}
`;

test('a field name: its definition, the message it belongs to, the path and the layer', () => {
  const r = q(NET.replace('num_output', 'num_o<|>utput'));
  assert.equal(r.kind, 'fieldName');
  if (r.kind !== 'fieldName') return;
  assert.equal(r.field.name, 'num_output');
  assert.equal(r.def?.type, 'uint32');
  assert.equal(r.parentDef?.fullName, 'caffe.ConvolutionParameter');
  assert.deepEqual(r.pathNames, ['layer', 'convolution_param']);
  assert.equal(r.layer?.name, 'conv1');
});

test('a string value, with its content span inside the quotes', () => {
  const { input, offset } = featureInputAt(NET.replace('"Convolution"', '"Conv<|>olution"'));
  const r = queryAt(input, offset);
  assert.equal(r.kind, 'fieldValue');
  if (r.kind !== 'fieldValue' || !r.value) return assert.fail('no value');
  assert.equal(r.field.name, 'type');
  assert.equal(r.value.kind, 'string');
  const span = valueContentSpan(input.doc.text, r.value);
  assert.equal(input.doc.text.slice(span.start, span.end), 'Convolution');
});

test('after a colon with no value yet, on the same line', () => {
  const r = q('layer {\n  include { phase: <|> }\n}\n');
  assert.equal(r.kind, 'fieldValue');
  if (r.kind !== 'fieldValue') return;
  assert.equal(r.field.name, 'phase');
  assert.equal(r.value, undefined);
  assert.equal(r.def?.type, 'caffe.Phase');
  assert.deepEqual(r.pathNames, ['layer', 'include']);
});

test('after a colon at the end of the file (nothing closed)', () => {
  const r = q('layer {\n  name: "a"\n  type: <|>');
  assert.equal(r.kind, 'fieldValue');
  if (r.kind === 'fieldValue') assert.equal(r.field.name, 'type');
});

test('a partial identifier being typed in a block is a block body with the partial', () => {
  const r = q('layer {\n  name: "a"\n  bo<|>\n  top: "x"\n}\n');
  assert.equal(r.kind, 'blockBody');
  if (r.kind !== 'blockBody') return;
  assert.equal(r.def?.fullName, 'caffe.LayerParameter');
  assert.equal(r.partial?.text, 'bo');
  assert.deepEqual([...r.presentFields].sort(), ['name', 'top']);
});

test('an empty line inside an unclosed block', () => {
  const r = q('layer {\n  name: "a"\n  convolution_param {\n    <|>');
  assert.equal(r.kind, 'blockBody');
  if (r.kind !== 'blockBody') return;
  assert.equal(r.def?.fullName, 'caffe.ConvolutionParameter');
  assert.deepEqual(r.pathNames, ['layer', 'convolution_param']);
  assert.equal(r.partial, undefined);
});

test('a name typed on the line after an empty `phase:` is still a new field name', () => {
  const r = q('layer {\n  include {\n    phase:\n    sta<|>\n  }\n}\n');
  assert.equal(r.kind, 'blockBody');
  if (r.kind !== 'blockBody') return;
  assert.equal(r.partial?.text, 'sta');
  assert.equal(r.def?.fullName, 'caffe.NetStateRule');
  assert.ok(r.presentFields.has('phase'));
});

test('top level of a net, and of a solver', () => {
  const net = q('name: "n"\n<|>\n');
  assert.equal(net.kind, 'blockBody');
  if (net.kind === 'blockBody') {
    assert.equal(net.def?.fullName, 'caffe.NetParameter');
    assert.deepEqual(net.pathNames, []);
  }
  const solver = q('base_lr: 0.01\nmax_iter: 10\n<|>');
  assert.equal(solver.kind, 'blockBody');
  if (solver.kind === 'blockBody') assert.equal(solver.def?.fullName, 'caffe.SolverParameter');
});

test('items of a list value', () => {
  const r = q('layer {\n  bottom: ["a", "b<|>"]\n}\n');
  assert.equal(r.kind, 'fieldValue');
  if (r.kind === 'fieldValue') {
    assert.equal(r.index, 1);
    assert.equal(r.value?.kind === 'string' ? r.value.value : '', 'b');
  }
});

test('inside a comment, and between a name and its brace, nothing', () => {
  assert.equal(q('layer {\n  # a com<|>ment\n}\n').kind, 'none');
  assert.equal(q('layer <|>{\n}\n').kind, 'none');
  assert.equal(q('a: "#x<|>"\n').kind, 'fieldValue');
});

test('blocks of unknown fields still give a block body, without a definition', () => {
  const r = q('layer {\n  bogus_param {\n    <|>\n  }\n}\n');
  assert.equal(r.kind, 'blockBody');
  if (r.kind === 'blockBody') {
    assert.equal(r.def, undefined);
    assert.deepEqual(r.pathNames, ['layer', 'bogus_param']);
  }
});

test('V1 layers and list-of-messages values give the right layer and path', () => {
  const v1 = q('layers {\n  name: "c"\n  type: CONVOLUTION\n  <|>\n}\n');
  assert.equal(v1.kind, 'blockBody');
  if (v1.kind === 'blockBody') {
    assert.equal(v1.def?.fullName, 'caffe.V1LayerParameter');
    assert.equal(v1.layer?.type, 'Convolution');
  }
});

test('never throws on any offset of a broken text', () => {
  const text = "layer {\n  name: \"a\n  type: \n  convolution_param { num_output: [1, \n  # x\n  top: 'b'\n";
  const { input } = featureInputAt(`${text}<|>`);
  for (let i = -2; i <= text.length + 2; i++) {
    const r = queryAt(input, i);
    assert.ok(['fieldName', 'fieldValue', 'blockBody', 'none'].includes(r.kind));
  }
});
