import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNet } from '../../../../../server/src/analysis/model/net';
import { provideGraph } from '../../../../../server/src/features/graph/graph';
import { initialPhase } from '../../../../../server/src/features/graph/initial-phase';
import { parse } from '../../../../../server/src/parser/parse';
import { featureInputFor } from '../../../../helpers/analyzed-document';

const TRAIN_VAL = `layer { name: "train-data" type: "Data" top: "data" data_param { batch_size: 8 } include { phase: TRAIN } }
layer { name: "val-data" type: "Data" top: "data" data_param { batch_size: 2 } include { phase: TEST } }
layer { name: "fc" type: "InnerProduct" bottom: "data" top: "fc" inner_product_param { num_output: 2 } }
`;
const TRAIN_ONLY = `layer { name: "in" type: "Python" top: "data" python_param { module: "m" layer: "L" } include { phase: TRAIN } }
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "data" bottom: "data" top: "loss" include { phase: TRAIN } }
`;
const DEPLOY = `input: "data"
input_shape { dim: 1 dim: 3 dim: 8 dim: 8 }
layer { name: "fc" type: "InnerProduct" bottom: "data" top: "fc" inner_product_param { num_output: 2 } }
layer { name: "prob" type: "Softmax" bottom: "fc" top: "prob" }
`;

const net = (text: string) => buildNet(parse(text));

test('a net opens on TRAIN when some layers run only in TRAIN, else on TEST like a deploy net', () => {
  assert.deepEqual(initialPhase(net(TRAIN_ONLY)), {
    phase: 'TRAIN',
    reason: 'layers only in TRAIN: in, loss',
  });
  assert.equal(initialPhase(net(TRAIN_VAL)).phase, 'TRAIN');
  assert.deepEqual(initialPhase(net(DEPLOY)), {
    phase: 'TEST',
    reason: 'the same layers in both phases: TEST, as a deploy net runs',
  });
});

test("the file's own state, then how the workspace's solvers use it, come first", () => {
  assert.equal(initialPhase(net(`state { phase: TEST }\n${TRAIN_ONLY}`)).phase, 'TEST');
  const testNet = [{ solver: '/w/solver.prototxt', phase: 'TEST' as const, field: 'test_net' }];
  assert.deepEqual(initialPhase(net(TRAIN_VAL), testNet), {
    phase: 'TEST',
    reason: 'test_net of solver.prototxt',
  });
  const both = [
    ...testNet,
    { solver: '/w/other_solver.prototxt', phase: 'TRAIN' as const, field: 'train_net' },
  ];
  assert.deepEqual(initialPhase(net(DEPLOY), both), {
    phase: 'TRAIN',
    reason: 'train_net of other_solver.prototxt',
  });
});

test('a graph request without a phase answers in the chosen phase and says why; with one, in that one', async () => {
  const input = featureInputFor(TRAIN_ONLY, { uri: 'file:///w/train.prototxt' });
  const first = await provideGraph(input);
  assert.ok(first, 'laid out');
  assert.equal(first.phase, 'TRAIN');
  assert.equal(first.phaseReason, 'layers only in TRAIN: in, loss');
  assert.deepEqual(
    first.nodes.map((n) => n.name),
    ['in', 'loss'],
  );
  const asked = await provideGraph(input, 'TEST');
  assert.ok(asked, 'laid out');
  assert.equal(asked.phase, 'TEST');
  assert.equal(asked.phaseReason, undefined);
  // The solvers' answer is asked for the document's own path.
  const seen: string[] = [];
  const viaSolver = await provideGraph(input, undefined, {
    solvers: {
      usesOf: (file) => {
        seen.push(file);
        return [{ solver: '/w/solver.prototxt', phase: 'TEST', field: 'test_net' }];
      },
    },
  });
  assert.deepEqual(seen, ['/w/train.prototxt']);
  assert.ok(viaSolver, 'laid out');
  assert.equal(viaSolver.phase, 'TEST');
});

test('the graph of a solver is the net it holds: TRAIN first, the test net when asked; a net file is named', async () => {
  const solver = `base_lr: 0.1\nlr_policy: "fixed"\ntest_iter: 2\ntest_interval: 10\nnet_param {\n${TRAIN_VAL}}\n`;
  const input = featureInputFor(solver, { uri: 'file:///w/solver.prototxt' });
  const train = await provideGraph(input);
  assert.ok(train, 'laid out');
  assert.equal(train.phase, 'TRAIN');
  assert.equal(train.phaseReason, 'the net this solver trains (net_param)');
  assert.deepEqual(
    train.nodes.map((n) => n.name),
    ['train-data', 'fc'],
  );
  // Its shapes are the embedded net's: the train batch.
  assert.match(JSON.stringify(train.nodes.find((n) => n.name === 'fc')), /8×2/);
  const tested = await provideGraph(input, 'TEST');
  assert.ok(tested, 'laid out');
  assert.equal(tested.phase, 'TEST');
  assert.equal(tested.phaseReason, undefined);
  assert.deepEqual(
    tested.nodes.map((n) => n.name),
    ['val-data', 'fc'],
  );

  const byFile = await provideGraph(featureInputFor('net: "models/train_val.prototxt"\nbase_lr: 0.1\n'));
  assert.ok(byFile, 'answered');
  assert.deepEqual(byFile.nodes, []);
  assert.match(
    byFile.notes.join(' '),
    /This solver trains the net in "models\/train_val.prototxt" \(net\): open that file/,
  );
  const none = await provideGraph(featureInputFor('base_lr: 0.1\nmax_iter: 10\n'), 'TEST');
  assert.match(none?.notes.join(' ') ?? '', /This solver names no net it tests\./);
});
