import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LaidOutGraph } from '../../common/graph/types';
import { GraphRequest, type GraphParams } from '../../common/protocol';
import { startServer } from '../helpers/lsp-client';

/** `n` layers in a chain after one input: n + 1 nodes, more than one layout takes. */
function longNet(n: number): string {
  const out = ['input: "b0" input_shape { dim: 1 dim: 4 }'];
  for (let i = 1; i <= n; i++)
    out.push(`layer { name: "l${i}" type: "TanH" bottom: "b${i - 1}" top: "b${i}" }`);
  return `${out.join('\n')}\n`;
}

test('a net too large to lay out whole: the answer says it is a part, which one, and gives the next', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const text = longNet(2400);
  const uri = 'file:///work/graph-part/long.prototxt';
  server.open(uri, text);
  const ask = (params: Omit<GraphParams, 'uri'>) =>
    server.connection.sendRequest(GraphRequest, { uri, ...params }) as Promise<LaidOutGraph>;

  const first = await ask({ phase: 'TEST' });
  assert.ok(first.part, 'the answer has a part');
  assert.deepEqual(
    [first.part.total, first.part.first, first.part.shown, first.part.firstName, first.part.lastName],
    [2401, 0, 1500, 'b0', 'l1499'],
  );
  assert.equal(first.nodes.length, 1500);
  assert.deepEqual([first.nodes[0].name, first.nodes[1499].name], ['b0', 'l1499']);
  assert.equal(first.part.previous, undefined);
  assert.ok(
    first.notes.some((n) =>
      /2,401 nodes in TEST: too large to lay out whole, so the graph shows its first 1,500 nodes \(from b0 to l1499\)/.test(
        n,
      ),
    ),
  );
  assert.ok(
    first.notes.some((n) => /Earlier and Later/.test(n)),
    'the note says how to choose another part',
  );

  // The next part ends the net; asked around a layer in the middle, the part holds that layer.
  assert.equal(typeof first.part.next, 'number');
  const next = await ask({ phase: 'TEST', around: first.part.next });
  assert.deepEqual([next.part?.first, next.part?.lastName, next.part?.next], [901, 'l2400', undefined]);
  assert.equal(typeof next.part?.previous, 'number');
  const middle = await ask({ phase: 'TEST', around: text.indexOf('name: "l1800"') });
  assert.ok(middle.nodes.some((n) => n.name === 'l1800'));
  assert.ok(middle.notes.some((n) => /shows nodes 902-2,401 \(from l901 to l2400\)/.test(n)));

  // A net that fits has no part and no such note.
  const small = 'file:///work/graph-part/small.prototxt';
  server.open(small, longNet(30));
  const whole = (await server.connection.sendRequest(GraphRequest, { uri: small })) as LaidOutGraph;
  assert.equal(whole.part, undefined);
  assert.equal(whole.nodes.length, 31);
  assert.ok(!whole.notes.some((n) => /too large/.test(n)));
});
