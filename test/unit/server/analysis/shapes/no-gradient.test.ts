// Layers that learn but lead to no loss in training get no gradient: Caffe's Net::Init logs "X does
// not need backward computation." and goes on. Each case is compared with that log of the real Caffe.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../../../server/src/analysis/analyze';
import { parse } from '../../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../../server/src/schema/bundled';
import { buildWithPycaffe } from '../../../../helpers/pycaffe-nets';
import { needs } from '../../../../helpers/resources';

const schema = loadBundledSchema();

const INPUT = `name: "grad"
layer { name: "in" type: "Input" top: "data" top: "label"
  input_param { shape { dim: 2 dim: 3 dim: 6 dim: 6 } shape { dim: 2 } } }
`;
const conv = (name: string, bottom: string, top = name, extra = '') =>
  `layer { name: "${name}" type: "Convolution" bottom: "${bottom}" top: "${top}" ${extra}` +
  'convolution_param { num_output: 2 kernel_size: 3 } }\n';
const ip = (name: string, bottom: string) =>
  `layer { name: "${name}" type: "InnerProduct" bottom: "${bottom}" top: "${name}" inner_product_param { num_output: 3 } }\n`;
const loss = (bottom: string, extra = '') =>
  `layer { name: "loss_${bottom}" type: "SoftmaxWithLoss" bottom: "${bottom}" bottom: "label" top: "loss_${bottom}" ${extra}}\n`;

interface Case {
  what: string;
  layers: string;
  /** The layers told to get no gradient. */
  none: string[];
}

const CASES: Case[] = [
  {
    what: 'every learning layer leads to the loss',
    layers: conv('c1', 'data') + ip('fc', 'c1') + loss('fc'),
    none: [],
  },
  {
    what: 'a branch no loss reads',
    layers: conv('c1', 'data') + conv('side', 'data') + ip('fc', 'c1') + loss('fc'),
    none: ['side'],
  },
  {
    what: 'a branch read only by an in-place ReLU and a Silence',
    layers:
      conv('c1', 'data') +
      conv('side', 'data') +
      'layer { name: "r" type: "ReLU" bottom: "side" top: "side" }\n' +
      'layer { name: "quiet" type: "Silence" bottom: "side" }\n' +
      ip('fc', 'c1') +
      loss('fc'),
    none: ['side'],
  },
  {
    what: 'a branch read only by Accuracy',
    layers:
      ip('fc', 'data') +
      ip('aux', 'data') +
      'layer { name: "acc" type: "Accuracy" bottom: "aux" bottom: "label" top: "acc" }\n' +
      loss('fc'),
    none: ['aux'],
  },
  {
    what: 'a second loss weighed 0, whose branch then leads to none',
    layers: ip('fc', 'data') + ip('aux', 'data') + loss('fc') + loss('aux', 'loss_weight: 0 '),
    none: ['aux'],
  },
  {
    what: 'an in-place Scale learns on the loss path and on a branch no loss reads',
    layers:
      conv('c1', 'data') +
      'layer { name: "s1" type: "Scale" bottom: "c1" top: "c1" }\n' +
      conv('side', 'data') +
      'layer { name: "s2" type: "Scale" bottom: "side" top: "side" }\n' +
      ip('fc', 'c1') +
      loss('fc'),
    none: ['side', 's2'],
  },
  {
    what: 'a branch with learning rates 0 is meant to stay fixed',
    layers:
      conv('c1', 'data') +
      conv('side', 'data', 'side', 'param { lr_mult: 0 } param { lr_mult: 0 } ') +
      ip('fc', 'c1') +
      loss('fc'),
    none: [],
  },
];

function noGradient(text: string): string[] {
  return analyze(text, parse(text), { schema, schemaKind: 'bundled' })
    .diagnostics.filter((d) => d.code === 'no-gradient')
    .map((d) => text.slice(d.start, d.end).replace(/"/g, ''));
}

for (const c of CASES) {
  test(`no gradient: ${c.what}`, () => {
    assert.deepEqual(noGradient(INPUT + c.layers), c.none);
  });
}

test('the message says what Caffe logs, what follows, and the two ways out', () => {
  const text = INPUT + conv('c1', 'data') + conv('side', 'data') + ip('fc', 'c1') + loss('fc');
  const [d] = analyze(text, parse(text), { schema, schemaKind: 'bundled' }).diagnostics.filter(
    (x) => x.code === 'no-gradient',
  );
  assert.equal(d.severity, 'information');
  assert.equal(
    d.message,
    'side learns, but no loss depends on it in this phase: Caffe computes no gradient for it ("side does ' +
      'not need backward computation."), so training changes its parameters only by weight decay. Connect ' +
      'it to a loss, or give it lr_mult: 0 if it is meant to stay fixed.',
  );
});

test('with force_backward the backward runs, with a zero gradient: the message does not quote the log line', () => {
  const text =
    'force_backward: true\n' +
    INPUT +
    conv('c1', 'data') +
    conv('side', 'data') +
    ip('fc', 'c1') +
    loss('fc');
  const [d] = analyze(text, parse(text), { schema, schemaKind: 'bundled' }).diagnostics.filter(
    (x) => x.code === 'no-gradient',
  );
  assert.equal(
    d?.message,
    'side learns, but no loss depends on it in this phase: force_backward makes Caffe run its backward, but ' +
      'with no loss behind it the gradient is zero, so training changes its parameters only by weight decay. ' +
      'Connect it to a loss, or give it lr_mult: 0 if it is meant to stay fixed.',
  );
});

test('a net without any loss (a deploy net), a TEST-only branch and a fork type after it say nothing', () => {
  assert.deepEqual(noGradient(INPUT + conv('c1', 'data') + ip('fc', 'c1')), []);
  const testOnly = conv('side', 'data', 'side', 'include { phase: TEST } ');
  assert.deepEqual(noGradient(INPUT + conv('c1', 'data') + testOnly + ip('fc', 'c1') + loss('fc')), []);
  // A fork's loss (SSD's MultiBoxLoss) may weigh its top by itself: what feeds it is taken to learn.
  const forkLoss = 'layer { name: "mbox" type: "MultiBoxLoss" bottom: "side" bottom: "label" top: "mbox" }\n';
  assert.deepEqual(noGradient(INPUT + conv('side', 'data') + forkLoss + ip('fc', 'data') + loss('fc')), []);
});

test('the real Caffe logs no backward for exactly the learning layers told', needs('pycaffe'), () => {
  const verdicts = buildWithPycaffe(CASES.map((c) => ({ text: INPUT + c.layers, phase: 'TRAIN' as const })));
  CASES.forEach((c, i) => {
    const verdict = verdicts[i];
    assert.ok('net' in verdict, `${c.what}: ${'refused' in verdict ? verdict.refused : ''}`);
    // Caffe logs every layer without a backward pass; the ones with parameter blobs that learn are told.
    const learning = verdict.net.noBackward.filter(
      (name) => name in verdict.net.params && !(c.what.includes('rates 0') && name === 'side'),
    );
    assert.deepEqual(learning.sort(), [...c.none].sort(), c.what);
  });
});
