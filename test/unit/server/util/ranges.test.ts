import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineIndex } from '../../../../server/src/util/ranges';
import { changedRegion } from '../../../../server/src/util/text-change';

test('positions and offsets round-trip over LF, CRLF and CR line ends', () => {
  const text = 'ab\ncd\r\nef\rg';
  const index = new LineIndex(text);
  assert.equal(index.lineCount, 4);
  for (let offset = 0; offset <= text.length; offset++) {
    const pos = index.positionAt(offset);
    if (text[offset - 1] === '\r' && text[offset] === '\n') continue; // inside a CRLF pair
    assert.equal(index.offsetAt(pos), offset, `offset ${offset}`);
  }
  assert.deepEqual(index.positionAt(7), { line: 2, character: 0 });
  assert.deepEqual(index.positionAt(11), { line: 3, character: 1 });
});

test('out-of-range positions are clamped to the line and the document', () => {
  const index = new LineIndex('abc\nde');
  assert.equal(index.offsetAt({ line: 0, character: 99 }), 3);
  assert.equal(index.offsetAt({ line: 9, character: 0 }), 6);
  assert.deepEqual(index.positionAt(-5), { line: 0, character: 0 });
});

test('the line index after an edit equals the index made from the new text', () => {
  // Texts of line ends and letters, edited anywhere: the CRLF pairs an edit splits or joins included.
  const text = fc.string({ unit: fc.constantFrom('a', 'b', '\n', '\r', '\r\n'), maxLength: 40 });
  const edit = fc.record({
    text,
    at: fc.nat(),
    remove: fc.nat(4),
    insert: fc.string({ unit: fc.constantFrom('x', '\n', '\r', '\r\n'), maxLength: 4 }),
  });
  fc.assert(
    fc.property(edit, ({ text: old, at, remove, insert }) => {
      const from = old.length === 0 ? 0 : at % (old.length + 1);
      const next = old.slice(0, from) + insert + old.slice(from + remove);
      const region = changedRegion(old, next);
      const expected = new LineIndex(next);
      const made = region ? LineIndex.afterEdit(new LineIndex(old), next, region) : new LineIndex(old);
      assert.equal(made.lineCount, expected.lineCount);
      for (let line = 0; line < expected.lineCount; line++)
        assert.equal(made.lineStart(line), expected.lineStart(line), `line ${line}`);
    }),
    { numRuns: 2000 },
  );
});

test('the changed region is what differs, the common start taken first, found past whole blocks', () => {
  assert.equal(changedRegion('same', 'same'), undefined);
  assert.deepEqual(changedRegion('abc', 'abxc'), { from: 2, oldEnd: 2, newEnd: 3 });
  // "aa" -> "aaa": the common start takes both letters, the common end none of them.
  assert.deepEqual(changedRegion('aa', 'aaa'), { from: 2, oldEnd: 2, newEnd: 3 });
  const long = 'p'.repeat(5000) + 'q'.repeat(5000);
  const edited = long.slice(0, 4321) + 'xy' + long.slice(4322);
  assert.deepEqual(changedRegion(long, edited), { from: 4321, oldEnd: 4322, newEnd: 4323 });
});

test('positions asked in any order, the text scanned only as far as they need, are those of a full scan', () => {
  // Line ends of every kind around the end of the first scan (64 KiB) and beyond it.
  const tail = fc.string({ unit: fc.constantFrom('a', '\n', '\r', '\r\n'), minLength: 1, maxLength: 40 });
  const long = fc.record({
    lead: fc.integer({ min: 65_500, max: 65_560 }),
    tail,
    far: fc.integer({ min: 0, max: 140_000 }),
    asked: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
  });
  fc.assert(
    fc.property(long, ({ lead, tail: middle, far, asked }) => {
      const text = 'a\r\n'.repeat(lead / 3) + middle + 'b\n'.repeat(far / 2) + middle;
      const full = new LineIndex(text);
      assert.ok(full.lineCount > 0);
      const lazy = new LineIndex(text);
      for (const n of asked) {
        const offset = n % (text.length + 1);
        assert.deepEqual(lazy.positionAt(offset), full.positionAt(offset), `offset ${offset}`);
      }
      for (let offset = 65_400; offset <= 65_700 && offset <= text.length; offset++)
        assert.deepEqual(lazy.positionAt(offset), full.positionAt(offset), `offset ${offset}`);
      assert.equal(lazy.lineCount, full.lineCount);
    }),
    { numRuns: 200 },
  );
});

