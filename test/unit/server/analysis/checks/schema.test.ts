// Schema checks: unknown fields, value kinds, ranges, bools, enums, duplicates, required fields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBundledFork } from '../../../../../server/src/schema/bundled';
import { analyze } from '../../../../../server/src/analysis/analyze';
import { parse } from '../../../../../server/src/parser/parse';
import { check, checkBundled, codes } from './helpers';

test('unknown field at its name, with did-you-mean', () => {
  const found = check(
    'layer {\n  name: "c"\n  type: "Convolution"\n  convolution_param { num_ouput: 3 }\n}\n',
  );
  assert.deepEqual(codes(found), ['4:23 unknown-field']);
  assert.match(found[0].message, /Message type "caffe.ConvolutionParameter" has no field named "num_ouput"/);
  assert.deepEqual(found[0].suggestions, ['num_output']);
  assert.equal(found[0].severity, 'error');
});

test("another Caffe's name for a field this schema has says what to write instead", () => {
  const found = check(
    'layer {\n  name: "c"\n  type: "Convolution"\n  blobs_lr: 1\n  weight_decay: 1\n' +
      '  convolution_param { num_output: 3 kernel_size: 3 hole: 2 hole_h: 2 }\n}\n',
  );
  assert.deepEqual(codes(found), [
    '4:3 unknown-field',
    '5:3 unknown-field',
    '6:52 unknown-field',
    '6:60 unknown-field',
  ]);
  const [blobsLr, weightDecay, hole, holeH] = found;
  assert.match(
    blobsLr.message,
    /"blobs_lr" \(the V1 format's learning-rate multiplier, .* param \{ lr_mult: N \}/,
  );
  assert.match(weightDecay.message, /param \{ decay_mult: N \}/);
  assert.equal(blobsLr.suggestions, undefined);
  // DeepLab v1's hole is the dilation: the quick fix renames it.
  assert.match(hole.message, /"hole" \(DeepLab v1's name for the dilation: write dilation\)\.$/);
  assert.deepEqual(hole.suggestions, ['dilation']);
  assert.match(holeH.message, /takes dilation twice/);
  assert.equal(holeH.suggestions, undefined);
});

test("a TensorFlow label map's id is SSD's label, renamed by the quick fix", () => {
  const text = 'item {\n  name: "/m/01g317"\n  id: 1\n  display_name: "person"\n}\n';
  const found = check(text, { schema: loadBundledFork('ssd') });
  assert.deepEqual(codes(found), ['3:3 unknown-field']);
  assert.match(
    found[0].message,
    /"id" \(a TensorFlow label map's item number: SSD's LabelMap numbers its items with label\)\.$/,
  );
  assert.deepEqual(found[0].suggestions, ['label']);
  // Under the bundled schema the label map is SSD's (a fork): the same message.
  const bundled = checkBundled(text).filter((f) => f.code === 'unknown-field');
  assert.deepEqual(
    bundled.map((f) => f.suggestions),
    [['label']],
  );
});

test('under a Caffe without the field to write instead, the message names the Caffe whose field it is', () => {
  // SegNet's Caffe predates dilation.
  const segnet = loadBundledFork('segnet');
  assert.ok(
    segnet && !segnet.message('caffe.ConvolutionParameter')?.fields.some((f) => f.name === 'dilation'),
  );
  const found = check('layer {\n  name: "c"\n  type: "Convolution"\n  convolution_param { hole: 2 }\n}\n', {
    schema: segnet,
  });
  assert.deepEqual(codes(found), ['4:23 unknown-field']);
  assert.equal(
    found[0].message,
    'Message type "caffe.ConvolutionParameter" has no field named "hole". DeepLab v1 (deeplab-public) defines it: if the net is written for that Caffe, check it against its caffe.proto (prototxt.schema.paths or --schema; bundled:deeplab is shipped with the extension).',
  );
});

test('under a chosen caffe.proto, a name bundled schemas have is named with them, not taken for a slip', () => {
  // py-faster-rcnn's Caffe predates Clip, round_mode and the SSD layers.
  const fastrcnn = loadBundledFork('fastrcnn');
  const text =
    'layer { name: "c" type: "Clip" bottom: "x" top: "c" clip_param { min: 0 max: 1 } }\n' +
    'layer { name: "n" type: "Normalize" bottom: "c" top: "n" norm_param { across_spatial: false } }\n' +
    'layer { name: "p" type: "Pooling" bottom: "n" top: "p" pooling_param { pool: MAX kernel_size: 2 round_mode: FLOOR } }\n' +
    'layer { name: "q" type: "Pooling" bottom: "n" top: "q" pooling_param { pool: MAXX kernel_size: 2 } }\n' +
    'layer { name: "r" type: "Convolution" bottom: "n" top: "r" convolution_param { num_ouput: 2 } }\n';
  const analysis = analyze(text, parse(text), { schema: fastrcnn!, schemaKind: 'user' });
  const unknown = analysis.diagnostics.filter(
    (d) => d.code === 'unknown-field' || d.code === 'unknown-enum-value',
  );
  assert.deepEqual(
    unknown.map((d) => [text.slice(d.start, d.end), d.forks, d.suggestions]),
    [
      ['clip_param', ['bvlc', 'synopsys'], undefined],
      ['norm_param', ['ssd', 'nvidia', 'synopsys'], undefined],
      ['round_mode', ['bvlc', 'synopsys'], undefined],
      // Names no bundled schema has are slips: the look-alike names as before.
      ['MAXX', undefined, ['MAX']],
      ['num_ouput', undefined, ['num_output']],
    ],
  );
  assert.match(
    unknown[0].message,
    /^Message type "caffe.LayerParameter" has no field named "clip_param". BVLC Caffe and Synopsys Caffe \(synopsys-caffe\) define it: if the net is written for one of them, check it against its caffe.proto \(prototxt.schema.paths or --schema; bundled:bvlc is shipped with the extension\)\.$/,
  );
  // Many holders: the first three named, the rest counted.
  const input = check('layer { name: "d" type: "Input" top: "x" input_param { } }\n', { schema: fastrcnn });
  assert.match(
    input.find((f) => f.code === 'unknown-field')?.message ?? '',
    /BVLC Caffe, SSD \(weiliu89\/caffe\), NVIDIA Caffe \(NVIDIA\/caffe\) and \d+ other bundled schemas define it/,
  );
  // An enum value of a fork's Caffe: named with its fork.
  const rfcn = check(
    'layer { name: "l" type: "SoftmaxWithLoss" bottom: "a" bottom: "b" loss_param { normalization: PRE_FIXED } }\n',
  );
  assert.match(
    rfcn.find((f) => f.code === 'unknown-enum-value')?.message ?? '',
    /has no value named "PRE_FIXED". R-FCN \(Microsoft\/caffe\) defines it/,
  );
  // Under the bundled schema the forks are consulted as before: a fork warning, no such note.
  assert.ok(!checkBundled(text).some((f) => /is shipped with the extension/.test(f.message)));
});

test('an unknown field a block further out defines asks whether that block lacks its "}"', () => {
  // The first layer's } is missing: the next layer is read inside it.
  const layers = check(
    'name: "n"\nlayer {\n  name: "d"\n  type: "Input"\n  top: "data"\n\nlayer {\n  name: "r"\n  type: "ReLU"\n}\n',
  );
  const nested = layers.find((f) => f.code === 'unknown-field');
  assert.equal(nested?.at, '7:1');
  assert.equal(
    nested?.message,
    'Message type "caffe.LayerParameter" has no field named "layer" (a field of caffe.NetParameter, a block further out: is the "}" of the layer block opened at line 2 missing, or does the field belong after it?).',
  );
  assert.equal(nested?.suggestions, undefined);
  // A parameter block left open: the layer's own fields are read inside it.
  const param = check(
    'layer {\n  name: "c"\n  type: "Convolution"\n  convolution_param {\n    num_output: 3\n  bottom: "data"\n}\n',
  );
  assert.match(
    param.find((f) => f.code === 'unknown-field')?.message ?? '',
    /"bottom" \(a field of caffe\.LayerParameter, a block further out: is the "\}" of the convolution_param block opened at line 4 missing, or does the field belong after it\?\)\.$/,
  );
});

test('fields below an unknown field are not reported again', () => {
  assert.deepEqual(codes(check('nonsense { foo: 1 bar { baz: 2 } }\n')), ['1:1 unknown-field']);
});

test('value kinds: string, number, message, scalar', () => {
  const text = [
    'name: 1', //                                         expected-string
    'layer { name: "a" bottom: conv1 }', //               expected-string
    'layer { name: "b" type: "Pooling" pooling_param { kernel_size: "3" } }', // expected-number
    'layer { name: "c" include: TEST }', //               expected-message
    'layer { name: "d" type: "InnerProduct" inner_product_param { num_output { } } }', // expected-scalar
    'layer { name: "e" type: "InnerProduct" inner_product_param { num_output: auto } }', // expected-number
  ].join('\n');
  assert.deepEqual(
    codes(check(text), 'expected-string', 'expected-number', 'expected-message', 'expected-scalar'),
    [
      '1:7 expected-string',
      '2:27 expected-string',
      '3:64 expected-number',
      '4:28 expected-message',
      '5:73 expected-scalar',
      '6:74 expected-number',
    ],
  );
});

test('a scalar field given {}: the message names a str.format template as a likely cause', () => {
  const text = 'layer { name: "p" type: "Power" power_param { power: {} scale: { } } }';
  const found = check(text).filter((d) => d.code === 'expected-scalar');
  assert.deepEqual(
    found.map((d) => [d.at, d.message]),
    [
      [
        '1:54',
        '"power" takes a float value, not {}: if the file is a str.format template, Caffe reads it only after it is filled in; else write power: <value>.',
      ],
      ['1:64', '"scale" takes a float value, not a message block: write scale: <value>.'],
    ],
  );
});

test('a value written without quotes is one problem, with the quoted value to write', () => {
  const text = [
    'net: examples/mnist/lenet_train_test.prototxt',
    'snapshot_prefix: C:\\caffe\\snap\\lenet',
    'train_net: lenet.prototxt',
    'test_net: ../nets/test-1.prototxt',
    'base_lr: 0.01',
    'lr_policy: "fixed"',
  ].join('\n');
  const found = check(text);
  assert.deepEqual(codes(found), [
    '1:6 expected-string',
    '2:18 expected-string',
    '3:12 expected-string',
    '4:11 expected-string',
  ]);
  assert.deepEqual(
    found.map((d) => d.suggestions),
    [
      ['"examples/mnist/lenet_train_test.prototxt"'],
      ['"C:\\\\caffe\\\\snap\\\\lenet"'],
      ['"lenet.prototxt"'],
      ['"../nets/test-1.prototxt"'],
    ],
  );
  assert.equal(
    found[1].message,
    'Expected string but found: C:\\caffe\\snap\\lenet. "snapshot_prefix" is a string: write "C:\\\\caffe\\\\snap\\\\lenet".',
  );
  // Numbers, negative words and names in brackets are read as before.
  assert.deepEqual(
    codes(
      check('layer { name: "d" type: "InnerProduct" inner_product_param { num_output: 2 } }\nname: -inf\n'),
    ),
    ['2:7 expected-string'],
  );
});

test('an enum name or a number in quotes: the fix writes it bare', () => {
  const text =
    'layer {\n  name: "d"\n  type: "Input"\n  top: "data"\n  include { phase: "train" }\n}\n' +
    'layer { name: "p" type: "Pooling" bottom: "data" top: "p" pooling_param { pool: "MAX" kernel_size: "2" stride: "x" } }\n' +
    'layer { name: "q" type: "Dropout" bottom: "p" top: "p" dropout_param { dropout_ratio: " 0.5" } }\n';
  const found = check(text).filter((f) => f.code === 'expected-enum' || f.code === 'expected-number');
  assert.deepEqual(
    found.map((f) => [f.at, f.code, f.suggestions]),
    [
      ['5:20', 'expected-enum', ['TRAIN']],
      ['7:81', 'expected-enum', ['MAX']],
      ['7:100', 'expected-number', ['2']],
      // Not a number: nothing to offer.
      ['7:112', 'expected-number', undefined],
      ['8:87', 'expected-number', ['0.5']],
    ],
  );
});

test('integer ranges and floats given to integer fields', () => {
  const text = [
    'layer { name: "a" type: "InnerProduct" inner_product_param { num_output: -1 } }',
    'layer { name: "b" type: "InnerProduct" inner_product_param { num_output: 4294967296 } }',
    'layer { name: "c" type: "InnerProduct" inner_product_param { num_output: 4294967295 axis: 2147483648 } }',
    'layer { name: "d" type: "InnerProduct" inner_product_param { num_output: 1.5 } }',
    'input_shape { dim: 9223372036854775808 dim: -9223372036854775808 }',
    'layer { name: "e" type: "InnerProduct" inner_product_param { num_output: 0x10 axis: -1 } }',
  ].join('\n');
  const found = check(text);
  assert.deepEqual(codes(found, 'out-of-range', 'expected-integer'), [
    '1:74 out-of-range',
    '2:74 out-of-range',
    '3:91 out-of-range',
    '4:74 expected-integer',
    '5:20 out-of-range',
  ]);
  assert.match(found.find((f) => f.code === 'out-of-range')?.message ?? '', /uint32 \(0 to 4294967295\)/);
});

test('integer range edges, in decimal and octal, negative zero', () => {
  const layer = (params: string) =>
    `layer { name: "a" type: "InnerProduct" inner_product_param { ${params} } }`;
  const text = [
    layer('num_output: 037777777777 axis: -2147483648'),
    layer('num_output: 040000000000 axis: -2147483649'),
    layer('num_output: 0 axis: 2147483647'),
    // An unsigned field takes no sign, not even on zero (protoc: "Expected integer, got: -").
    layer('num_output: -0 axis: -0'),
  ].join('\n');
  assert.deepEqual(codes(check(text), 'out-of-range', 'expected-integer'), [
    '2:74 out-of-range',
    '2:93 out-of-range',
    '4:74 out-of-range',
  ]);
});

test('floats: integers, inf, nan and exponents are fine; other words are not; float overflow is read as inf', () => {
  const ok =
    'base_lr: 1\nmomentum: .9\ngamma: 1e-4\npower: -inf\ndelta: nan\nweight_decay: 2.\nrms_decay: 1f\n';
  assert.deepEqual(codes(check(ok)), []);
  const found = check('base_lr: fast\nmomentum: 1e39\ngamma: -1e40\n');
  assert.deepEqual(codes(found), ['1:10 expected-number', '2:11 out-of-range', '3:8 out-of-range']);
  // protobuf reads an overflowing float as infinity (protoc encodes it): a warning that says so.
  assert.deepEqual(
    found.map((f) => f.severity),
    ['error', 'warning', 'warning'],
  );
  assert.match(found[1].message, /1e39 is beyond the largest float .*Caffe reads inf\.$/);
  assert.match(found[2].message, /Caffe reads -inf\.$/);
});

test('bools per protobuf: true/false/True/False/t/f, and 0 and 1 in any base', () => {
  const ok = ['true', 'false', 'True', 'False', 't', 'f', '1', '0', '0x1', '01', '00', '0X0'].map(
    (v) => `debug_info: ${v}`,
  );
  for (const line of ok) assert.deepEqual(codes(check(line)), [], line);
  for (const bad of ['yes', '2', '"true"', 'TRUE', '-1', '-0', '0x2', '1.0']) {
    const found = check(`debug_info: ${bad}`);
    assert.deepEqual(codes(found), ['1:13 expected-bool'], bad);
    assert.match(found[0].message, /Expected "true" or "false"/);
  }
});

test('a list of values needs its colon, a list of messages does not; an unsigned field takes no sign', () => {
  const found = check('input: "x"\ninput_shape { dim [1, 2] }\nlayer [{ name: "a" }]\n');
  assert.deepEqual(codes(found), ['2:15 expected-colon']);
  assert.deepEqual(found[0].suggestions, ['dim:']);
  assert.deepEqual(codes(check('input: "x"\ninput_shape { dim: [1, 2] }\nlayer: [{ name: "a" }]\n')), []);
  const conv = (pad: string) =>
    `layer { name: "c" type: "Convolution" convolution_param { num_output: 1 kernel_size: 1 pad: ${pad} } }`;
  const minusZero = check(conv('-0'));
  assert.deepEqual(
    minusZero.map((d) => d.code),
    ['out-of-range'],
  );
  assert.match(minusZero[0].message, /takes no sign \("Expected integer, got: -"\): write 0\.$/);
  assert.deepEqual(minusZero[0].suggestions, ['0']);
  assert.deepEqual(
    check(conv('-2')).map((d) => d.code),
    ['out-of-range'],
  );
});

test('float fields take decimal numbers only: hex and octal integers are an error, as protobuf says', () => {
  const filler = (v: string) =>
    `layer { name: "c" type: "Convolution" convolution_param { num_output: 1 kernel_size: 1 bias_filler { value: ${v} } } }`;
  for (const ok of ['0', '1', '-3', '0.5', '1e5', '2f', 'inf', '-nan', '10'])
    assert.deepEqual(codes(check(filler(ok))), [], ok);
  for (const bad of ['00', '007', '0x1f', '-0x1F', '010']) {
    const found = check(filler(bad));
    assert.deepEqual(
      found.map((d) => d.code),
      ['expected-number'],
      bad,
    );
    assert.match(found[0].message, /takes a decimal number: .*"Expect a decimal number, got: /);
  }
});

test('enums by name or number; bad names with did-you-mean, bad numbers, strings', () => {
  const base = (v: string) => `layer { name: "p" type: "Pooling" pooling_param { pool: ${v} } }`;
  assert.deepEqual(codes(check(base('MAX'))), []);
  assert.deepEqual(codes(check(base('1'))), []);
  const bad = check(base('MAXX'));
  assert.deepEqual(codes(bad), ['1:57 unknown-enum-value']);
  assert.deepEqual(bad[0].suggestions, ['MAX']);
  assert.match(bad[0].message, /has no value named "MAXX"/);
  assert.deepEqual(codes(check(base('7'))), ['1:57 unknown-enum-value']);
  assert.match(check(base('7'))[0].message, /has no value with number 7/);
  assert.deepEqual(codes(check(base('"MAX"'))), ['1:57 expected-enum']);
  assert.doesNotMatch(check(base('"MAX"'))[0].message, /layers \{ \}/);
});

test('a V2 type string in a V1 layers block says which block takes it', () => {
  // caffe-googlenet-bn's deploy: layer { } blocks, and a last layers { } block written the same way.
  const net = (type: string) => `layers { name: "prob" bottom: "x" top: "prob" type: ${type} }\n`;
  const message = (type: string) => check(net(type)).find((f) => f.code === 'expected-enum')?.message ?? '';
  assert.match(
    message('"Softmax"'),
    /not a string\. "Softmax" is how a layer \{ \} block names its type; this block is layers \{ \} \(the V1 format\): write layer instead of layers, or type: SOFTMAX in this one\.$/,
  );
  // A type V1 never had: only the block to write.
  assert.match(message('"BatchNorm"'), /write layer instead of layers\.$/);
  assert.match(message('"MyLayer"'), /, not a string\.$/);
});

test('a singular field given twice: error on the copy, at its value or its {', () => {
  const found = check(
    'layer {\n  name: "a"\n  name: "b"\n  input_param { shape { dim: 1 } }\n  input_param { }\n}\n',
  );
  assert.deepEqual(codes(found, 'duplicate-field'), ['3:9 duplicate-field', '5:15 duplicate-field']);
  assert.match(
    found.find((f) => f.code === 'duplicate-field')?.message ?? '',
    /should not have multiple "name" fields/,
  );
  // Repeated fields may repeat.
  assert.deepEqual(
    codes(
      check('layer { name: "a" type: "Input" top: "x" top: "y" input_param { shape { dim: 1 } } }'),
      'duplicate-field',
    ),
    [],
  );
});

test('lists only for repeated fields', () => {
  assert.deepEqual(codes(check('stepvalue: [1, 2]\nbase_lr: [0.1]\n')), ['2:10 unexpected-list']);
});

test('missing required field at the block that lacks it', () => {
  const found = check(
    'layer { name: "c" type: "Clip" bottom: "x" top: "y" clip_param { min: 0 } }\ninput: "x"\ninput_dim: 1\n',
  );
  assert.deepEqual(codes(found, 'missing-required'), ['1:53 missing-required']);
  assert.match(found.find((f) => f.code === 'missing-required')?.message ?? '', /"max"/);
});

test('syntax errors are reported with code syntax', () => {
  assert.deepEqual(codes(check('name: "a"\n}\n')), ['2:1 syntax']);
});
