import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LaidOutGraph } from '../../common/graph/types';
import { GraphRequest, type GraphParams } from '../../common/protocol';
import { fileUri, startServer } from '../helpers/lsp-client';

const NET = `layer { name: "d" type: "Input" top: "x" input_param { shape { dim: 1 dim: 2 } } }
layer { name: "r" type: "ReLU" bottom: "x" top: "y" }
`;

test("the graph opens on the phase the workspace's solvers build the net in", async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-phase-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.writeFileSync(
    path.join(root, 'solver.prototxt'),
    'train_net: "train.prototxt"\ntest_net: "test.prototxt"\nbase_lr: 0.01\nlr_policy: "fixed"\n',
  );
  for (const name of ['train.prototxt', 'test.prototxt', 'deploy.prototxt']) {
    fs.writeFileSync(path.join(root, name), NET);
  }
  const server = await startServer({ rootPath: root });
  t.after(() => server.stop());
  const graphOf = async (name: string, phase?: 'TRAIN' | 'TEST') => {
    const uri = fileUri(path.join(root, name));
    server.open(uri, NET);
    const params: GraphParams = phase ? { uri, phase } : { uri };
    return (await server.connection.sendRequest(GraphRequest, params)) as LaidOutGraph;
  };
  const train = await graphOf('train.prototxt');
  assert.deepEqual([train.phase, train.phaseReason], ['TRAIN', 'train_net of solver.prototxt']);
  const testNet = await graphOf('test.prototxt');
  assert.deepEqual([testNet.phase, testNet.phaseReason], ['TEST', 'test_net of solver.prototxt']);
  // The same layers, used by no solver: a deploy net.
  const deploy = await graphOf('deploy.prototxt');
  assert.equal(deploy.phase, 'TEST');
  assert.match(deploy.phaseReason ?? '', /deploy net/);
  // A phase asked for is kept, and no reason given.
  const asked = await graphOf('test.prototxt', 'TRAIN');
  assert.deepEqual([asked.phase, asked.phaseReason], ['TRAIN', undefined]);
});

test('the graph of a solver over the protocol: the net in its net_param, or in its net file, laid out', async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-solver-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const server = await startServer({ rootPath: root });
  t.after(() => server.stop());
  const graphOf = async (name: string, text: string, phase?: 'TRAIN' | 'TEST') => {
    const uri = fileUri(path.join(root, name));
    server.open(uri, text);
    const params: GraphParams = phase ? { uri, phase } : { uri };
    return (await server.connection.sendRequest(GraphRequest, params)) as LaidOutGraph;
  };
  const embedded = `base_lr: 0.01\nlr_policy: "fixed"\ntest_iter: 1\ntest_interval: 10\nnet_param {\n${NET}}\n`;
  const train = await graphOf('embedded_solver.prototxt', embedded);
  assert.deepEqual([train.phase, train.phaseReason], ['TRAIN', 'the net this solver trains (net_param)']);
  assert.ok(train.nodes.length > 0, 'the embedded net is drawn');
  assert.ok(train.width > 0 && train.height > 0, 'and laid out');
  const tested = await graphOf('embedded_solver.prototxt', embedded, 'TEST');
  assert.equal(tested.phase, 'TEST');
  assert.ok(tested.nodes.length > 0);
  const solverText = 'net: "nets/train_val.prototxt"\nbase_lr: 0.01\n';
  const missing = await graphOf('file_solver.prototxt', solverText);
  assert.deepEqual(missing.nodes, []);
  assert.match(missing.notes.join(' '), /the net in "nets\/train_val\.prototxt" \(net\), which is not found/);
  // On disk and not open: read from the disk; its nodes' spans are in that file (the answer's source).
  fs.mkdirSync(path.join(root, 'nets'));
  fs.writeFileSync(path.join(root, 'nets', 'train_val.prototxt'), NET);
  const byFile = await graphOf('file_solver.prototxt', solverText);
  assert.deepEqual(
    byFile.nodes.map((n) => n.name),
    ['d', 'r'],
  );
  assert.deepEqual(byFile.source, {
    uri: fileUri(path.join(root, 'nets', 'train_val.prototxt')),
    label: 'nets/train_val.prototxt (net, found in the solver folder)',
  });
  assert.equal(NET.slice(byFile.nodes[1].span.start, byFile.nodes[1].span.end).startsWith('layer'), true);
});
