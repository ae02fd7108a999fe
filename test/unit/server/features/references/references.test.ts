import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Location } from 'vscode-languageserver';
import { nameReferences } from '../../../../../server/src/features/references/references';
import { featureInputAt } from '../../../../helpers/analyzed-document';

function referencesAt(marked: string, includeDeclaration = true) {
  const { input, offset } = featureInputAt(marked);
  const result = nameReferences(input, offset, includeDeclaration);
  return texts(input.doc.text, result);
}

/** `line:text` of every location. */
function texts(text: string, result: Location[] | null): string[] | null {
  if (result === null) return null;
  const lines = text.split(/\r?\n/);
  return result.map(
    (l) =>
      `${l.range.start.line}:${lines[l.range.start.line].slice(l.range.start.character, l.range.end.character)}`,
  );
}

const NET = `input: "extra"
input_shape { dim: 1 }
layer { name: "data" type: "Data" top: "data" top: "label" }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv"
  param { name: "w" lr_mult: 1 } param { name: "conv" } }
layer { name: "relu" type: "ReLU" bottom: "conv" top: "conv" }
layer { name: "conv2" type: "Convolution" bottom: "conv" top: "conv2" param { name: "w" } }
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "conv2" bottom: "label" bottom: "extra" }
`;

test('a blob: every top and bottom with its name, declaration included', () => {
  const marked = NET.replace('bottom: "conv" top: "conv2"', 'bottom: "co<|>nv" top: "conv2"');
  assert.deepEqual(referencesAt(marked), ['3:"conv"', '5:"conv"', '5:"conv"', '6:"conv"']);
});

test('without the declaration, the producing top is left out but in-place tops stay', () => {
  const marked = NET.replace('bottom: "conv" top: "conv2"', 'bottom: "co<|>nv" top: "conv2"');
  assert.deepEqual(referencesAt(marked, false), ['5:"conv"', '5:"conv"', '6:"conv"']);
});

test('a layer name is not a blob name nor a shared param name', () => {
  const marked = NET.replace('name: "conv" type', 'name: "c<|>onv" type');
  assert.deepEqual(referencesAt(marked), ['3:"conv"']);
  assert.deepEqual(referencesAt(marked, false), []);
});

test('shared param names: every param { name } with it', () => {
  const marked = NET.replace('param { name: "w" lr_mult', 'param { name: "<|>w" lr_mult');
  assert.deepEqual(referencesAt(marked), ['4:"w"', '6:"w"']);
  assert.deepEqual(referencesAt(marked, false), ['6:"w"']);
});

test('a legacy input is the declaration of its blob', () => {
  const marked = NET.replace('input: "extra"', 'input: "ex<|>tra"');
  assert.deepEqual(referencesAt(marked), ['0:"extra"', '7:"extra"']);
  assert.deepEqual(referencesAt(marked, false), ['7:"extra"']);
});

test('outside a name there are no references', () => {
  assert.equal(referencesAt(NET.replace('type: "ReLU"', 'type: "Re<|>LU"')), null);
  assert.equal(referencesAt(NET.replace('layer { name: "data"', 'la<|>yer { name: "data"')), null);
});

test('solver: each embedded net is its own scope', () => {
  const solver = `base_lr: 0.1
train_net_param { layer { name: "d" type: "Input" top: "x" } layer { name: "r" type: "ReLU" bottom: "<|>x" top: "y" } }
test_net_param { layer { name: "d" type: "Input" top: "x" } }
`;
  assert.deepEqual(referencesAt(solver), ['1:"x"', '1:"x"']);
});

test('V1 layers, list values, CRLF and a broken file', () => {
  const v1 =
    'layers { name: "d" type: DATA top: ["a", "b"] }\r\nlayers { name: "c" type: CONVOLUTION bottom: "<|>a" top: "c" param: "w" }\r\nlayers { name: "c2" type: CONVOLUTION bottom: "b" top: "c2" param: "w" }\r\nlayers { name:';
  assert.deepEqual(referencesAt(v1), ['0:"a"', '1:"a"']);
  assert.deepEqual(
    referencesAt(
      v1
        .replace('<|>', '')
        .replace('param: "w" }\r\nlayers { name: "c2"', 'param: "<|>w" }\r\nlayers { name: "c2"'),
    ),
    ['1:"w"', '2:"w"'],
  );
});
