// The graph of a solver whose net is a file of its own: that file's net, found as Caffe would be started
// to find it, read from its open document when there is one, with the solver's base_lr; a note when
// the file is missing or holds no net.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DocumentStore } from '../../../../../server/src/documents';
import { provideGraph } from '../../../../../server/src/features/graph/graph';
import { MAX_LAID_OUT_NODES } from '../../../../../server/src/features/graph/layout-bounds';
import { DEFAULT_SETTINGS } from '../../../../../server/src/settings';
import { Analyses } from '../../../../../server/src/workspace/analyses';
import { workspaceNetFiles } from '../../../../../server/src/workspace/net-files';
import { FULL_CLIENT } from '../../../../helpers/analyzed-document';

const TRAIN_VAL = `layer { name: "train-data" type: "Data" top: "data" data_param { batch_size: 8 } include { phase: TRAIN } }
layer { name: "val-data" type: "Data" top: "data" data_param { batch_size: 2 } include { phase: TEST } }
layer { name: "fc" type: "InnerProduct" bottom: "data" top: "fc" inner_product_param { num_output: 2 }
  param { lr_mult: 1 } param { lr_mult: 2 } }
`;

/** A workspace folder with `files` written in it, and its open documents. */
function workspace(files: Record<string, string>) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'solver-graph-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  const documents = new DocumentStore();
  const analyses = new Analyses(documents);
  analyses.client = FULL_CLIENT;
  analyses.configure(DEFAULT_SETTINGS, [root]);
  const uri = (rel: string) => pathToFileURL(path.join(root, rel)).toString();
  return {
    root,
    uri,
    netFiles: workspaceNetFiles(analyses, documents),
    open(rel: string, text = fs.readFileSync(path.join(root, rel), 'utf8')) {
      return analyses.analyzedDoc(documents.open(uri(rel), 'prototxt', 1, text));
    },
    [Symbol.dispose]: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

const SOLVER = 'net: "models/train_val.prototxt"\nbase_lr: 0.05\ntest_iter: 1\ntest_interval: 10\n';

test("a solver's net file is drawn: TRAIN, the test net when asked, spans in that file", async () => {
  using w = workspace({ 'solver.prototxt': SOLVER, 'models/train_val.prototxt': TRAIN_VAL });
  const solver = w.open('solver.prototxt');
  const train = await provideGraph(solver, undefined, { netFiles: w.netFiles });
  assert.ok(train, 'laid out');
  assert.deepEqual(train.notes, []);
  assert.equal(train.phase, 'TRAIN');
  assert.deepEqual(
    train.nodes.map((n) => n.name),
    ['train-data', 'fc'],
  );
  assert.deepEqual(train.source, {
    uri: w.uri('models/train_val.prototxt'),
    label: 'models/train_val.prototxt (net, found in the solver folder)',
  });
  assert.equal(
    train.phaseReason,
    'the net this solver trains (models/train_val.prototxt (net, found in the solver folder))',
  );
  // The node's span is where the layer is written in the net file, not in the solver.
  const fc = train.nodes.find((n) => n.name === 'fc');
  assert.ok(fc?.nameSpan);
  assert.equal(TRAIN_VAL.slice(fc.nameSpan.start, fc.nameSpan.end), '"fc"');
  // The shapes of the train batch; the highest learning rate: the solver's base_lr × lr_mult 2.
  assert.deepEqual(fc.tops, [{ name: 'fc', shape: '8×2' }]);
  assert.equal(fc.learning?.rate, 0.1);

  const tested = await provideGraph(solver, 'TEST', { netFiles: w.netFiles });
  assert.deepEqual(
    tested?.nodes.map((n) => n.name),
    ['val-data', 'fc'],
  );
  assert.equal(tested?.phaseReason, undefined);
});

test("the net file's open document is drawn, unsaved edits included", async () => {
  using w = workspace({ 'solver.prototxt': SOLVER, 'models/train_val.prototxt': TRAIN_VAL });
  w.open(
    'models/train_val.prototxt',
    TRAIN_VAL + 'layer { name: "prob" type: "Softmax" bottom: "fc" top: "prob" }\n',
  );
  const graph = await provideGraph(w.open('solver.prototxt'), undefined, { netFiles: w.netFiles });
  assert.deepEqual(
    graph?.nodes.map((n) => n.name),
    ['train-data', 'fc', 'prob'],
  );
});

test('a net file that is missing, or holds a solver, gives a note that says so', async () => {
  using w = workspace({
    'solver.prototxt': 'net: "missing.prototxt"\nbase_lr: 0.1\n',
    'self.prototxt': 'net: "self.prototxt"\nbase_lr: 0.1\nmax_iter: 10\n',
  });
  const missing = await provideGraph(w.open('solver.prototxt'), undefined, { netFiles: w.netFiles });
  assert.deepEqual(missing?.nodes, []);
  assert.equal(missing?.source, undefined);
  const looked = path.join(w.root, 'missing.prototxt');
  assert.equal(
    missing?.notes.join(' '),
    `This solver names the net in "missing.prototxt" (net), which is not found: looked for "${looked}".`,
  );
  const self = await provideGraph(w.open('self.prototxt'), undefined, { netFiles: w.netFiles });
  assert.deepEqual(self?.nodes, []);
  assert.match(
    self?.notes.join(' ') ?? '',
    /"self\.prototxt" \(net\), but that file holds a solver, not a net/,
  );
});

test('an offset given for the part of a large net file counts only in the document it is in', async () => {
  const layers = ['layer { name: "in" type: "Input" top: "x-1" input_param { shape { dim: 1 dim: 2 } } }'];
  for (let i = 0; i < MAX_LAID_OUT_NODES + 100; i++)
    layers.push(`layer { name: "r${i}" type: "ReLU" bottom: "x${i - 1}" top: "x${i}" }`);
  const text = layers.join('\n') + '\n';
  using w = workspace({ 'solver.prototxt': SOLVER, 'models/train_val.prototxt': text });
  const solver = w.open('solver.prototxt');
  const late = text.indexOf(`"r${MAX_LAID_OUT_NODES + 50}"`);
  const inNet = await provideGraph(solver, undefined, {
    netFiles: w.netFiles,
    around: late,
    aroundIn: w.uri('models/train_val.prototxt'),
  });
  assert.ok(inNet?.nodes.some((n) => n.name === `r${MAX_LAID_OUT_NODES + 50}`));
  // The same offset taken in the solver (its cursor) says nothing of the net file: the first part.
  const inSolver = await provideGraph(solver, undefined, {
    netFiles: w.netFiles,
    around: late,
    aroundIn: solver.doc.uri,
  });
  assert.ok(inSolver?.nodes.some((n) => n.name === 'r0'));
  assert.ok(!inSolver?.nodes.some((n) => n.name === `r${MAX_LAID_OUT_NODES + 50}`));
});
