// Blob numbers: equal names share one, whichever layer, side or input writes them, in any format;
// a net whose layers are not at their own index still numbers them; a layer of another net is refused.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BlobIds, blobIds } from '../../../../../server/src/analysis/model/blob-ids';
import { buildNet } from '../../../../../server/src/analysis/model/net';
import { parse } from '../../../../../server/src/parser/parse';

const NET = `
input: "data"
input_shape { dim: 1 dim: 3 dim: 8 dim: 8 }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv" }
layer { name: "relu" type: "ReLU" bottom: "conv" top: "conv" }
layer { name: "split" type: "Slice" bottom: "conv" top: "a" top: "b" }
layer { name: "join" type: "Eltwise" bottom: "a" bottom: "b" bottom: "data" top: "sum" }
`;

test('equal names get one number, inputs included, and every number names its blob', () => {
  const net = buildNet(parse(NET));
  const ids = blobIds(net);
  assert.equal(ids.count, 5);
  assert.deepEqual(ids.names, ['data', 'conv', 'a', 'b', 'sum']);
  const [conv, relu, split, join] = net.layers;
  assert.equal(ids.bottom(conv, 0), ids.idOf('data'));
  assert.equal(ids.top(conv, 0), ids.bottom(relu, 0));
  assert.equal(ids.top(relu, 0), ids.bottom(split, 0));
  assert.deepEqual([ids.top(split, 0), ids.top(split, 1)], [ids.bottom(join, 0), ids.bottom(join, 1)]);
  assert.equal(ids.bottom(join, 2), ids.idOf('data'));
  assert.equal(ids.idOf('missing'), undefined);
  // Made once per net.
  assert.equal(blobIds(net), ids);
});

test('a V1 and a V0 net are numbered from their own bottoms and tops', () => {
  const v1 = buildNet(
    parse(
      'layers { name: "c" type: CONVOLUTION bottom: "x" top: "y" } layers { type: RELU bottom: "y" top: "y" }',
    ),
  );
  const ids1 = blobIds(v1);
  assert.deepEqual(ids1.names, ['x', 'y']);
  assert.equal(ids1.top(v1.layers[1], 0), ids1.idOf('y'));
  const v0 = buildNet(parse('layers { layer { name: "c" type: "conv" } bottom: "x" top: "y" }'));
  const ids0 = blobIds(v0);
  assert.deepEqual([ids0.bottom(v0.layers[0], 0), ids0.top(v0.layers[0], 0)], [0, 1]);
});

test('layers that are not at their own index are still found; a layer of another net is refused', () => {
  const net = buildNet(parse(NET));
  const tail = { ...net, layers: net.layers.slice(2) };
  const ids = new BlobIds(tail);
  assert.equal(ids.bottom(net.layers[3], 2), ids.idOf('data'));
  assert.equal(ids.top(net.layers[2], 1), ids.idOf('b'));
  assert.throws(() => ids.top(net.layers[0], 0), /not one of the net's/);
  const other = buildNet(parse(NET));
  assert.throws(() => blobIds(net).top(other.layers[1], 0), /not one of the net's/);
});

test('any chain of names: two references share a number exactly when they share a name', () => {
  const name = fc.constantFrom('a', 'b', 'c', 'data', 'x1', 'a/b');
  const layer = fc.record({
    bottoms: fc.array(name, { maxLength: 3 }),
    tops: fc.array(name, { maxLength: 3 }),
  });
  fc.assert(
    fc.property(fc.array(layer, { maxLength: 12 }), (layers) => {
      const text = layers
        .map(
          (l, i) =>
            `layer { name: "l${i}" ${l.bottoms.map((b) => `bottom: "${b}" `).join('')}${l.tops.map((t) => `top: "${t}" `).join('')}}`,
        )
        .join('\n');
      const net = buildNet(parse(text));
      const ids = blobIds(net);
      const seen = new Map<number, string>();
      net.layers.forEach((l, li) => {
        const refs = [
          ...l.bottoms.map((b, i) => [b.name, ids.bottom(l, i)] as const),
          ...l.tops.map((t, i) => [t.name, ids.top(l, i)] as const),
        ];
        assert.deepEqual(
          refs.map(([n]) => n),
          [...layers[li].bottoms, ...layers[li].tops],
        );
        for (const [n, id] of refs) {
          assert.equal(ids.names[id], n);
          assert.equal(seen.get(id) ?? n, n);
          seen.set(id, n);
        }
      });
      assert.equal(seen.size, ids.count);
    }),
  );
});
