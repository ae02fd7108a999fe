import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildNet } from '../../../../../server/src/analysis/model/net';
import { inferShapes } from '../../../../../server/src/analysis/shapes';
import { buildGraph } from '../../../../../server/src/features/graph/model';
import { partAround, partNote } from '../../../../../server/src/features/graph/part';
import { parse } from '../../../../../server/src/parser/parse';

test('partAround: everything when it fits, else a run of max nodes centred on the anchor, kept inside', () => {
  assert.deepEqual(partAround(10, 3, 20), { first: 0, end: 10 });
  assert.deepEqual(partAround(100, 50, 10), { first: 45, end: 55 });
  assert.deepEqual(partAround(100, 2, 10), { first: 0, end: 10 });
  assert.deepEqual(partAround(100, 99, 10), { first: 90, end: 100 });
  fc.assert(
    fc.property(fc.nat(5000), fc.nat(5000), fc.integer({ min: 1, max: 2000 }), (total, a, max) => {
      const anchor = total === 0 ? 0 : a % total;
      const { first, end } = partAround(total, anchor, max);
      assert.ok(first >= 0 && end <= total && first <= end);
      assert.equal(end - first, Math.min(total, max));
      if (total > 0) assert.ok(first <= anchor && anchor < end);
    }),
  );
});

test('the note says how many nodes there are, which are shown, from which to which, and how to choose', () => {
  const part = { total: 44936, first: 0, shown: 1500, firstName: 'data', lastName: 'res3b4_7' };
  assert.equal(
    partNote(part, 'TEST', 'Choose another part with --around LAYER.'),
    'This net has 44,936 nodes in TEST: too large to lay out whole, so the graph shows its first 1,500 nodes (from data to res3b4_7); the totals are of the whole net. Choose another part with --around LAYER.',
  );
  assert.match(
    partNote({ ...part, first: 1500 }, 'TRAIN', ''),
    /44,936 nodes in TRAIN: .* shows nodes 1,501-3,000 \(from data to res3b4_7\)/,
  );
});

/** A chain of `blocks` convolutions, each with an in-place ReLU folded into it, after one input. */
function chain(blocks: number): string {
  const out = ['input: "x0" input_shape { dim: 1 dim: 2 dim: 4 dim: 4 }'];
  for (let i = 1; i <= blocks; i++) {
    out.push(
      `layer { name: "c${i}" type: "Convolution" bottom: "x${i - 1}" top: "x${i}" convolution_param { num_output: 2 kernel_size: 1 } }`,
      `layer { name: "r${i}" type: "ReLU" bottom: "x${i}" top: "x${i}" }`,
    );
  }
  // A bottom nobody produces: a missing-blob node at the end.
  out.push(`layer { name: "sum" type: "Eltwise" bottom: "x${blocks}" bottom: "ghost" top: "sum" }`);
  return out.join('\n');
}

test('a part is the same nodes and edges as the whole graph has there, and its neighbours tile the net', () => {
  const text = chain(40);
  const net = buildNet(parse(text));
  const shapes = inferShapes(net, 'TEST');
  const whole = buildGraph(net, 'TEST', shapes);
  // input + 40 convolutions (each with its ReLU) + sum + the missing blob.
  assert.equal(whole.nodes.length, 43);
  assert.equal(whole.part, undefined);

  const at = text.indexOf('name: "r20"');
  const part = buildGraph(net, 'TEST', shapes, { maxNodes: 10, around: at });
  assert.ok(part.part);
  assert.deepEqual(
    { total: part.part.total, first: part.part.first, shown: part.part.shown },
    { total: 43, first: 15, shown: 10 },
  );
  // The node of r20 (folded into c20) is in the part.
  assert.ok(part.nodes.some((n) => n.name === 'c20' && n.inPlace.includes('r20')));
  assert.deepEqual(part.nodes, whole.nodes.slice(15, 25));
  const ids = new Set(part.nodes.map((n) => n.id));
  assert.deepEqual(
    part.edges,
    whole.edges.filter((e) => ids.has(e.from) && ids.has(e.to)),
  );
  assert.deepEqual([part.part.firstName, part.part.lastName], [whole.nodes[15].name, whole.nodes[24].name]);
  assert.deepEqual(part.totals, whole.totals);

  // Following `next` from the first part visits every node once, in order.
  const seen: string[] = [];
  let around: number | undefined = undefined;
  for (let i = 0; i < 10; i++) {
    const g = buildGraph(net, 'TEST', shapes, { maxNodes: 10, around });
    assert.equal(g.part?.first, seen.length === 0 ? 0 : Math.min(seen.length, 43 - 10));
    for (const n of g.nodes) if (!seen.includes(n.id)) seen.push(n.id);
    around = g.part?.next;
    if (around === undefined) break;
  }
  assert.deepEqual(
    seen,
    whole.nodes.map((n) => n.id),
  );
  // And `previous` from the last part goes back to the one before it.
  const last = buildGraph(net, 'TEST', shapes, { maxNodes: 10, around: text.length });
  assert.equal(last.part?.first, 33);
  assert.equal(last.part?.next, undefined);
  const before = buildGraph(net, 'TEST', shapes, { maxNodes: 10, around: last.part?.previous });
  assert.equal(before.part?.first, 23);
});
