// Shape problems reach analyze(): right codes and ranges, once per range across phases, and no
// shape-unknown-bottom where validation already reports an undefined bottom.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../../../server/src/analysis/analyze';
import { buildNet } from '../../../../../server/src/analysis/model/net';
import { inferNetShapes, shapeDiagnostics } from '../../../../../server/src/analysis/shapes/net-shapes';
import { parse } from '../../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../../server/src/schema/bundled';
import { check, codes } from '../checks/helpers';

const INPUT = 'input: "data"\ninput_shape { dim: 1 dim: 3 dim: 8 dim: 8 }\n';

/** `layer { ... }` on one line. */
function layer(body: string): string {
  return `layer { ${body} }\n`;
}

/** The 1-based "line:col" of the n-th (0-based) occurrence of `needle`. */
function at(text: string, needle: string, n = 0): string {
  let offset = -1;
  for (let i = 0; i <= n; i++) offset = text.indexOf(needle, offset + 1);
  assert.ok(offset >= 0, `${needle} not found`);
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

test('Concat inputs that disagree: one error on the layer name, not one per phase', () => {
  const text =
    INPUT +
    layer(
      'name: "a" type: "Convolution" bottom: "data" top: "a" convolution_param { num_output: 4 kernel_size: 1 }',
    ) +
    layer(
      'name: "b" type: "Convolution" bottom: "data" top: "b" convolution_param { num_output: 4 kernel_size: 3 }',
    ) +
    layer('name: "cat" type: "Concat" bottom: "a" bottom: "b" top: "cat"');
  const found = check(text).filter((f) => f.code === 'shape-mismatch');
  assert.equal(found.length, 1, JSON.stringify(found));
  assert.equal(found[0].at, at(text, '"cat"'));
  assert.equal(found[0].severity, 'error');
  assert.match(found[0].message, /Concat inputs disagree: a is 1×4×8×8, b is 1×4×6×6/);
  assert.doesNotMatch(found[0].message, /TRAIN|TEST/);
});

test('a kernel larger than its padded input is reported on the layer', () => {
  const text =
    INPUT +
    layer(
      'name: "big" type: "Convolution" bottom: "data" top: "big" convolution_param { num_output: 2 kernel_size: 11 pad: 1 }',
    );
  const found = check(text).filter((f) => f.code === 'kernel-too-large');
  assert.equal(found.length, 1);
  assert.equal(found[0].at, at(text, '"big"'));
  assert.match(found[0].message, /kernel extent 11 is larger than the padded input 10/);
});

test("pooling windows larger than their maps: the first layer's, with how many later layers share it", () => {
  // OpenPose's deploy nets declare a 1×1 input, reshaped at run time: every pooling window is larger.
  const pool = (name: string, bottom: string) =>
    layer(
      `name: "${name}" type: "Pooling" bottom: "${bottom}" top: "${name}" pooling_param { pool: MAX kernel_size: 2 stride: 2 }`,
    );
  const text =
    'input: "image"\ninput_dim: 1\ninput_dim: 3\ninput_dim: 1\ninput_dim: 1\n' +
    pool('pool1', 'image') +
    pool('pool2', 'pool1') +
    pool('pool3', 'pool2');
  const found = check(text).filter((f) => f.code === 'kernel-too-large');
  // Told at pool1; pool2 and pool3 only counted.
  assert.deepEqual(
    found.map((f) => [f.at, f.severity]),
    [[at(text, '"pool1"'), 'warning']],
  );
  assert.match(
    found[0].message,
    /^kernel extent 2 is larger than the padded input 1 \(1 \+ 2×0\) on axis 2: Caffe builds the layer and pools the part of each window inside the input\. The windows of 2 later pooling layers are larger than their inputs too\. .*# input-shape: NAME=N,C,H,W/,
  );
  // Stated at its real size, nothing is said.
  assert.deepEqual(codes(check('# input-shape: image=1,3,368,368\n' + text), 'kernel-too-large'), []);
});

test('a Reshape whose element count does not match is reported on reshape_param', () => {
  const text =
    INPUT +
    layer('name: "r" type: "Reshape" bottom: "data" top: "r" reshape_param { shape { dim: 1 dim: 100 } }');
  const found = check(text).filter((f) => f.code === 'reshape-count');
  assert.equal(found.length, 1);
  assert.equal(found[0].at, at(text, '{ shape'));
  assert.equal(
    found[0].message,
    'Reshape of data (1×3×8×8) to 1, 100: the new shape (1×100) has 100 elements but the bottom has 192; ' +
      'Caffe stops ("output count must match input count")',
  );
});

test('an undefined bottom is reported by validation only, not again by shape inference', () => {
  const text =
    INPUT +
    layer('name: "relu" type: "ReLU" bottom: "nothing" top: "out"') +
    layer('name: "s" type: "Softmax" bottom: "out" top: "prob"');
  const found = check(text);
  assert.deepEqual(codes(found, 'undefined-bottom', 'shape-unknown-bottom'), [
    `${at(text, '"nothing"')} undefined-bottom`,
  ]);
});

test('without validation the same net gives shape-unknown-bottom, which the merge drops when told', () => {
  const text = INPUT + layer('name: "relu" type: "ReLU" bottom: "nothing" top: "out"');
  const shapes = inferNetShapes(buildNet(parse(text)));
  const all = shapeDiagnostics(shapes);
  assert.deepEqual(
    all.map((d) => d.code),
    ['shape-unknown-bottom'],
  );
  assert.deepEqual(shapeDiagnostics(shapes, new Set([all[0].start])), []);
});

const TWO_PHASES =
  layer(
    'name: "train" type: "Input" top: "data" input_param { shape { dim: 64 dim: 3 dim: 8 dim: 8 } } include { phase: TRAIN }',
  ) +
  layer(
    'name: "test" type: "Input" top: "data" input_param { shape { dim: 10 dim: 3 dim: 8 dim: 8 } } include { phase: TEST }',
  );

test('a problem in one phase only says which phase', () => {
  const text =
    TWO_PHASES +
    layer(
      'name: "big" type: "Pooling" bottom: "data" top: "p" pooling_param { kernel_size: 9 } include { phase: TRAIN }',
    ) +
    layer(
      'name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 2 kernel_size: 9 } include { phase: TEST }',
    );
  const found = check(text).filter((f) => f.code === 'kernel-too-large');
  assert.deepEqual(
    found.map((f) => [f.at, f.severity, f.message.replace(/^.* on axis 2/, '')]),
    [
      [
        at(text, '"big"'),
        'warning',
        ': Caffe builds the layer and pools the part of each window inside the input (in the TRAIN phase)',
      ],
      [at(text, '"c"'), 'error', ' (in the TEST phase)'],
    ],
  );
});

test('a problem worded differently per phase (batch sizes) is one diagnostic naming both', () => {
  const text =
    TWO_PHASES +
    layer(
      'name: "a" type: "Convolution" bottom: "data" top: "a" convolution_param { num_output: 4 kernel_size: 1 }',
    ) +
    layer('name: "e" type: "Eltwise" bottom: "data" bottom: "a" top: "e"');
  const found = check(text).filter((f) => f.code === 'shape-mismatch');
  assert.equal(found.length, 1, JSON.stringify(found));
  assert.match(
    found[0].message,
    /^TRAIN: Eltwise inputs disagree: data is .*, a is 64×4×8×8; TEST: .*a is 10×4×8×8/,
  );
});

test('a train-only file is not inferred in TEST, where nothing makes data', () => {
  const text =
    layer(
      'name: "train" type: "Input" top: "data" input_param { shape { dim: 4 dim: 3 dim: 8 dim: 8 } } include { phase: TRAIN }',
    ) + layer('name: "r" type: "ReLU" bottom: "data" top: "r"');
  const shapes = inferNetShapes(buildNet(parse(text)));
  assert.ok(shapes.TRAIN);
  assert.equal(shapes.TEST, undefined);
  assert.deepEqual(
    check(text).filter((f) => f.code.startsWith('shape')),
    [],
  );
});

test('a net embedded in a solver is checked too', () => {
  const text =
    'base_lr: 0.01\nnet_param {\n' +
    INPUT +
    layer('name: "r" type: "Reshape" bottom: "data" top: "r" reshape_param { shape { dim: 7 dim: -1 } }') +
    '}\n';
  const found = check(text).filter((f) => f.code === 'reshape-count');
  assert.equal(found.length, 1, JSON.stringify(check(text)));
  assert.equal(
    found[0].message,
    'Reshape of data (1×3×8×8) to 7, -1: cannot infer the -1 dim: the other dims (7×?) come to 7 and the ' +
      'bottom\'s 192 elements are not a multiple of that; Caffe stops ("bottom count (192) must be divisible ' +
      'by the product of the specified dimensions (7)")',
  );
});

test('a clean net gets no shape diagnostics', () => {
  const text =
    INPUT +
    layer(
      'name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 4 kernel_size: 3 }',
    ) +
    layer('name: "ip" type: "InnerProduct" bottom: "c" top: "ip" inner_product_param { num_output: 10 }');
  assert.deepEqual(check(text), []);
});

test("a layer type named like an object's own members has no rule: unknown tops, no internal error", () => {
  for (const type of ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf']) {
    const text = INPUT + layer(`name: "x" type: "${type}" bottom: "data" top: "x"`);
    const schema = loadBundledSchema();
    const analysis = analyze(text, parse(text), { schema, schemaKind: 'bundled' });
    assert.deepEqual(analysis.shapeDiagnostics, [], type);
    assert.equal(analysis.shapes.TRAIN?.layers[0].status, 'unknown-type', type);
    assert.equal(analysis.shapes.TRAIN?.blobs.get('x'), null, type);
  }
});

test('the analysis infers shapes once and keeps them; nothing for a solver', () => {
  const schema = loadBundledSchema();
  const text = INPUT + layer('name: "r" type: "ReLU" bottom: "data" top: "r"');
  const analysis = analyze(text, parse(text), { schema, schemaKind: 'bundled' });
  assert.deepEqual(analysis.shapes.TEST?.blobs.get('r'), [1, 3, 8, 8]);
  assert.deepEqual(analysis.shapeDiagnostics, []);
  const solver = analyze('base_lr: 0.1\n', parse('base_lr: 0.1\n'), { schema, schemaKind: 'bundled' });
  assert.deepEqual(solver.shapes, {});
});

test("a solver's analysis keeps the shapes of each net it embeds, unless deploy nets filled them in", () => {
  const schema = loadBundledSchema();
  const data =
    'layer { name: "d" type: "Data" top: "data" data_param { batch_size: 2 } transform_param { crop_size: 8 } }\n';
  const text =
    'base_lr: 0.01\nnet_param {\n' + data + layer('name: "r" type: "ReLU" bottom: "data" top: "r"') + '}\n';
  const ast = parse(text);
  const shapesOf = (fills: Map<string, { shape: number[]; source: string; fill: boolean }>) => {
    const analysis = analyze(text, ast, { schema, schemaKind: 'bundled', deployFills: () => fills });
    const field = ast.fields.find((f) => f.name === 'net_param');
    const net = field && analysis.embeddedNets?.get(field);
    return net && analysis.embeddedShapes?.get(net);
  };
  // No deploy net beside the file: its fills are empty, the shapes are those the phase rule infers.
  assert.deepEqual(shapesOf(new Map())?.TRAIN?.blobs.get('r'), [2, Number.NaN, 8, 8]);
  const filled = new Map([['data', { shape: [1, 3, 8, 8], source: 'deploy.prototxt', fill: true }]]);
  assert.equal(shapesOf(filled), undefined);
});

test('in-place layers leave their blob as it is; a blob written again in place takes the new shape', () => {
  const schema = loadBundledSchema();
  const text =
    INPUT +
    layer(
      'name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 4 kernel_size: 3 }',
    ) +
    layer('name: "r" type: "ReLU" bottom: "c" top: "c"') +
    layer('name: "bn" type: "BatchNorm" bottom: "c" top: "c"') +
    // In place but not keeping the shape: the blob takes the pooled shape.
    layer(
      'name: "p" type: "Pooling" bottom: "c" top: "c" pooling_param { pool: MAX kernel_size: 2 stride: 2 }',
    ) +
    layer('name: "r2" type: "ReLU" bottom: "c" top: "c"') +
    // A bottom nothing produces, then the same name in place: unknown, reported once.
    layer('name: "u" type: "ReLU" bottom: "nowhere" top: "nowhere"') +
    layer('name: "u2" type: "ReLU" bottom: "nowhere" top: "nowhere"') +
    layer('name: "after" type: "ReLU" bottom: "c" top: "after"');
  const shapes = inferNetShapes(buildNet(parse(text), schema), schema).TEST;
  assert.ok(shapes);
  const tops = (name: string) => shapes.layers.find((l) => l.layer.name === name)?.tops;
  assert.deepEqual(tops('bn'), [[1, 4, 6, 6]]);
  assert.deepEqual(tops('p'), [[1, 4, 3, 3]]);
  assert.deepEqual(tops('after'), [[1, 4, 3, 3]]);
  assert.deepEqual(shapes.blobs.get('c'), [1, 4, 3, 3]);
  assert.equal(shapes.blobs.get('nowhere'), null);
  assert.equal(shapes.problems.filter((p) => p.code === 'shape-unknown-bottom').length, 1);
});
