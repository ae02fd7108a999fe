// A net whose phases keep different layers is inferred once per phase; a layer both keep with bottoms
// of the same shapes takes over the first phase's rule run and its problems (phase-runs.ts), as does a
// batch-free layer whose bottoms differ in a smaller batch alone (its tops' batch changed); the shapes
// are those each phase would get on its own, here and on every two-phase net of the corpus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { buildNet } from '../../../../../server/src/analysis/model/net';
import { inferShapes } from '../../../../../server/src/analysis/shapes/infer';
import { inferNetShapes } from '../../../../../server/src/analysis/shapes/net-shapes';
import { parse } from '../../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../../server/src/schema/bundled';
import type { Schema } from '../../../../../server/src/schema/schema';
import { schemaFromProtoText } from '../../../../../server/src/schema/user-proto';
import { corpusDir, needs } from '../../../../helpers/resources';

const schema = loadBundledSchema();

/** A train_val net: a data layer per phase (batch `train` and `test`), then shared layers. */
function trainVal(train: number, test: number): string {
  const data = (phase: string, batch: number) =>
    `layer { name: "data" type: "Input" top: "data" include { phase: ${phase} }\n` +
    `  input_param { shape { dim: ${batch} dim: 3 dim: 8 dim: 8 } } }\n`;
  return (
    data('TRAIN', train) +
    data('TEST', test) +
    'layer { name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 4 kernel_size: 3 } }\n' +
    'layer { name: "p" type: "Pooling" bottom: "c" top: "p" pooling_param { pool: MAX kernel_size: 7 stride: 1 } }\n'
  );
}

/**
 * Both phases inferred together, each checked against inferring it alone: its layers, problems and
 * totals, and the final shapes of `blobs`.
 */
function togetherAsAlone(net: ReturnType<typeof buildNet>, what: string, blobs: readonly string[] = []) {
  const together = inferNetShapes(net, schema);
  for (const phase of ['TRAIN', 'TEST'] as const) {
    const alone = inferShapes(net, phase, schema);
    assert.deepEqual(together[phase]?.layers, alone.layers, `${what} ${phase}`);
    assert.deepEqual(together[phase]?.problems, alone.problems, `${what} ${phase}`);
    assert.deepEqual(together[phase]?.totals, alone.totals, `${what} ${phase}`);
    for (const blob of blobs)
      assert.deepEqual(together[phase]?.blobs.get(blob), alone.blobs.get(blob), `${what} ${phase} ${blob}`);
  }
  return together;
}

test('a layer both phases keep with the same bottoms gets the first phase run: same tops, same problems', () => {
  const net = buildNet(parse(trainVal(2, 2)), schema);
  const shapes = inferNetShapes(net, schema);
  const conv = (phase: 'TRAIN' | 'TEST') => shapes[phase]?.layers.find((l) => l.layer.name === 'c');
  assert.deepEqual(conv('TEST')?.tops, [[2, 4, 6, 6]]);
  // Taken over, not made again.
  assert.equal(conv('TEST')?.tops[0], conv('TRAIN')?.tops[0]);
  // The pooling kernel is larger than its input (on both axes) in both phases: the problems are in both.
  const kernelProblems = (phase: 'TRAIN' | 'TEST') =>
    shapes[phase]?.problems.filter((p) => p.code === 'kernel-too-large').map((p) => p.message);
  assert.equal(kernelProblems('TRAIN')?.length, 2);
  assert.deepEqual(kernelProblems('TEST'), kernelProblems('TRAIN'));
});

test('the same shapes and problems per phase as inferring each phase alone, whatever the batch sizes', () => {
  for (const [train, test] of [
    [2, 2],
    [2, 5],
  ]) {
    togetherAsAlone(buildNet(parse(trainVal(train, test)), schema), `${train}/${test}`);
  }
});

test('a layer both phases keep with the same bottoms is one result in both, whose problems both report', () => {
  // The pooling kernel leaves no output: besides the rule's problems, one on its top.
  const net = buildNet(parse(trainVal(2, 2)), schema);
  const shapes = inferNetShapes(net, schema);
  const layer = (phase: 'TRAIN' | 'TEST', name: string) =>
    shapes[phase]?.layers.find((l) => l.layer.name === name);
  assert.equal(layer('TEST', 'c'), layer('TRAIN', 'c'));
  assert.equal(layer('TEST', 'p'), layer('TRAIN', 'p'));
  const problems = (phase: 'TRAIN' | 'TEST') => shapes[phase]?.problems.map((p) => `${p.code} ${p.message}`);
  assert.ok((problems('TRAIN') ?? []).some((p) => p.includes("top 'p' would be")));
  assert.deepEqual(problems('TEST'), problems('TRAIN'));
});

test('a taken-over result still says whether its params are shared in its own phase', () => {
  // In TEST an earlier layer declares the param "w" that the shared convolution names: its weights
  // are counted once there, not in TRAIN.
  const text =
    trainVal(2, 2) +
    'layer { name: "t" type: "Convolution" bottom: "data" top: "t" include { phase: TEST }\n' +
    '  param { name: "w" } convolution_param { num_output: 4 kernel_size: 3 bias_term: false } }\n' +
    'layer { name: "s" type: "Convolution" bottom: "data" top: "s"\n' +
    '  param { name: "w" } convolution_param { num_output: 4 kernel_size: 3 bias_term: false } }\n';
  const together = togetherAsAlone(buildNet(parse(text), schema), 'shared params');
  const shared = (phase: 'TRAIN' | 'TEST') =>
    together[phase]?.layers.find((l) => l.layer.name === 's')?.sharedParams;
  assert.equal(shared('TRAIN'), false);
  assert.equal(shared('TEST'), true);
});

