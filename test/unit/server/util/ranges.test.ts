import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../../../server/src/util/ranges';

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
