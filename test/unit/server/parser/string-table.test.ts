// The parser's string table: one copy per distinct string, found from a place in a text as well as
// from a string, whatever the strings (colliding hashes, many of them, growth of the table).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { hashRange, StringTable } from '../../../../server/src/parser/string-table';

test('equal strings give one kept copy; different strings stay apart', () => {
  fc.assert(
    fc.property(fc.array(fc.string({ maxLength: 12 }), { maxLength: 3000 }), (words) => {
      const table = new StringTable();
      const kept = new Map<string, string>();
      for (const w of words) {
        // The same text from a fresh string object each time.
        const fresh = ` ${w}`.slice(1);
        const got = table.intern(fresh);
        assert.equal(got, w);
        const first = kept.get(w);
        if (first === undefined) kept.set(w, got);
        else assert.ok(Object.is(first, got), 'the first copy is given back');
      }
    }),
  );
});

test('a word found from its place in a text is the same copy as the word itself', () => {
  fc.assert(
    fc.property(
      fc.array(fc.stringMatching(/^[a-z_/0-9]{1,10}$/), { minLength: 1, maxLength: 400 }),
      (words) => {
        const text = words.join(' ');
        const table = new StringTable();
        let at = 0;
        for (const w of words) {
          const got = table.internRange(text, at, at + w.length, hashRange(text, at, at + w.length));
          assert.equal(got, w);
          assert.ok(Object.is(got, table.intern(w)));
          at += w.length + 1;
        }
      },
    ),
  );
});

test('strings whose hashes collide are told apart by their characters', () => {
  // "Aa" and "BB" have the same hash (31 * 65 + 97 = 31 * 66 + 66), and so do their concatenations.
  assert.equal(hashRange('Aa', 0, 2), hashRange('BB', 0, 2));
  const table = new StringTable();
  const words = ['AaAa', 'AaBB', 'BBAa', 'BBBB'];
  for (const w of words) assert.equal(table.intern(w), w);
  for (const w of words) assert.equal(table.intern(`${w}!`.slice(0, -1)), w);
  assert.equal(table.intern(''), '');
});

test('a table sized for a text, small or large, keeps one copy per string as a grown one does', () => {
  for (const length of [0, 100, 70_000, 5_000_000]) {
    const table = StringTable.forText(' '.repeat(length));
    const words = Array.from({ length: 5_000 }, (_, i) => `blob_${i % 2_500}`);
    const kept = new Map<string, string>();
    for (const w of words) {
      const got = table.intern(` ${w}`.slice(1));
      assert.equal(got, w);
      const first = kept.get(w);
      if (first === undefined) kept.set(w, got);
      else assert.ok(Object.is(first, got), `${w} in a table for ${length} characters`);
    }
  }
});
