import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../../../../../server/src/analysis/analyze';
import { formatText } from '../../../../../server/src/analysis/transforms/format';
import { upgradeNet } from '../../../../../server/src/analysis/transforms/upgrade';
import { handleUpgradeNet } from '../../../../../server/src/features/upgrade-net/upgrade-net';
import { parse } from '../../../../../server/src/parser/parse';
import { loadBundledFork, loadBundledSchema } from '../../../../../server/src/schema/bundled';
import { schemaFromProtoText } from '../../../../../server/src/schema/user-proto';
import { featureInputFor } from '../../../../helpers/analyzed-document';
import { repoRoot } from '../../../../helpers/paths';
import { needs } from '../../../../helpers/resources';

const corpus = path.resolve(repoRoot, '../shared/corpus');
const skip = needs('corpus');
const schema = loadBundledSchema();
const up = (text: string) => upgradeNet(text, { indent: '  ' }, schema);

function errorsOf(text: string) {
  return analyze(text, parse(text), { schema, schemaKind: 'bundled' }).diagnostics.filter(
    (d) => d.severity === 'error' || d.code === 'deprecated-format',
  );
}

test('V1: layers -> layer, enum and numeric types -> strings, blobs_lr/weight_decay/param -> param specs', () => {
  const text = [
    'name: "n"',
    'layers {',
    '  name: "conv1"',
    '  type: CONVOLUTION # enum',
    '  bottom: "data"',
    '  top: "conv1"',
    '  param: "w"',
    '  # weights',
    '  blobs_lr: 1',
    '  blobs_lr: 2 # bias',
    '  weight_decay: 1',
    '  weight_decay: 0',
    '  convolution_param { num_output: 8 kernel_size: 3 }',
    '}',
    'layers { name: "r" type: 18 bottom: "conv1" top: "conv1" }',
    '',
  ].join('\n');
  const out = up(text);
  assert.equal(
    out.text,
    [
      'name: "n"',
      'layer {',
      '  name: "conv1"',
      '  type: "Convolution" # enum',
      '  bottom: "data"',
      '  top: "conv1"',
      '  param {',
      '    name: "w"',
      '    # weights',
      '    lr_mult: 1',
      '    decay_mult: 1',
      '  }',
      '  param {',
      '    lr_mult: 2 # bias',
      '    decay_mult: 0',
      '  }',
      '  convolution_param { num_output: 8 kernel_size: 3 }',
      '}',
      'layer { name: "r" type: "ReLU" bottom: "conv1" top: "conv1" }',
      '',
    ].join('\n'),
  );
  assert.match(out.message, /Upgraded/);
});

test('V1 data layers: scale/mean_file/crop_size/mirror move to transform_param', () => {
  const text =
    'layers {\n  name: "d"\n  type: DATA\n  top: "data"\n  data_param {\n    source: "x"\n    mean_file: "m"\n    mirror: true\n  }\n}\n';
  assert.equal(
    up(text).text,
    'layer {\n  name: "d"\n  type: "Data"\n  top: "data"\n  transform_param {\n    mean_file: "m"\n    mirror: true\n  }\n  data_param {\n    source: "x"\n  }\n}\n',
  );
});

