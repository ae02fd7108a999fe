// A layer's parameter blocks by name answer as a Map that keeps the first block of each name would,
// for any sequence of blocks added (names repeated or not).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { MessageNode } from '../../../../../server/src/parser/ast';
import { ParamBlockMap } from '../../../../../server/src/analysis/model/param-blocks';

function block(at: number): MessageNode {
  return { kind: 'message', open: '{', fields: [], start: at, end: at + 2, close: at + 1 };
}

test('ParamBlockMap answers as a Map keeping the first block of each name', () => {
  const names = fc.constantFrom(
    'convolution_param',
    'pooling_param',
    'transform_param',
    'data_param',
    'x_param',
  );
  fc.assert(
    fc.property(fc.array(names, { minLength: 1, maxLength: 8 }), (written) => {
      const blocks = written.map((_, i) => block(10 * i));
      const map = new ParamBlockMap(written[0], blocks[0]);
      const oracle = new Map<string, MessageNode>([[written[0], blocks[0]]]);
      for (let i = 1; i < written.length; i++) {
        map.add(written[i], blocks[i]);
        if (!oracle.has(written[i])) oracle.set(written[i], blocks[i]);
      }
      assert.equal(map.size, oracle.size);
      assert.deepEqual([...map], [...oracle]);
      assert.deepEqual([...map.keys()], [...oracle.keys()]);
      assert.deepEqual([...map.values()], [...oracle.values()]);
      const seen: [string, MessageNode][] = [];
      map.forEach((b, name, self) => {
        assert.equal(self, map);
        seen.push([name, b]);
      });
      assert.deepEqual(seen, [...oracle]);
      for (const name of [
        'convolution_param',
        'pooling_param',
        'transform_param',
        'data_param',
        'x_param',
        'none',
      ]) {
        assert.equal(map.get(name), oracle.get(name), name);
        assert.equal(map.has(name), oracle.has(name), name);
      }
    }),
    { numRuns: 500 },
  );
});
