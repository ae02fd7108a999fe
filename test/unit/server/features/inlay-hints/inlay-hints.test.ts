// Inlay hints with inferred shapes: placement, per-phase labels, unknown shapes, range, the setting,
// and agreement with the published shapes of LeNet and ResNet-50.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { InlayHintKind, type InlayHint, type Range } from 'vscode-languageserver';
import { provideInlayHints, shapeLabel } from '../../../../../server/src/features/inlay-hints/inlay-hints';
import type { AnalyzedDocument } from '../../../../../server/src/features/context';
import { DEFAULT_SETTINGS } from '../../../../../server/src/settings';
import { featureInputFor, withCursor } from '../../../../helpers/analyzed-document';
import { repoRoot } from '../../../../helpers/paths';
import { needs } from '../../../../helpers/resources';

const corpus = path.resolve(repoRoot, '../shared/corpus');
const skip = needs('corpus');

function wholeRange(input: AnalyzedDocument): Range {
  return { start: { line: 0, character: 0 }, end: input.doc.lines.positionAt(input.doc.text.length) };
}

function hints(input: AnalyzedDocument, range = wholeRange(input)): InlayHint[] {
  return provideInlayHints(input, { textDocument: { uri: input.doc.uri }, range });
}

/** Hint label by the blob name written just before it. */
function labels(input: AnalyzedDocument, list = hints(input)): [string, string][] {
  return list.map((h) => {
    const offset = input.doc.lines.offsetAt(h.position);
    const before = input.doc.text.slice(0, offset);
    const blob = /"([^"]*)"$/.exec(before)?.[1] ?? '?';
    return [blob, String(h.label)];
  });
}

const TWO_PHASES = `layer { name: "train" type: "Input" top: "data" include { phase: TRAIN }
  input_param { shape { dim: 64 dim: 3 dim: 8 dim: 8 } } }
layer { name: "test" type: "Input" top: "data" include { phase: TEST }
  input_param { shape { dim: 10 dim: 3 dim: 8 dim: 8 } } }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv"
  convolution_param { num_output: 4 kernel_size: 3 } }
layer { name: "relu" type: "ReLU" bottom: "conv" top: "conv" }
layer { name: "py" type: "Python" bottom: "conv" top: "py" python_param { module: "m" layer: "L" } }
layer { name: "after" type: "ReLU" bottom: "py" top: "after" }
layer { name: "ip" type: "InnerProduct" bottom: "conv" top: "ip" inner_product_param { num_output: 5 } }
layer { name: "loss" type: "EuclideanLoss" bottom: "ip" bottom: "ip" top: "loss" include { phase: TRAIN } }
`;

test('one hint after each top value with a known shape; per phase when the phases differ', () => {
  const input = featureInputFor(TWO_PHASES);
  assert.deepEqual(labels(input), [
    ['data', '64×3×8×8'],
    ['data', '10×3×8×8'],
    ['conv', 'TRAIN 64×4×6×6 · TEST 10×4×6×6'],
    ['conv', 'TRAIN 64×4×6×6 · TEST 10×4×6×6'],
    ['ip', 'TRAIN 64×5 · TEST 10×5'],
    ['loss', 'scalar'],
  ]);
});

test("a solver's embedded nets get their hints too, each net's own", () => {
  const net = (batch: number) =>
    `layer { name: "in" type: "Input" top: "data" input_param { shape { dim: ${batch} dim: 3 dim: 8 dim: 8 } } }
  layer { name: "ip" type: "InnerProduct" bottom: "data" top: "ip" inner_product_param { num_output: 5 } }`;
  const solver = `base_lr: 0.01\nlr_policy: "fixed"\ntest_iter: 1\ntest_interval: 10\ntrain_net_param {\n  ${net(64)}\n}\ntest_net_param {\n  ${net(10)}\n}\n`;
  const input = featureInputFor(solver);
  assert.equal(input.analysis.net, undefined);
  assert.deepEqual(labels(input), [
    ['data', '64×3×8×8'],
    ['ip', '64×5'],
    ['data', '10×3×8×8'],
    ['ip', '10×5'],
  ]);
  // Only the lines asked for.
  const testNet = input.doc.text.indexOf('test_net_param');
  const range = { start: input.doc.lines.positionAt(testNet), end: wholeRange(input).end };
  assert.deepEqual(labels(input, hints(input, range)), [
    ['data', '10×3×8×8'],
    ['ip', '10×5'],
  ]);
});

test('the hint sits right after the closing quote, as a type hint with padding and a tooltip', () => {
  const { text, offset } = withCursor(
    'input: "data"\ninput_shape { dim: 1 dim: 3 dim: 4 dim: 4 }\nlayer { name: "r" type: "ReLU" bottom: "data" top: "r"<|> }\n',
  );
  const input = featureInputFor(text);
  const [hint] = hints(input);
  assert.deepEqual(hint.position, input.doc.lines.positionAt(offset));
  assert.equal(hint.label, '1×3×4×4');
  assert.equal(hint.kind, InlayHintKind.Type);
  assert.equal(hint.paddingLeft, true);
  assert.match(String(hint.tooltip), /Blob "r" as layer "r" produces it \(TRAIN and TEST\)/);
});

