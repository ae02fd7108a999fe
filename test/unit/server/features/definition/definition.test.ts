import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location, LocationLink } from 'vscode-languageserver';
import { provideDefinition } from '../../../../../server/src/features/definition/definition';
import { FULL_CLIENT, featureInputAt, type FeatureInputOptions } from '../../../../helpers/analyzed-document';

const uri = 'file:///work/test/net.prototxt';

/** The definition targets as `line:character` of their start, plus the source text they select. */
function definitionAt(marked: string, options: FeatureInputOptions = {}) {
  const { input, position } = featureInputAt(marked, options);
  const result = provideDefinition(input, { textDocument: { uri }, position });
  return { input, result };
}

function selectedTexts(text: string, result: Location[] | LocationLink[] | null): string[] {
  const lines = text.split(/\r?\n/);
  return (result ?? []).map((r) => {
    const range = 'range' in r ? r.range : r.targetSelectionRange;
    assert.equal(range.start.line, range.end.line);
    return `${range.start.line}:${lines[range.start.line].slice(range.start.character, range.end.character)}`;
  });
}

const NET = `name: "n"
layer { name: "data" type: "Data" top: "data" top: "label" include { phase: TRAIN } }
layer { name: "data_t" type: "Data" top: "data" top: "label" include { phase: TEST } }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv" }
layer { name: "relu" type: "ReLU" bottom: "conv" top: "conv" }
layer { name: "drop" type: "Dropout" bottom: "conv" top: "conv" }
layer { name: "fc" type: "InnerProduct" bottom: "co<|>nv" top: "fc" }
`;

test('a bottom goes to the last in-place writer before its layer', () => {
  const { input, result } = definitionAt(NET);
  assert.deepEqual(selectedTexts(input.doc.text, result), ['5:"conv"']);
});

test('a bottom read in both phases goes to both producers, nearest first', () => {
  const { input, result } = definitionAt(
    NET.replace('co<|>nv', 'conv').replace('bottom: "data"', 'bottom: "da<|>ta"'),
  );
  assert.deepEqual(selectedTexts(input.doc.text, result), ['2:"data"', '1:"data"']);
});

test('a bottom of a TEST-only layer goes to the TEST producer only', () => {
  const text = NET.replace('co<|>nv', 'conv').replace(
    'layer { name: "fc"',
    'layer { name: "acc" type: "Accuracy" bottom: "fc" bottom: "lab<|>el" include { phase: TEST } }\nlayer { name: "fc"',
  );
  const { input, result } = definitionAt(text);
  assert.deepEqual(selectedTexts(input.doc.text, result), ['2:"label"']);
});

test('the top of an in-place layer goes to the original producer', () => {
  const text = NET.replace('co<|>nv', 'conv').replace(
    'bottom: "conv" top: "conv" }\nlayer { name: "fc"',
    'bottom: "conv" top: "c<|>onv" }\nlayer { name: "fc"',
  );
  const { input, result } = definitionAt(text);
  assert.deepEqual(selectedTexts(input.doc.text, result), ['3:"conv"']);
});

test('a bottom with no earlier producer falls back to any later writer; none gives null', () => {
  const later =
    'layer { name: "a" type: "ReLU" bottom: "x<|>" top: "y" }\nlayer { name: "b" type: "Input" top: "x" }\n';
  const { input, result } = definitionAt(later);
  assert.deepEqual(selectedTexts(input.doc.text, result), ['1:"x"']);
  assert.equal(definitionAt('layer { name: "a" type: "ReLU" bottom: "n<|>owhere" top: "y" }\n').result, null);
});

test('legacy inputs are producers', () => {
  const text =
    'input: "data"\ninput_dim: 1 input_dim: 3 input_dim: 8 input_dim: 8\nlayer { name: "r" type: "ReLU" bottom: "d<|>ata" top: "r" }\n';
  const { input, result } = definitionAt(text);
  assert.deepEqual(selectedTexts(input.doc.text, result), ['0:"data"']);
});

test('V1 and V0 layers are followed too', () => {
  const v1 =
    'layers { name: "d" type: DATA top: "data" }\nlayers { name: "c" type: CONVOLUTION bottom: "da<|>ta" top: "c" }\n';
  assert.deepEqual(selectedTexts(v1, definitionAt(v1).result), ['0:"data"']);
  const v0 =
    'layers { layer { name: "d" type: "data" } top: "data" }\nlayers { layer { name: "c" type: "conv" } bottom: "d<|>ata" top: "c" }\n';
  const r0 = definitionAt(v0);
  assert.deepEqual(selectedTexts(r0.input.doc.text, r0.result), ['0:"data"']);
});

test('LocationLinks when the client supports them, with the origin and the whole layer', () => {
  const { input, result } = definitionAt(NET, { client: { ...FULL_CLIENT, definitionLinks: true } });
  const links = result as LocationLink[];
  assert.equal(links.length, 1);
  const line6 = input.doc.text.split('\n')[6];
  assert.deepEqual(links[0].originSelectionRange, {
    start: { line: 6, character: line6.indexOf('"conv"') },
    end: { line: 6, character: line6.indexOf('"conv"') + 6 },
  });
  assert.deepEqual(links[0].targetRange.start, { line: 5, character: 0 });
  assert.equal(links[0].targetUri, uri);
});

test('CRLF text and a broken file still resolve', () => {
  const crlf = NET.replace(/\n/g, '\r\n');
  const { input, result } = definitionAt(crlf);
  assert.deepEqual(selectedTexts(input.doc.text, result), ['5:"conv"']);
  const broken =
    'layer { name: "a" type: "Input" top: "x" }\nlayer { name: "b" type: "ReLU" bottom: "<|>x" top: "y"\nlayer { nme: ';
  const b = definitionAt(broken);
  assert.deepEqual(selectedTexts(b.input.doc.text, b.result), ['0:"x"']);
});

test('a field name has no definition under the bundled schema', () => {
  assert.equal(definitionAt('layer { na<|>me: "a" type: "ReLU" }\n').result, null);
});

test('a field name goes to its line in a user caffe.proto; an enum value to its enum', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'def-proto-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const proto = path.join(dir, 'caffe.proto');
  fs.writeFileSync(
    proto,
    [
      'syntax = "proto2";',
      'package caffe;',
      'message NetParameter {',
      '  optional string name = 1;',
      '  repeated LayerParameter layer = 100;',
      '}',
      'enum Phase {',
      '  TRAIN = 0;',
      '  TEST = 1;',
      '}',
      'message LayerParameter {',
      '  optional string name = 1;',
      '  optional string type = 2;',
      '  optional Phase phase = 10;',
      '}',
      '',
    ].join('\n'),
  );
  const options = { settings: { schema: { paths: [proto], autoDiscover: false } } };
  const { result } = definitionAt('layer { na<|>me: "a" type: "ReLU" }\n', options);
  assert.deepEqual(result, [
    {
      uri: pathToFileURL(proto).toString(),
      range: { start: { line: 11, character: 18 }, end: { line: 11, character: 22 } },
    },
  ]);
  const enumHit = definitionAt('layer { name: "a" phase: TR<|>AIN }\n', options).result as Location[];
  assert.deepEqual(enumHit[0].range.start, { line: 6, character: 5 });
});
