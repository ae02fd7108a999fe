import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ownEntry } from '../../../common/tables';

test("ownEntry finds a table's own entries and nothing of Object.prototype", () => {
  const table: Record<string, number> = { a: 1, zero: 0 };
  assert.equal(ownEntry(table, 'a'), 1);
  assert.equal(ownEntry(table, 'zero'), 0);
  assert.equal(ownEntry(table, 'b'), undefined);
  for (const key of Object.getOwnPropertyNames(Object.prototype))
    assert.equal(ownEntry(table, key), undefined, key);
  // An own entry with such a name is found like any other.
  assert.equal(ownEntry(Object.fromEntries([['__proto__', 2]]) as Record<string, number>, '__proto__'), 2);
});