test('unknown shapes get no hint: a Python layer and what follows it', () => {
  const blobs = labels(featureInputFor(TWO_PHASES)).map(([b]) => b);
  assert.ok(!blobs.includes('py'));
  assert.ok(!blobs.includes('after'));
});

test('a partly known shape shows what is known; one with no dim known gets no hint', () => {
  const text = `layer { name: "mnist" type: "Data" top: "data" top: "label" data_param { source: "db" batch_size: 64 } }
layer { name: "conv1" type: "Convolution" bottom: "data" top: "conv1" convolution_param { num_output: 20 kernel_size: 5 } }
layer { name: "unknown" type: "Data" top: "nothing" top: "nolabel" data_param { source: "db" } }
`;
  assert.deepEqual(labels(featureInputFor(text)), [
    ['data', '64×?×?×?'],
    ['label', '64'],
    ['conv1', '64×20×?×?'],
  ]);
  assert.equal(shapeLabel({ TRAIN: [NaN, NaN], TEST: [NaN, NaN] }), undefined);
});

test('a shape known in one phase only shows `?` for the other', () => {
  const text = `layer { name: "train" type: "Input" top: "data" include { phase: TRAIN }
  input_param { shape { dim: 2 dim: 3 } } }
layer { name: "test" type: "Python" top: "data" include { phase: TEST } python_param { module: "m" layer: "L" } }
layer { name: "s" type: "Softmax" bottom: "data" top: "s" }
`;
  assert.deepEqual(labels(featureInputFor(text)), [
    ['data', '2×3'],
    ['s', 'TRAIN 2×3 · TEST ?'],
  ]);
  assert.equal(shapeLabel({ TRAIN: null, TEST: null }), undefined);
  assert.equal(shapeLabel({}), undefined);
});

test('only hints inside the requested range', () => {
  const input = featureInputFor(TWO_PHASES);
  // Lines 5-7 (0-based 4..6): the convolution and the in-place ReLU.
  const range = { start: { line: 4, character: 0 }, end: { line: 6, character: 999 } };
  assert.deepEqual(
    labels(input, hints(input, range)).map(([b]) => b),
    ['conv', 'conv'],
  );
  const empty = { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } };
  assert.deepEqual(hints(input, empty), []);
});

test('prototxt.inlayHints.shapes: false turns them off', () => {
  const input = featureInputFor(TWO_PHASES, {
    settings: { inlayHints: { ...DEFAULT_SETTINGS.inlayHints, shapes: false } },
  });
  assert.deepEqual(hints(input), []);
});

test('no hints for a solver or a file without layers', () => {
  assert.deepEqual(hints(featureInputFor('base_lr: 0.01\nmax_iter: 10\n')), []);
  assert.deepEqual(hints(featureInputFor('name: "empty"\n')), []);
});

test('hints read the shapes the analysis inferred, without inferring again', () => {
  const input = featureInputFor(TWO_PHASES);
  const first = provideInlayHints(input, { textDocument: { uri: input.doc.uri }, range: wholeRange(input) });
  assert.equal(input.shapes.net, input.analysis.shapes);
  const second = provideInlayHints(input, { textDocument: { uri: input.doc.uri }, range: wholeRange(input) });
  assert.deepEqual(second, first);
});

function corpusInput(rel: string): AnalyzedDocument {
  return featureInputFor(fs.readFileSync(path.join(corpus, 'files', rel), 'utf8'));
}

test('LeNet: the published shapes, ip2 64×10', skip, () => {
  const found = new Map(labels(corpusInput('BVLC__caffe/examples/mnist/lenet.prototxt')));
  assert.equal(found.get('data'), '64×1×28×28');
  assert.equal(found.get('conv1'), '64×20×24×24');
  assert.equal(found.get('pool2'), '64×50×4×4');
  assert.equal(found.get('ip1'), '64×500');
  assert.equal(found.get('ip2'), '64×10');
  assert.equal(found.get('prob'), '64×10');
});

test('ResNet-50: every top has a hint, fc1000 1×1000', skip, () => {
  const input = corpusInput('KaimingHe__deep-residual-networks/prototxt/ResNet-50-deploy.prototxt');
  const list = labels(input);
  const tops = input.analysis.net?.layers.reduce((n, l) => n + l.tops.length, 0);
  assert.equal(list.length, tops);
  const found = new Map(list);
  assert.equal(found.get('conv1'), '1×64×112×112');
  assert.equal(found.get('pool1'), '1×64×56×56');
  assert.equal(found.get('res5c'), '1×2048×7×7');
  assert.equal(found.get('fc1000'), '1×1000');
  assert.equal(found.get('prob'), '1×1000');
});