test('a layer taken over in the second phase leaves the blobs as that phase alone would, in place or not', () => {
  // ReLU works in place on "c"; "u" reads a blob that only the TRAIN data layer makes, so TEST warns
  // that no earlier layer produces it; each phase's blob shapes by name are those it gets alone.
  const text = (train: number, test: number) =>
    trainVal(train, test) +
    'layer { name: "label" type: "Input" top: "label" include { phase: TRAIN }\n' +
    '  input_param { shape { dim: 2 } } }\n' +
    'layer { name: "r" type: "ReLU" bottom: "c" top: "c" }\n' +
    'layer { name: "u" type: "Flatten" bottom: "label" top: "u" }\n' +
    'layer { name: "f" type: "Flatten" bottom: "c" top: "f" }\n';
  for (const [train, test] of [
    [2, 2],
    [2, 5],
  ]) {
    const blobs = ['data', 'c', 'p', 'label', 'u', 'f'];
    const together = togetherAsAlone(buildNet(parse(text(train, test)), schema), `${train}/${test}`, blobs);
    assert.ok(together.TEST?.problems.some((p) => p.code === 'shape-unknown-bottom'));
    assert.deepEqual(together.TEST?.blobs.get('f'), [test, 4 * 6 * 6]);
    // With the same batch, the ReLU and the flatten after it are the first phase's results.
    const layer = (phase: 'TRAIN' | 'TEST', name: string) =>
      together[phase]?.layers.find((l) => l.layer.name === name);
    assert.equal(layer('TEST', 'r') === layer('TRAIN', 'r'), train === test, `${train}/${test}`);
    assert.equal(layer('TEST', 'f') === layer('TRAIN', 'f'), train === test, `${train}/${test}`);
  }
});

test('with a smaller TEST batch, a batch-free layer takes over its TRAIN result with the batch changed', () => {
  const text =
    trainVal(8, 4) +
    'layer { name: "r" type: "ReLU" bottom: "c" top: "c" }\n' +
    'layer { name: "ip" type: "InnerProduct" bottom: "c" top: "ip" inner_product_param { num_output: 3 } }\n';
  const together = togetherAsAlone(buildNet(parse(text), schema), 'rebatched', ['c', 'p', 'ip']);
  const layer = (phase: 'TRAIN' | 'TEST', name: string) =>
    together[phase]?.layers.find((l) => l.layer.name === name);
  assert.deepEqual(layer('TEST', 'c')?.tops, [[4, 4, 6, 6]]);
  assert.deepEqual(layer('TEST', 'ip')?.tops, [[4, 3]]);
  // Half the batch, half the multiply-accumulates; the same weights.
  assert.equal(layer('TEST', 'ip')?.macs, (layer('TRAIN', 'ip')?.macs ?? 0) / 2);
  assert.equal(layer('TEST', 'ip')?.params, layer('TRAIN', 'ip')?.params);
  // In place in both phases: the ReLU's top is its bottom.
  assert.equal(layer('TEST', 'r')?.tops[0], layer('TEST', 'r')?.bottoms[0]);
});

test('layers whose batch is not passed through untouched are inferred again in TEST', () => {
  // Concat along the batch, a Scale by a per-channel blob (whose first axis is no batch, and equals the
  // TRAIN batch), a Reshape to a fixed first axis, and a batch larger in TEST than in TRAIN.
  const text = (train: number, test: number) =>
    trainVal(train, test) +
    'layer { name: "k" type: "Input" top: "k" input_param { shape { dim: 4 } } }\n' +
    'layer { name: "cat" type: "Concat" bottom: "c" bottom: "c" top: "cat" concat_param { axis: 0 } }\n' +
    'layer { name: "sc" type: "Scale" bottom: "c" bottom: "k" top: "sc" }\n' +
    'layer { name: "rs" type: "Reshape" bottom: "c" top: "rs" reshape_param { shape { dim: 2 dim: -1 } } }\n' +
    'layer { name: "e" type: "Eltwise" bottom: "c" bottom: "sc" top: "e" }\n';
  for (const [train, test] of [
    [4, 2],
    [8, 4],
    [2, 8],
  ]) {
    togetherAsAlone(buildNet(parse(text(train, test)), schema), `${train}/${test}`, ['cat', 'sc', 'rs', 'e']);
  }
});

test(
  'every two-phase net of the corpus: each phase inferred with the other as inferring it alone',
  needs('corpus'),
  () => {
    const rows = fs
      .readFileSync(path.join(corpusDir, 'ORACLE.tsv'), 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.split('\t'))
      .filter(([, kind]) => kind === 'net');
    let twoPhase = 0;
    for (const [rel, , , accepted] of rows) {
      const fork = (accepted || 'bvlc').split(',')[0];
      const proto = path.join(corpusDir, 'schemas', fork, 'caffe.proto');
      if (!fs.existsSync(proto)) continue;
      const forkSchema =
        schemas.get(fork) ?? schemaFromProtoText(fs.readFileSync(proto, 'utf8'), proto).schema;
      schemas.set(fork, forkSchema);
      const net = buildNet(parse(fs.readFileSync(path.join(corpusDir, 'files', rel), 'utf8')), forkSchema);
      const together = inferNetShapes(net, forkSchema);
      if (!together.TRAIN || !together.TEST) continue;
      twoPhase++;
      const alone = inferShapes(net, 'TEST', forkSchema);
      assert.deepEqual(together.TEST.layers, alone.layers, rel);
      assert.deepEqual(together.TEST.problems, alone.problems, rel);
      assert.deepEqual(together.TEST.totals, alone.totals, rel);
    }
    assert.ok(twoPhase > 200, `${twoPhase} nets inferred in two phases`);
  },
);

const schemas = new Map<string, Schema>();
