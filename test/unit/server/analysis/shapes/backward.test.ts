// Inputs a layer cannot pass a gradient to (a loss's labels, an Embed's indices, InfogainLoss's
// matrix): Caffe works out which bottoms need one as Net::Init does and stops at the first backward
// pass of training. Each case is checked against the real Caffe running one forward and one backward.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../../../../server/src/cli/commands';
import { analyze } from '../../../../../server/src/analysis/analyze';
import { parse } from '../../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../../server/src/schema/bundled';
import { findPycaffe, skipUnlessPycaffe, solveWithCaffe } from '../../../../helpers/caffe-solver';
import { assertCaffeRefuses } from '../../../../helpers/pycaffe-nets';
import { has } from '../../../../helpers/resources';

const schema = loadBundledSchema();

const INPUTS = `name: "backward"
layer { name: "in" type: "Input" top: "data" top: "label" top: "idx"
  input_param { shape { dim: 2 dim: 3 } shape { dim: 2 } shape { dim: 2 } } }
layer { name: "ip" type: "InnerProduct" bottom: "data" top: "ip" inner_product_param { num_output: 3 } }
`;
/** Labels computed by a layer with learned weights (zero-filled, so every label is 0). */
const LEARNED_LABELS =
  'layer { name: "lab" type: "InnerProduct" bottom: "data" top: "lab" inner_product_param { num_output: 1 } }\n';

interface Case {
  what: string;
  layers: string;
  /** Caffe's words when it stops; undefined when one training step goes through. */
  caffe?: string;
  /** The blob the error is placed on (its last occurrence as a bottom). */
  at?: string;
}

const CASES: Case[] = [
  {
    what: 'labels from the input',
    layers: 'layer { name: "loss" type: "SoftmaxWithLoss" bottom: "ip" bottom: "label" }',
  },
  {
    what: 'labels computed by a learned layer',
    layers: `${LEARNED_LABELS}layer { name: "loss" type: "SoftmaxWithLoss" bottom: "ip" bottom: "lab" }`,
    caffe: 'SoftmaxWithLoss Layer cannot backpropagate to label inputs.',
    at: 'lab',
  },
  {
    what: 'learned labels with propagate_down false for them',
    layers: `${LEARNED_LABELS}layer { name: "loss" type: "SoftmaxWithLoss" bottom: "ip" bottom: "lab" propagate_down: true propagate_down: false }`,
  },
  {
    what: 'labels of a layer whose learning rates are 0',
    layers:
      'layer { name: "lab" type: "InnerProduct" bottom: "data" top: "lab" param { lr_mult: 0 } param { lr_mult: 0 } ' +
      'inner_product_param { num_output: 1 } }\nlayer { name: "loss" type: "SoftmaxWithLoss" bottom: "ip" bottom: "lab" }',
  },
  {
    what: 'learned labels of a loss weighed 0 (no backward pass through it)',
    layers: `${LEARNED_LABELS}layer { name: "loss" type: "SoftmaxWithLoss" bottom: "ip" bottom: "lab" loss_weight: 0 }`,
  },
  {
    what: 'learned labels through a layer told not to pass a gradient back (its top still needs one)',
    layers: `${LEARNED_LABELS}layer { name: "pow" type: "Power" bottom: "lab" top: "lab2" propagate_down: false }
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "ip" bottom: "lab2" }`,
    caffe: 'SoftmaxWithLoss Layer cannot backpropagate to label inputs.',
    at: 'lab2',
  },
  {
    what: 'learned labels read by two losses, one of them not passing a gradient back',
    layers: `${LEARNED_LABELS}layer { name: "loss1" type: "SoftmaxWithLoss" bottom: "ip" bottom: "lab" propagate_down: true propagate_down: false }
layer { name: "loss2" type: "SigmoidCrossEntropyLoss" bottom: "lab" bottom: "lab" }`,
    caffe: 'SigmoidCrossEntropyLoss Layer cannot backpropagate to label inputs.',
    at: 'lab',
  },
  {
    what: 'an Embed of computed indices',
    layers: `${LEARNED_LABELS}layer { name: "emb" type: "Embed" bottom: "lab" top: "e" embed_param { num_output: 3 input_dim: 4 } }
layer { name: "loss" type: "EuclideanLoss" bottom: "e" bottom: "e2" }
layer { name: "e2" type: "DummyData" top: "e2" dummy_data_param { shape { dim: 2 dim: 1 dim: 3 } } }`,
    caffe: "Can't backpropagate to EmbedLayer input.",
    at: 'lab',
  },
  {
    what: 'an Embed of the input indices',
    layers: `layer { name: "emb" type: "Embed" bottom: "idx" top: "e" embed_param { num_output: 3 input_dim: 4 } }
layer { name: "loss" type: "EuclideanLoss" bottom: "e" bottom: "ip" }`,
  },
  {
    what: 'an InfogainLoss whose matrix is learned',
    layers: `layer { name: "h" type: "Parameter" top: "h" parameter_param { shape { dim: 3 dim: 3 } } }
layer { name: "loss" type: "InfogainLoss" bottom: "ip" bottom: "label" bottom: "h" }`,
    caffe: 'InfogainLoss Layer cannot backpropagate to infogain inputs.',
    at: 'h',
  },
  {
    what: 'force_backward: labels from the input are still not asked for a gradient',
    layers:
      'force_backward: true\nlayer { name: "loss" type: "SoftmaxWithLoss" bottom: "ip" bottom: "label" }',
  },
  {
    what: 'force_backward: an Embed of the input indices is asked for one',
    layers: `force_backward: true
layer { name: "emb" type: "Embed" bottom: "idx" top: "e" embed_param { num_output: 3 input_dim: 4 } }
layer { name: "loss" type: "EuclideanLoss" bottom: "e" bottom: "ip" }`,
    caffe: "Can't backpropagate to EmbedLayer input.",
    at: 'idx',
  },
];

