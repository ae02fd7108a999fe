import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { grouped } from '../../../common/numbers';

test('grouped groups digits by three, signs and edges included', () => {
  assert.equal(grouped(0), '0');
  assert.equal(grouped(7), '7');
  assert.equal(grouped(999), '999');
  assert.equal(grouped(1000), '1,000');
  assert.equal(grouped(12831), '12,831');
  assert.equal(grouped(-1234567), '-1,234,567');
  assert.equal(grouped(Number.MAX_SAFE_INTEGER), '9,007,199,254,740,991');
});

test('grouped writes what toLocaleString("en-US") writes, for any number', () => {
  fc.assert(
    fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.double()), (n) => {
      assert.equal(grouped(n), n.toLocaleString('en-US'));
    }),
    { numRuns: 2000 },
  );
});
