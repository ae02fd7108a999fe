import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lastAtOrBefore, maxOf, pushAll } from '../../../common/arrays';

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

test('lastAtOrBefore finds the last key at or before a place, equal keys included, -1 before all', () => {
  const keys = [0, 10, 10, 20, 35];
  const at = (x: number) => lastAtOrBefore(keys.length, (i) => keys[i], x);
  assert.equal(at(-1), -1);
  assert.equal(at(0), 0);
  assert.equal(at(9), 0);
  assert.equal(at(10), 2);
  assert.equal(at(19), 2);
  assert.equal(at(20), 3);
  assert.equal(at(1000), 4);
  assert.equal(
    lastAtOrBefore(0, () => 0, 5),
    -1,
  );
  // Against a scan, on every place over a long sorted list.
  const long = Array.from({ length: 2000 }, (_, i) => Math.floor(i / 3) * 5);
  for (let x = -3; x < 3400; x += 7) {
    let expected = -1;
    long.forEach((k, i) => (k <= x ? (expected = i) : undefined));
    assert.equal(
      lastAtOrBefore(long.length, (i) => long[i], x),
      expected,
    );
  }
});
