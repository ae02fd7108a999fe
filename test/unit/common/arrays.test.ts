import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maxOf, pushAll } from '../../../common/arrays';

const MANY = 500_000; // well past the ~120,000 call arguments V8 accepts

test('pushAll appends any number of items in order', () => {
  const items = Array.from({ length: MANY }, (_, i) => i);
  const target = [-1];
  assert.equal(pushAll(target, items), target);
  assert.equal(target.length, MANY + 1);
  assert.equal(target[1], 0);
  assert.equal(target[MANY], MANY - 1);
  assert.deepEqual(pushAll([1], new Set([2, 3])), [1, 2, 3]);
});

test('maxOf takes any number of values and has a value for none', () => {
  const values = Array.from({ length: MANY }, (_, i) => (i * 7919) % MANY);
  assert.equal(maxOf(values), MANY - 1);
  assert.equal(maxOf([]), -Infinity);
  assert.equal(maxOf([], 0), 0);
  assert.equal(maxOf([-5, -2, -9]), -2);
});
