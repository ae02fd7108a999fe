// Graphs that once took ELK minutes and gigabytes: each is laid out within bounds, with every node
// placed, and a note says what was simplified.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { layoutGraph } from '../../../../../server/src/features/graph/layout';
import {
  boundForLayout,
  MAX_LAID_OUT_NODES,
  MAX_RANK_WIDTH,
} from '../../../../../server/src/features/graph/layout-bounds';
import type { LaidOutGraph } from '../../../../../common/graph/types';
import { mutateNet, seededRandom } from '../../../../fuzz/mutate';
import { corpus, graphOf } from './graph-fixtures';

const INPUT =
  'layer { name: "d" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }\n';
const options = { timeout: 120_000 };

function assertPlaced(laid: LaidOutGraph): void {
  for (const n of laid.nodes) {
    for (const v of [n.x, n.y, n.width, n.height]) assert.ok(Number.isFinite(v), `${n.id}: ${v}`);
    assert.ok(n.x >= 0 && n.y >= 0 && n.x + n.width <= laid.width && n.y + n.height <= laid.height, n.id);
  }
  for (const e of laid.edges) {
    assert.ok(e.points.length >= 2, e.id);
    for (const p of e.points) assert.ok(Number.isFinite(p.x) && Number.isFinite(p.y), e.id);
  }
}

test('a Concat of the same blob 1,000 times: one routed edge, the others on its path', options, async () => {
  const text = `${INPUT}layer { name: "cat" type: "Concat"${' bottom: "data"'.repeat(1000)} top: "out" }\n`;
  const graph = graphOf(text, 'TRAIN');
  assert.equal(graph.edges.length, 1000);
  const bounded = boundForLayout(graph);
  assert.equal(bounded.routed.length, 1);
  assert.equal(bounded.followsPath.size, 999);
  const laid = await layoutGraph(graph);
  assert.equal(laid.edges.length, 1000);
  assertPlaced(laid);
  const first = JSON.stringify(laid.edges[0].points);
  assert.ok(laid.edges.every((e) => JSON.stringify(e.points) === first));
  assert.equal(laid.edges.filter((e) => e.label).length, laid.edges[0].label ? 1 : 0);
  assert.deepEqual(laid.notes, []);
});

test('a Concat of 1,000 layers side by side is placed by depth, with a note', options, async () => {
  let text = INPUT;
  for (let i = 0; i < 1000; i++) text += `layer { name: "r${i}" type: "ReLU" bottom: "data" top: "r${i}" }\n`;
  text += `layer { name: "cat" type: "Concat"${Array.from({ length: 1000 }, (_, i) => ` bottom: "r${i}"`).join('')} top: "out" }\n`;
  const graph = graphOf(text, 'TRAIN');
  const bounded = boundForLayout(graph);
  assert.equal(bounded.width, 1000);
  assert.ok(bounded.width > MAX_RANK_WIDTH);
  const laid = await layoutGraph(graph);
  assert.equal(laid.nodes.length, 1002);
  assert.equal(laid.edges.length, 2000);
  assertPlaced(laid);
  assert.match(laid.notes.join(' '), /too wide to lay out \(1,000 nodes and connections side by side/);
  const y = new Map(laid.nodes.map((n) => [n.id, n.y]));
  for (const e of laid.edges) assert.ok(y.get(e.from)! < y.get(e.to)!, `${e.from} above ${e.to}`);
});

test('edges that pass through a rank count towards its width', () => {
  // A chain of 200 layers, each also read by the last one: 200 long edges pass the middle ranks.
  let text = INPUT;
  let prev = 'data';
  for (let i = 0; i < 200; i++) {
    text += `layer { name: "c${i}" type: "ReLU" bottom: "${prev}" top: "c${i}" }\n`;
    prev = `c${i}`;
  }
  text += `layer { name: "cat" type: "Concat"${Array.from({ length: 200 }, (_, i) => ` bottom: "c${i}"`).join('')} top: "out" }\n`;
  const bounded = boundForLayout(graphOf(text, 'TRAIN'));
  assert.ok(bounded.width > 150, String(bounded.width));
});

test('more nodes than the limit: the first ones are laid out and a note says so', options, async () => {
  let text = INPUT;
  for (let i = 0; i < MAX_LAID_OUT_NODES + 500; i++)
    text += `layer { name: "r${i}" type: "ReLU" bottom: "${i ? `r${i - 1}` : 'data'}" top: "r${i}" }\n`;
  const graph = graphOf(text, 'TRAIN', false);
  const bounded = boundForLayout(graph);
  assert.equal(bounded.graph.nodes.length, MAX_LAID_OUT_NODES);
  assert.equal(bounded.graph.edges.length, MAX_LAID_OUT_NODES - 1);
  assert.match(
    bounded.notes[0],
    /has 2,001 nodes in TRAIN: too large to lay out, so it shows the first 1,500 layers/,
  );
});

const RESNET = path.join(
  corpus,
  'files/KaimingHe__deep-residual-networks/prototxt/ResNet-152-deploy.prototxt',
);
const skip = fs.existsSync(RESNET) ? false : `corpus file not found: ${RESNET}`;

test(
  'ResNet-152 grown to 123 KB by a fuzzed fan-in (one bottom 1,700 times) is laid out',
  { ...options, skip },
  async () => {
    const base = fs.readFileSync(RESNET, 'utf8');
    const at = base.lastIndexOf('top: "prob"');
    const text = base.slice(0, at) + 'bottom: "pool5" '.repeat(1700) + base.slice(at);
    assert.ok(text.length > 120_000 && text.length < 130_000, String(text.length));
    const graph = graphOf(text, 'TEST');
    assert.ok(graph.edges.length > 1900);
    assert.ok(boundForLayout(graph).routed.length < 400);
    const laid = await layoutGraph(graph);
    assert.equal(laid.nodes.length, graph.nodes.length);
    assert.equal(laid.edges.length, graph.edges.length);
    assertPlaced(laid);
  },
);

test(
  'ResNet-152 with a layer duplicated 120 times side by side is placed by depth',
  { ...options, skip },
  async () => {
    const base = fs.readFileSync(RESNET, 'utf8');
    // The first layer reading "pool1", copied under new names: 120 more layers at one depth.
    const start = base.indexOf('layer {', base.indexOf('top: "pool1"'));
    const end = base.indexOf('layer {', start + 1);
    const block = base.slice(start, end);
    const copies = Array.from({ length: 120 }, (_, i) =>
      block.replace(/(name|top): "([^"]+)"/g, `$1: "$2_copy${i}"`),
    ).join('');
    const graph = graphOf(base.slice(0, end) + copies + base.slice(end), 'TEST');
    const laid = await layoutGraph(graph);
    assert.equal(laid.nodes.length, graph.nodes.length);
    assertPlaced(laid);
    assert.match(laid.notes.join(' '), /too wide to lay out/);
  },
);

test(
  'fuzzed ~123 KB nets (duplicated regions, stray braces) are laid out within bounds',
  { ...options, skip },
  async () => {
    const base = fs.readFileSync(RESNET, 'utf8');
    for (const seed of [1, 2, 3]) {
      const random = seededRandom(seed);
      let text = base;
      while (text.length < 123_000) text = mutateNet(text, random);
      const laid = await layoutGraph(graphOf(text, 'TEST'));
      assert.ok(laid.nodes.length > 0, `seed ${seed}`);
      assert.ok(laid.nodes.length <= MAX_LAID_OUT_NODES);
      assertPlaced(laid);
    }
  },
);
