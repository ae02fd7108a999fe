// The shapes command: text and JSON output with the published figures of corpus nets, phases, the
// schema option, exit codes and usage.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../../../server/src/cli/commands';
import type { ShapesJson } from '../../../../server/src/cli/commands/shapes';
import { repoRoot } from '../../../helpers/paths';
import { needs } from '../../../helpers/resources';

const corpus = path.resolve(repoRoot, '../shared/corpus');
const skip = needs('corpus');
const files = path.join(corpus, 'files');
const LENET = 'BVLC__caffe/examples/mnist/lenet.prototxt';
const LENET_TRAIN_TEST = 'BVLC__caffe/examples/mnist/lenet_train_test.prototxt';
const RESNET50 = 'KaimingHe__deep-residual-networks/prototxt/ResNet-50-deploy.prototxt';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'shapes-cli-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

async function run(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['shapes', ...argv], {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    cwd,
  });
  return { code, out, err };
}

function write(name: string, text: string): string {
  fs.writeFileSync(path.join(scratch, name), text);
  return name;
}

function layerOf(json: ShapesJson, name: string) {
  const layer = json.layers.find((l) => l.name === name);
  assert.ok(layer, `layer ${name}`);
  return layer;
}

test('LeNet as text: a row per layer, 431,080 parameters in the totals', skip, async () => {
  const { code, out, err } = await run(files, LENET);
  assert.equal(err, '');
  assert.equal(code, 0);
  const lines = out.trimEnd().split('\n');
  assert.equal(lines[0], `${LENET} (TEST): 9 layers`);
  assert.match(lines[1], /^layer\s+type\s+tops\s+params\s+MACs\s+top memory$/);
  assert.match(out, /\nip2 +InnerProduct +ip2 64×10 +5,010 +320,000 +2\.5 KiB\n/);
  assert.match(out, /\nconv1 +Convolution +conv1 64×20×24×24 +520 +18,432,000 +2\.8 MiB\n/);
  assert.match(lines[lines.length - 2], /^total +431,080 +146,752,000$/);
  // The columns line up: every row's type starts under "type", its parameters end under "params".
  const typeAt = lines[1].indexOf('type');
  const paramsEnd = lines[1].indexOf('params') + 'params'.length;
  for (const row of lines.slice(2, -1)) {
    if (!row.startsWith('total ')) assert.equal(/^\S+ +/.exec(row)?.[0].length, typeAt, row);
    assert.match(row.slice(0, paramsEnd), /\d$/, row);
    assert.equal(row[paramsEnd], ' ', row);
  }
  // Caffe's own log says "Memory required for data: 5172224" for this net.
  assert.match(lines[lines.length - 1], /^memory \(float32\): data 5,172,224 bytes \(4\.9 MiB;/);
});

test('LeNet as JSON: the documented shape', skip, async () => {
  const { code, out } = await run(files, '--json', LENET);
  assert.equal(code, 0);
  const json = JSON.parse(out) as ShapesJson;
  assert.deepEqual(Object.keys(json), ['layers', 'totals']);
  // data: every top, as Caffe's log counts it; training: data and diffs of the 9 distinct blobs
  // (relu1 works in place) and of the 431,080 parameters.
  const distinct = 5172224 - 64 * 500 * 4;
  assert.deepEqual(json.totals, {
    params: 431080,
    macs: 146752000,
    dataBytes: 5172224,
    paramBytes: 431080 * 4,
    trainingBytes: 2 * distinct + 2 * 431080 * 4,
  });
  assert.deepEqual(layerOf(json, 'ip2'), {
    name: 'ip2',
    type: 'InnerProduct',
    tops: [{ name: 'ip2', shape: [64, 10] }],
    params: 5010,
    macs: 320000,
    topBytes: 64 * 10 * 4,
  });
  assert.deepEqual(layerOf(json, 'pool2').tops, [{ name: 'pool2', shape: [64, 50, 4, 4] }]);
});

test('ResNet-50: 25,557,096 parameters, fc1000 1×1000, BatchNorm statistics apart', skip, async () => {
  const json = JSON.parse((await run(files, '--json', RESNET50)).out) as ShapesJson;
  assert.equal(json.totals.params, 25557032 + 64);
  assert.ok(json.totals.macs > 3.8e9 && json.totals.macs < 3.95e9, String(json.totals.macs));
  assert.deepEqual(layerOf(json, 'fc1000').tops, [{ name: 'fc1000', shape: [1, 1000] }]);
  assert.deepEqual(layerOf(json, 'res5c').tops, [{ name: 'res5c', shape: [1, 2048, 7, 7] }]);
  const text = (await run(files, RESNET50)).out;
  assert.match(text, /\ntotal +25,557,096 +[\d,]+\n/);
  assert.match(text, /BatchNorm statistics \(not learnable\)\nmemory /);
  // Caffe's "Memory required for data" for this net in TEST (its Split layers included).
  assert.equal(json.totals.dataBytes, 231829312);
});

test('VGG-16: 138,357,544 parameters and 15,470,264,320 MACs', async () => {
  let text = 'input: "data" input_shape { dim: 1 dim: 3 dim: 224 dim: 224 }\n';
  let prev = 'data';
  [64, 128, 256, 512, 512].forEach((c, b) => {
    for (let i = 1; i <= (b < 2 ? 2 : 3); i++) {
      const name = `conv${b + 1}_${i}`;
      text += `layer { name: "${name}" type: "Convolution" bottom: "${prev}" top: "${name}" convolution_param { num_output: ${c} pad: 1 kernel_size: 3 } }\n`;
      text += `layer { name: "relu${b + 1}_${i}" type: "ReLU" bottom: "${name}" top: "${name}" }\n`;
      prev = name;
    }
    text += `layer { name: "pool${b + 1}" type: "Pooling" bottom: "${prev}" top: "pool${b + 1}" pooling_param { pool: MAX kernel_size: 2 stride: 2 } }\n`;
    prev = `pool${b + 1}`;
  });
  for (const [name, n] of [
    ['fc6', 4096],
    ['fc7', 4096],
    ['fc8', 1000],
  ] as const) {
    text += `layer { name: "${name}" type: "InnerProduct" bottom: "${prev}" top: "${name}" inner_product_param { num_output: ${n} } }\n`;
    prev = name;
  }
  const { code, out } = await run(scratch, write('vgg16.prototxt', text));
  assert.equal(code, 0);
  assert.match(out, /\ntotal +138,357,544 +15,470,264,320\nmemory /);
  assert.match(out, /\nfc8 +InnerProduct +fc8 1×1000 +4,097,000 +4,096,000 +3\.9 KiB\n/);
  // The legacy input is listed as Caffe builds it: an Input layer named input.
  assert.match(out, /\ninput +Input +data 1×3×224×224 +0 +0 +588\.0 KiB\n/);
});

test('--phase picks the net state; the default is TEST', skip, async () => {
  const train = JSON.parse(
    (await run(files, '--json', '--phase', 'TRAIN', LENET_TRAIN_TEST)).out,
  ) as ShapesJson;
  const test_ = JSON.parse((await run(files, '--json', LENET_TRAIN_TEST)).out) as ShapesJson;
  assert.deepEqual(layerOf(train, 'mnist').tops[1], { name: 'label', shape: [64] });
  assert.deepEqual(layerOf(test_, 'mnist').tops[1], { name: 'label', shape: [100] });
  assert.ok(test_.layers.some((l) => l.name === 'accuracy'));
  assert.ok(!train.layers.some((l) => l.name === 'accuracy'));
  // The image size comes from the database; lenet.prototxt beside the file declares the same input.
  assert.deepEqual(layerOf(train, 'mnist').tops[0], {
    name: 'data',
    shape: [64, 1, 28, 28],
    source: 'lenet.prototxt beside it (its input data is 1×28×28)',
  });
  assert.deepEqual(layerOf(train, 'conv1').tops, [{ name: 'conv1', shape: [64, 20, 24, 24] }]);
  const text = (await run(files, '--phase=train', LENET_TRAIN_TEST)).out;
  assert.match(text, /^BVLC__caffe\/examples\/mnist\/lenet_train_test.prototxt \(TRAIN\)/);
  assert.match(text, /\nmnist +Data +data 64×1×28×28, label 64 /);
  assert.match(text, /\ndata 64×1×28×28: from lenet.prototxt beside it/);
});

test("the file's own state { phase } is the default", async () => {
  const text =
    'state { phase: TRAIN }\n' +
    'layer { name: "a" type: "Input" top: "x" input_param { shape { dim: 2 } } include { phase: TRAIN } }\n' +
    'layer { name: "b" type: "Input" top: "x" input_param { shape { dim: 3 } } include { phase: TEST } }\n';
  const json = JSON.parse((await run(scratch, '--json', write('state.prototxt', text))).out) as ShapesJson;
  assert.deepEqual(
    json.layers.map((l) => l.name),
    ['a'],
  );
});

test('shape problems go to standard error as path:line:col lines; the exit status stays 0', async () => {
  const text =
    'input: "data"\ninput_shape { dim: 1 dim: 3 dim: 4 dim: 4 }\n' +
    'layer { name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 2 kernel_size: 7 } }\n' +
    'layer { name: "r" type: "ReLU" bottom: "c" top: "r" }\n';
  const { code, out, err } = await run(scratch, write('big-kernel.prototxt', text));
  assert.equal(code, 0);
  assert.equal(
    err,
    'big-kernel.prototxt:3:15: error: kernel extent 7 is larger than the padded input 4 (4 + 2×0) on axis 2 [kernel-too-large]\n',
  );
  assert.match(out, /\nc +Convolution +c \? +\? +\? +\?\n/);
  assert.match(out, /\nmemory: unknown while some shapes are unknown\n$/);
  assert.match(out, /\nr +ReLU +r \? /);
});

test('a shared weight is counted once in the totals and marked', async () => {
  const layer = (n: string) =>
    `layer { name: "${n}" type: "InnerProduct" bottom: "data" top: "${n}" param { name: "w" } param { name: "b" } inner_product_param { num_output: 4 } }\n`;
  const text = 'input: "data"\ninput_shape { dim: 1 dim: 3 }\n' + layer('left') + layer('right');
  const name = write('siamese.prototxt', text);
  const json = JSON.parse((await run(scratch, '--json', name)).out) as ShapesJson;
  assert.equal(json.totals.params, 16);
  assert.equal(layerOf(json, 'left').sharedParams, undefined);
  assert.equal(layerOf(json, 'right').sharedParams, true);
  assert.match((await run(scratch, name)).out, /\nright +InnerProduct +right 1×4 +\(shared\) 16 /);
});

test('--schema reads defaults from the given caffe.proto; a bad one is bad usage', skip, async () => {
  const proto = path.join(corpus, 'schemas', 'bvlc', 'caffe.proto');
  const { code, out } = await run(files, '--json', '--schema', proto, LENET);
  assert.equal(code, 0);
  assert.equal((JSON.parse(out) as ShapesJson).totals.params, 431080);
  const bad = await run(files, '--schema', 'no/such/caffe.proto', LENET);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /cannot use --schema no\/such\/caffe.proto/);
  // A schema shipped with the tool, by name.
  const shipped = await run(files, '--json', '--schema', 'bundled:bvlc', LENET);
  assert.equal(shipped.code, 0);
  assert.equal((JSON.parse(shipped.out) as ShapesJson).totals.params, 431080);
  const unknown = await run(files, '--schema', 'bundled:nope', LENET);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /cannot use --schema bundled:nope: No bundled schema is called bundled:nope/);
});

