import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { buildNet } from '../../../../../server/src/analysis/model/net';
import { inferShapes } from '../../../../../server/src/analysis/shapes';
import type { SchemaData } from '../../../../../server/src/schema/model';
import { Schema } from '../../../../../server/src/schema/schema';
import { loadParser } from './test-parse';
import { repoRoot } from '../../../../helpers/paths';
import { needs } from '../../../../helpers/resources';

const corpus = path.resolve(repoRoot, '../shared/corpus');
const skip = needs('corpus');
const parsed = loadParser();

function schemaFor(fork: string): Schema {
  const file = path.join(repoRoot, 'server/src/schema/generated', `${fork}.json`);
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as SchemaData;
  return new Schema(data, { kind: 'bundled', label: fork });
}

async function infer(rel: string, phase: 'TRAIN' | 'TEST' = 'TEST', fork = 'bvlc') {
  const text = fs.readFileSync(path.join(corpus, 'files', rel), 'utf8');
  return inferShapes(buildNet((await parsed)(text)), phase, schemaFor(fork));
}

test('LeNet: 431,080 parameters, 64×10 output', skip, async () => {
  const r = await infer('BVLC__caffe/examples/mnist/lenet.prototxt');
  assert.equal(r.totals.params, 431080);
  assert.deepEqual(r.blobs.get('ip2'), [64, 10]);
  assert.deepEqual(r.blobs.get('pool2'), [64, 50, 4, 4]);
  assert.equal(r.problems.length, 0);
});

test('LeNet in the V0 format infers the same shapes', skip, async () => {
  const r = await infer('BVLC__caffe@v0.9/examples/lenet/lenet.prototxt');
  assert.equal(r.totals.params, 431080);
  assert.deepEqual(r.blobs.get('ip2'), [64, 10]);
});

test('AlexNet and CaffeNet: 60,965,224 parameters (grouped convolutions), 10×1000 output', skip, async () => {
  for (const rel of [
    'BVLC__caffe/models/bvlc_alexnet/deploy.prototxt',
    'BVLC__caffe/models/bvlc_reference_caffenet/deploy.prototxt',
  ]) {
    const r = await infer(rel);
    assert.equal(r.totals.params, 60965224, rel);
    assert.deepEqual(r.blobs.get('prob'), [10, 1000], rel);
    assert.deepEqual(r.blobs.get('pool5'), [10, 256, 6, 6], rel);
  }
  const v1 = await infer('BVLC__caffe@rc/models/bvlc_alexnet/deploy.prototxt');
  assert.equal(v1.totals.params, 60965224);
});

test('GoogLeNet: about 7.0M parameters, inception outputs and 10×1000', skip, async () => {
  const r = await infer('BVLC__caffe/models/bvlc_googlenet/deploy.prototxt');
  assert.equal(r.totals.params, 6998552);
  assert.deepEqual(r.blobs.get('pool1/3x3_s2'), [10, 64, 56, 56]);
  assert.deepEqual(r.blobs.get('inception_3a/output'), [10, 256, 28, 28]);
  assert.deepEqual(r.blobs.get('inception_5b/output'), [10, 1024, 7, 7]);
  assert.deepEqual(r.blobs.get('prob'), [10, 1000]);
  assert.equal(r.problems.length, 0);
});

test(
  'ResNet-50: 25.56M learnable parameters (Scale layers learn, BatchNorm statistics do not), 1×1000',
  skip,
  async () => {
    const r = await infer('KaimingHe__deep-residual-networks/prototxt/ResNet-50-deploy.prototxt');
    // torchvision's 25,557,032 plus the 64 biases of this file's conv1 (it leaves bias_term at its default, true).
    assert.equal(r.totals.params, 25557032 + 64);
    assert.equal(r.layers.find((l) => l.layer.name === 'conv1')?.params, 64 * 3 * 49 + 64);
    assert.deepEqual(r.blobs.get('pool1'), [1, 64, 56, 56]);
    assert.deepEqual(r.blobs.get('res5c'), [1, 2048, 7, 7]);
    assert.deepEqual(r.blobs.get('prob'), [1, 1000]);
    assert.ok(r.totals.macs > 3.8e9 && r.totals.macs < 3.95e9, `MACs ${r.totals.macs}`);
  },
);

test('VGG-16 (written out here): 138,357,544 parameters', async () => {
  const blocks = [
    [64, 2],
    [128, 2],
    [256, 3],
    [512, 3],
    [512, 3],
  ];
  let text = 'input: "data" input_shape { dim: 1 dim: 3 dim: 224 dim: 224 }\n';
  let prev = 'data';
  blocks.forEach(([c, n], b) => {
    for (let i = 1; i <= n; i++) {
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
  const r = inferShapes(buildNet((await parsed)(text)), 'TEST');
  assert.deepEqual(r.blobs.get('pool5'), [1, 512, 7, 7]);
  assert.deepEqual(r.blobs.get('fc8'), [1, 1000]);
  assert.equal(r.totals.params, 138357544);
  assert.equal(r.totals.macs, 15470264320);
});

test('every corpus net infers in both phases without throwing', skip, async () => {
  const parse = await parsed;
  const rows = fs
    .readFileSync(path.join(corpus, 'ORACLE.tsv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'));
  let nets = 0;
  let layers = 0;
  let unknownTops = 0;
  let unparsed = 0;
  for (const [rel, kind, , accepted] of rows) {
    if (kind !== 'net') continue;
    const fork = accepted.split(',')[0] || 'bvlc';
    const schema = schemaFor(fork);
    let doc;
    try {
      doc = parse(fs.readFileSync(path.join(corpus, 'files', rel), 'utf8'));
    } catch {
      unparsed++; // only the test stand-in parser can throw
      continue;
    }
    const net = buildNet(doc, schema);
    for (const phase of ['TRAIN', 'TEST'] as const) {
      const r = inferShapes(net, phase, schema);
      layers += r.layers.length;
      unknownTops += r.totals.unknownTops;
    }
    nets++;
  }
  console.log(
    `shapes corpus: ${nets} nets, ${layers} layer instances over both phases, ${unknownTops} with unknown tops, ${unparsed} unparsed`,
  );
  assert.ok(nets > 200);
});