test('legacy inputs become an Input layer before the first layer', () => {
  const text =
    'name: "n"\ninput: "data" # the image\ninput_dim: 1\ninput_dim: 3\ninput_dim: [4, 5]\nlayer { name: "r" type: "ReLU" bottom: "data" top: "r" }\n';
  const out = up(text).text ?? '';
  assert.equal(
    out,
    'name: "n"\nlayer {\n  name: "input"\n  type: "Input"\n  top: "data" # the image\n  input_param {\n    shape {\n      dim: 1\n      dim: 3\n      dim: 4\n      dim: 5\n    }\n  }\n}\nlayer { name: "r" type: "ReLU" bottom: "data" top: "r" }\n',
  );
  assert.deepEqual(errorsOf(out), []);
  const shaped = up('input: "a"\ninput_shape { dim: 2 dim: 3 }\n').text ?? '';
  assert.match(shaped, /input_param \{\n {4}shape \{ dim: 2 dim: 3 \}\n/);
});

test('a Caffe older than the Input layer or the solver type keeps its legacy inputs and solver_type', () => {
  // py-faster-rcnn's Caffe has no Input layer; SegNet's has neither it nor the string solver type.
  const fastrcnn = loadBundledFork('fastrcnn');
  const segnet = loadBundledFork('segnet');
  assert.ok(fastrcnn && segnet);
  const net =
    'input: "data"\ninput_shape { dim: 1 dim: 3 }\nlayer { name: "r" type: "ReLU" bottom: "data" top: "r" }\n';
  const kept = upgradeNet(net, { indent: '  ' }, fastrcnn);
  assert.equal(kept.text, undefined);
  assert.equal(kept.current, true);
  assert.equal(
    kept.message,
    'This net is already in the current format for its Caffe; its caffe.proto has no Input layer, so the legacy inputs stay.',
  );
  const v1 = upgradeNet(
    'input: "data"\ninput_dim: 1\nlayers { name: "s" type: SIGMOID bottom: "data" top: "s" }\n',
    { indent: '  ' },
    fastrcnn,
  );
  assert.match(v1.text ?? '', /^input: "data"\ninput_dim: 1\nlayer \{[^]*type: "Sigmoid"/);
  assert.equal(
    v1.message,
    'Upgraded: "layers" became "layer" with type strings; its caffe.proto has no Input layer, so the legacy inputs stay.',
  );
  const solver = 'base_lr: 0.1\nsolver_type: ADAGRAD\n';
  assert.equal(upgradeNet(solver, { indent: '  ' }, segnet).current, true);
  assert.match(
    upgradeNet(solver, { indent: '  ' }, segnet).message,
    /no string solver type, so solver_type stays\.$/,
  );
  assert.match(upgradeNet(solver, { indent: '  ' }, fastrcnn).text ?? '', /type: "AdaGrad"/);
});

test('a Caffe older than the layer field (C3D v1.0) keeps its V1 layers, and is told nothing about them', () => {
  // NetParameter with `layers` only, as C3D v1.0's caffe.proto has it.
  const old = schemaFromProtoText(
    'package caffe;\nmessage NetParameter { optional string name = 1; repeated V1LayerParameter layers = 2; repeated string input = 3; repeated int32 input_dim = 4; }\n' +
      'message V1LayerParameter { optional string name = 4; optional LayerType type = 5; repeated string bottom = 2; repeated string top = 3;\n' +
      '  enum LayerType { NONE = 0; RELU = 18; } }\n',
    '/c3d/src/caffe/proto/caffe.proto',
  ).schema;
  const net = 'input: "data"\ninput_dim: 1\nlayers { name: "r" type: RELU bottom: "data" top: "r" }\n';
  const kept = upgradeNet(net, { indent: '  ' }, old);
  assert.equal(kept.text, undefined);
  assert.equal(
    kept.message,
    'This net is already in the current format for its Caffe; its caffe.proto has no "layer" field, so the layers stay.',
  );
  const found = analyze(net, parse(net), { schema: old, schemaKind: 'user' }).diagnostics;
  assert.deepEqual(
    found.filter((d) => d.code === 'deprecated-format'),
    [],
  );
  // Under BVLC's, the same net is deprecated and upgraded.
  assert.ok(
    analyze(net, parse(net), { schema, schemaKind: 'user' }).diagnostics.some(
      (d) => d.code === 'deprecated-format',
    ),
  );
});

test('V0: flattened, params renamed per type, padding folded into the conv it feeds, comments kept inside', () => {
  const text = [
    'layers {',
    '  layer { name: "pad1" type: "padding" pad: 2 } # pad',
    '  bottom: "data"',
    '  top: "pad1"',
    '}',
    'layers {',
    '  layer {',
    '    # inside',
    '    name: "conv1"',
    '    type: "conv"',
    '    num_output: 4',
    '    kernelsize: 3',
    '    blobs_lr: 1.',
    '    cropsize: 9',
    '  }',
    '  bottom: "pad1"',
    '  top: "conv1"',
    '}',
    '',
  ].join('\n');
  const out = up(text);
  assert.equal(
    out.text,
    [
      '# pad',
      'layer {',
      '  # inside',
      '  name: "conv1"',
      '  type: "Convolution"',
      '  bottom: "data"',
      '  top: "conv1"',
      '  convolution_param {',
      '    num_output: 4',
      '    kernel_size: 3',
      '    pad: 2',
      '  }',
      '  param {',
      '    lr_mult: 1.',
      '  }',
      '  transform_param {',
      '    crop_size: 9',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  assert.deepEqual(out.problems, []);
  const unmapped = up('layers { layer { name: "r" type: "relu" num_output: 3 } bottom: "a" top: "a" }\n');
  assert.equal(unmapped.problems.length, 1);
  assert.match(unmapped.message, /could not be mapped/);
});

test("a fork's V1 type Caffe's upgrade has no name for is written as it is, and said", () => {
  // DeepLab v1's reader and interpolation: Caffe's upgrade_net_proto_text stops at the first.
  const out = up(
    'layers { name: "d" type: IMAGE_SEG_DATA top: "data" top: "label" }\n' +
      'layers { name: "i" type: INTERP bottom: "data" top: "i" }\n' +
      'layers { name: "j" type: INTERP bottom: "i" top: "j" }\n' +
      'layers { name: "r" type: RELU bottom: "j" top: "j" }\n',
  );
  assert.match(out.text ?? '', /type: "IMAGE_SEG_DATA"[\s\S]*type: "INTERP"[\s\S]*type: "ReLU"/);
  assert.deepEqual(out.problems, [
    'Caffe\'s upgrade has no name for the V1 type IMAGE_SEG_DATA and stops there: it is written as "IMAGE_SEG_DATA"; name it as the Caffe the net is for registers it.',
    'Caffe\'s upgrade has no name for the V1 type INTERP and stops there: it is written as "INTERP"; name it as the Caffe the net is for registers it.',
  ]);
  assert.match(out.message, /2 field\(s\) could not be mapped/);
});

test('a net that mixes layer and V1 layers gets its layers written as layer in place; with V0 ones, it is refused', () => {
  const mixed = up(
    'layer { name: "a" type: "Input" top: "x" }\n' +
      'layers { name: "b" type: RELU bottom: "x" top: "x" blobs_lr: 1 }\n' +
      'layer { name: "c" type: "ReLU" bottom: "x" top: "x" }\n',
  );
  assert.equal(
    mixed.text,
    'layer { name: "a" type: "Input" top: "x" }\n' +
      'layer {\n  name: "b"\n  type: "ReLU"\n  bottom: "x"\n  top: "x"\n  param {\n    lr_mult: 1\n  }\n}\n' +
      'layer { name: "c" type: "ReLU" bottom: "x" top: "x" }\n',
  );
  assert.match(mixed.message, /"layers" became "layer" with type strings, beside the "layer" already there/);
  const v0 = up('layer { name: "a" }\nlayers { layer { name: "b" type: "relu" } bottom: "x" top: "x" }\n');
  assert.equal(v0.text, undefined);
  assert.match(
    v0.message,
    /mixes "layer" and V0 "layers \{ layer \{ \} \}": Caffe's upgrade drops the "layer" blocks/,
  );
});

test('nothing to do and broken files are reported, not rewritten', () => {
  assert.deepEqual(up('layer { name: "a" type: "ReLU" }\n'), {
    message: 'This net is already in the current format.',
    problems: [],
    current: true,
  });
  assert.deepEqual(up('item { name: "none" label: 0 display_name: "background" }\n'), {
    message: 'This file holds a label map: nothing to upgrade.',
    problems: [],
    current: true,
  });
  assert.equal(up('layers {\n').text, undefined);
});

test('the upgradeNet handler answers for open documents only', () => {
  const input = featureInputFor('layers { name: "a" type: RELU bottom: "x" top: "x" }\n');
  const open = handleUpgradeNet({ uri: input.doc.uri }, (uri) => (uri === input.doc.uri ? input : undefined));
  assert.equal(open.text, 'layer { name: "a" type: "ReLU" bottom: "x" top: "x" }\n');
  const closed = handleUpgradeNet({ uri: 'file:///other.prototxt' }, () => undefined);
  assert.equal(closed.text, undefined);
  assert.match(closed.message, /not open/);
});

test('every V0/V1 net of the corpus upgrades to a net with no errors, keeping its comments', skip, () => {
  const rows = fs
    .readFileSync(path.join(corpus, 'ORACLE.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'))
    .filter((cells) => /^v[01]/.test(cells[2] ?? ''));
  assert.ok(rows.length >= 30, `${rows.length} V0/V1 files`);
  for (const [file] of rows) {
    const text = fs.readFileSync(path.join(corpus, 'files', file), 'utf8');
    const out = up(text);
    assert.ok(out.text !== undefined, `${file}: ${out.message}`);
    assert.deepEqual(out.problems, [], file);
    assert.deepEqual(
      errorsOf(out.text).map((d) => d.message),
      [],
      file,
    );
    const comments = (t: string) =>
      parse(t)
        .comments.map((c) => c.text)
        .sort();
    assert.deepEqual(comments(out.text), comments(text), `${file}: comments kept`);
    assert.equal(up(out.text).text, undefined, `${file}: upgrading again changes nothing`);
    assert.equal(
      formatText(out.text, { indent: '  ' }),
      out.text,
      `${file}: printed in the formatter's layout`,
    );
  }
});