test('exit 1: unreadable file, syntax errors (what can be inferred is still printed), no net', async () => {
  const missing = await run(scratch, 'missing.prototxt');
  assert.equal(missing.code, 1);
  assert.match(missing.err, /cannot read missing.prototxt/);

  const broken = write(
    'broken.prototxt',
    'input: "data"\ninput_shape { dim: 1 dim: 3 }\nlayer { name: "s" type: "Softmax" bottom: "data" top: "s" }\nlayer { name: "x" \n',
  );
  const syntax = await run(scratch, broken);
  assert.equal(syntax.code, 1);
  assert.match(syntax.err, /^broken.prototxt:\d+:\d+: error: .* \[syntax\]$/m);
  assert.match(syntax.out, /\ns +Softmax +s 1×3 /);

  const solver = await run(scratch, write('solver.prototxt', 'base_lr: 0.01\nmax_iter: 100\n'));
  assert.equal(solver.code, 1);
  assert.match(solver.err, /the solver names no train net: nothing to infer/);

  const yaml = await run(scratch, write('config.prototxt', 'TRAIN:\n  SCALES: !!python/tuple [600]\n'));
  assert.equal(yaml.code, 1);
  assert.equal(yaml.out, '');
  assert.match(yaml.err, /^config\.prototxt:2:11: error: This file is YAML, .* \[not-prototxt\]\n$/);
});

test('bad usage exits 2 with the usage text; --help exits 0', async () => {
  for (const argv of [
    [],
    ['--phase', 'VAL', 'a.prototxt'],
    ['--phase'],
    ['--nope', 'a.prototxt'],
    ['a', 'b'],
    ['--schema'],
  ]) {
    const { code, err } = await run(scratch, ...argv);
    assert.equal(code, 2, argv.join(' '));
    assert.match(err, /Usage: caffe-prototxt shapes/, argv.join(' '));
  }
  const help = await run(scratch, '--help');
  assert.equal(help.code, 0);
  assert.match(help.out, /--phase TRAIN\|TEST/);
  let listed = '';
  await runCli(['--help'], { stdout: (t) => (listed += t), stderr: () => {}, cwd: scratch });
  assert.match(listed, /\n {2}shapes +print the blob shapes, parameters and MACs of a net\n/);
});