function netOf(c: Case): string {
  // The bottoms named after the layers that read them (e2 is produced after the loss: moved before).
  const layers = c.layers.split('\n');
  const dummy = layers.filter((l) => l.includes('DummyData'));
  return INPUTS + [...dummy, ...layers.filter((l) => !l.includes('DummyData'))].join('\n') + '\n';
}

function refusedAt(text: string): string[] {
  return analyze(text, parse(text), { schema, schemaKind: 'bundled' })
    .diagnostics.filter((d) => d.code === 'backward-refused')
    .map((d) => text.slice(d.start, d.end));
}

for (const c of CASES) {
  test(`${c.what}: ${c.caffe ? 'refused' : 'trains'}`, () => {
    const text = netOf(c);
    assert.deepEqual(refusedAt(text), c.at ? [`"${c.at}"`] : []);
    if (c.caffe) {
      const [d] = analyze(text, parse(text), { schema, schemaKind: 'bundled' }).diagnostics.filter(
        (x) => x.code === 'backward-refused',
      );
      assert.ok(d.message.includes(c.caffe), d.message);
    }
  });
}

test("a Python layer's tops need a gradient when its bottoms do; a fork's type is not followed", () => {
  // Faster R-CNN: the anchor targets come from a Python layer fed by the RPN's learned scores.
  const python =
    'layer { name: "targets" type: "Python" bottom: "ip" top: "rpn_labels" python_param { module: "m" layer: "L" } }\n';
  const loss = (extra = '') =>
    `layer { name: "loss" type: "SoftmaxWithLoss" bottom: "ip" bottom: "rpn_labels" ${extra}}\n`;
  assert.deepEqual(refusedAt(INPUTS + python + loss()), ['"rpn_labels"']);
  assert.deepEqual(refusedAt(INPUTS + python + loss('propagate_down: 1 propagate_down: 0 ')), []);
  // TSN's Gather passes each bottom's need on to its own top in that fork's Net::Init.
  const gather =
    'layer { name: "gather" type: "Gather" bottom: "ip" bottom: "label" top: "g" top: "rpn_labels" }\n';
  assert.deepEqual(refusedAt(INPUTS + gather + loss()), []);
});

test('in TEST nothing is back-propagated: a TEST-only loss of learned labels is fine', () => {
  const text = `${INPUTS}${LEARNED_LABELS}layer { name: "loss" type: "SoftmaxWithLoss" bottom: "ip" bottom: "lab" include { phase: TEST } }\n`;
  assert.deepEqual(refusedAt(text), []);
});

test('caffe.Net stops in one training step on exactly the nets reported here, with the same words', (t) => {
  if (!has(t, 'pycaffe')) return;
  assertCaffeRefuses(CASES, netOf, 'TRAIN', true);
});

test("a solver training the net: the refusal is an error, and Caffe's solver stops on it", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backward-solver-'));
  try {
    const net = `${INPUTS}${LEARNED_LABELS}layer { name: "loss" type: "SoftmaxWithLoss" bottom: "ip" bottom: "lab" }\n`;
    fs.writeFileSync(path.join(dir, 'train.prototxt'), net);
    fs.writeFileSync(
      path.join(dir, 'solver.prototxt'),
      'net: "train.prototxt"\nbase_lr: 0.01\nlr_policy: "fixed"\nmax_iter: 1\nsolver_mode: CPU\n',
    );
    let out = '';
    const code = await runCli(['check', '--root', dir, 'train.prototxt'], {
      stdout: (t) => (out += t),
      stderr: () => undefined,
      cwd: dir,
    });
    assert.equal(code, 1, out);
    assert.match(out, /^train\.prototxt:\d+:\d+: error: "lab" needs a gradient here.*\[backward-refused\]$/m);
    const pycaffe = findPycaffe();
    if (skipUnlessPycaffe(pycaffe) !== false) return;
    const run = solveWithCaffe(pycaffe.folder as string, 'solver.prototxt', dir);
    assert.notEqual(run.status, 0);
    assert.match(run.log, /SoftmaxWithLoss Layer cannot backpropagate to label inputs\./);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the message names the nearest layer that learns, and the layer the input comes through', () => {
  const text = `${INPUTS}${LEARNED_LABELS}layer { name: "pow" type: "Power" bottom: "lab" top: "lab2" }
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "ip" bottom: "lab2" }\n`;
  const [d] = analyze(text, parse(text), { schema, schemaKind: 'bundled' }).diagnostics.filter(
    (x) => x.code === 'backward-refused',
  );
  assert.match(d.message, /computed from the learned parameters of layer "lab" \(through layer "pow"\)/);
});