test('offsets and line starts of lines asked in any order, scanned only as far as the line, are those of a full scan', () => {
  const piece = fc.string({
    unit: fc.constantFrom('a', 'bb', '\n', '\r', '\r\n'),
    minLength: 1,
    maxLength: 30,
  });
  const input = fc.record({
    lead: fc.integer({ min: 65_500, max: 65_560 }),
    middle: piece,
    far: fc.integer({ min: 0, max: 140_000 }),
    end: piece,
    asked: fc.array(
      fc.record({ kind: fc.constantFrom('offset', 'start', 'position'), n: fc.nat(), character: fc.nat(5) }),
      { minLength: 1, maxLength: 8 },
    ),
  });
  fc.assert(
    fc.property(input, ({ lead, middle, far, end, asked }) => {
      const text = 'a\r\n'.repeat(lead / 3) + middle + 'b\n'.repeat(far / 2) + end;
      const full = new LineIndex(text);
      const lines = full.lineCount;
      const lazy = new LineIndex(text);
      for (const { kind, n, character } of asked) {
        // Lines up to two past the last one, and offsets anywhere.
        const line = n % (lines + 3);
        if (kind === 'offset')
          assert.equal(
            lazy.offsetAt({ line, character }),
            full.offsetAt({ line, character }),
            `line ${line}`,
          );
        else if (kind === 'start') assert.equal(lazy.lineStart(line), full.lineStart(line), `line ${line}`);
        else {
          const offset = n % (text.length + 1);
          assert.deepEqual(lazy.positionAt(offset), full.positionAt(offset), `offset ${offset}`);
        }
      }
      assert.equal(lazy.lineCount, lines);
    }),
    { numRuns: 200 },
  );
});

/** Line starts by a plain walk over the characters: "\n", "\r\n" and a lone "\r" end a line. */
function referenceStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\r' && text[i + 1] === '\n') i++;
    if (text[i] === '\n' || text[i] === '\r') starts.push(i + 1);
  }
  return starts;
}

test('positions in long texts whose line ends change kind far into the text, asked in any order', () => {
  // Long stretches of "\n" lines (scanned in steps of tens of thousands of characters), with "\r\n"
  // and lone "\r" only in the middle or only at the end.
  const lines = (n: number, end: string) => Array.from({ length: n }, (_, i) => `line ${i}${end}`).join('');
  const texts = [
    lines(30_000, '\n'),
    lines(20_000, '\n') + lines(50, '\r\n') + 'x\ry\r\rz' + lines(20_000, '\n'),
    lines(40_000, '\n') + 'a\rb\r\nc',
    lines(5, '\r\n') + lines(30_000, '\n'),
  ];
  fc.assert(
    fc.property(
      fc.constantFrom(...texts.keys()),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 20 }),
      (which, fractions) => {
        const text = texts[which];
        const starts = referenceStarts(text);
        const index = new LineIndex(text);
        for (const f of fractions) {
          const offset = Math.floor(f * text.length);
          let line = 0;
          while (line + 1 < starts.length && starts[line + 1] <= offset) line++;
          assert.deepEqual(index.positionAt(offset), { line, character: offset - starts[line] });
        }
        assert.equal(index.lineCount, starts.length);
      },
    ),
    { numRuns: 60 },
  );
});
