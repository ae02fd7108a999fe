import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { layoutGraph, stackedLayout } from '../../../../../server/src/features/graph/layout';
import { nodeSize } from '../../../../../common/graph/measure';
import type { LaidOutGraph } from '../../../../../common/graph/types';
import { CONV_BLOCK, corpus, graphOf } from './graph-fixtures';
import { needs } from '../../../../helpers/resources';

const RESNET_152 = path.join(
  corpus,
  'files/KaimingHe__deep-residual-networks/prototxt/ResNet-152-deploy.prototxt',
);
const skipResNet = needs('corpus');

function assertPositioned(laid: LaidOutGraph): void {
  for (const n of laid.nodes) {
    for (const v of [n.x, n.y, n.width, n.height]) assert.ok(Number.isFinite(v), `${n.id}: ${v}`);
    assert.ok(n.width > 0 && n.height > 0, n.id);
    assert.ok(n.x >= 0 && n.y >= 0 && n.x + n.width <= laid.width && n.y + n.height <= laid.height, n.id);
  }
  for (const e of laid.edges) {
    assert.ok(e.points.length >= 2, e.id);
    for (const p of e.points) assert.ok(Number.isFinite(p.x) && Number.isFinite(p.y), e.id);
  }
}

test('every node gets a finite position and its text size; edges run downwards', async () => {
  const graph = graphOf(CONV_BLOCK);
  const laid = await layoutGraph(graph);
  assert.equal(laid.nodes.length, graph.nodes.length);
  assert.equal(laid.edges.length, graph.edges.length);
  assertPositioned(laid);
  for (const n of laid.nodes) assert.deepEqual({ width: n.width, height: n.height }, nodeSize(n));
  const y = new Map(laid.nodes.map((n) => [n.id, n.y]));
  for (const e of laid.edges) assert.ok(y.get(e.from)! < y.get(e.to)!, `${e.from} above ${e.to}`);
  assert.deepEqual(laid.notes, []);
});

test('edge labels name blobs that differ from their producer', async () => {
  const text = `layer { name: "d" type: "Input" top: "pixels" input_param { shape { dim: 1 dim: 2 } } }
layer { name: "ip" type: "InnerProduct" bottom: "pixels" top: "ip" inner_product_param { num_output: 3 } }
layer { name: "out" type: "Softmax" bottom: "ip" top: "out" }
`;
  const laid = await layoutGraph(graphOf(text));
  const labels = laid.edges.map((e) => e.label?.text);
  assert.deepEqual(labels, ['pixels', undefined]);
  const label = laid.edges[0].label!;
  assert.ok(Number.isFinite(label.x) && label.width > 0);
});

test('an empty net and a graph with a dangling edge lay out', async () => {
  const empty = await layoutGraph(graphOf(''));
  assert.deepEqual([empty.nodes.length, empty.edges.length], [0, 0]);
  const g = graphOf(CONV_BLOCK);
  g.edges.push({ id: 'X', from: 'nowhere', to: 'L0', blob: 'x', shape: null });
  const laid = await layoutGraph(g);
  assert.equal(laid.edges.length, g.edges.length - 1);
  assertPositioned(laid);
});

test('the stacked fallback places every node in one column and says why', () => {
  const laid = stackedLayout(graphOf(CONV_BLOCK), 'because');
  assertPositioned(laid);
  assert.deepEqual(laid.notes, ['because']);
  assert.ok(laid.nodes.every((n, i) => i === 0 || n.y > laid.nodes[i - 1].y));
});

test('ResNet-152 lays out with 210 nodes: in-place BN/Scale/ReLU folded', skipResNet, async () => {
  const graph = graphOf(fs.readFileSync(RESNET_152, 'utf8'));
  const laid = await layoutGraph(graph);
  // 1 input + 155 convolutions (151 on the main path, 4 projection shortcuts) + 50 Eltwise sums
  // + pool1, pool5, fc1000 and prob; every BatchNorm, Scale and ReLU is folded.
  assert.equal(laid.nodes.length, 210);
  assert.equal(laid.nodes.filter((n) => n.type === 'Convolution').length, 155);
  assert.equal(laid.nodes.filter((n) => n.type === 'Eltwise').length, 50);
  assert.ok(!laid.nodes.some((n) => ['BatchNorm', 'Scale', 'ReLU'].includes(n.type)));
  assert.equal(laid.nodes.find((n) => n.name === 'prob')?.tops[0].shape, '1×1000');
  assertPositioned(laid);
});
