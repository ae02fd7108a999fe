import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../../server/src/parser/parse';
import type { StringNode } from '../../../../server/src/parser/ast';

function stringOf(text: string): { node: StringNode; errors: string[] } {
  const doc = parse(text);
  const value = doc.fields[0]?.value;
  assert.equal(value?.kind, 'string', `no string in ${JSON.stringify(text)}`);
  return { node: value as StringNode, errors: doc.errors.map((e) => e.message) };
}

test('every simple escape decodes', () => {
  const { node, errors } = stringOf(String.raw`s: "\n\t\r\a\b\f\v\\\'\"\?"`);
  assert.deepEqual(errors, []);
  assert.equal(node.value, '\n\t\r\x07\b\f\v\\\'"?');
});

test('hex, octal, \\u and \\U escapes; byte escapes forming UTF-8 decode as one character', () => {
  assert.equal(stringOf(String.raw`s: "\x41\101\u00e9\U0001F600"`).node.value, 'AAé😀');
  assert.equal(stringOf(String.raw`s: "\xc3\xa9!"`).node.value, 'é!');
  assert.equal(stringOf(String.raw`s: "\xff\0"`).node.value, '\xff\0');
  assert.equal(stringOf(String.raw`s: "\x4"`).node.value, '\x04');
});

test('offsets map decoded characters back through escapes', () => {
  const text = String.raw`s: 'a\nb\x41\u00e9\U0001F600c'`;
  const { node } = stringOf(text);
  assert.equal(node.value, 'a\nbAé😀c');
  const at = (needle: string) => text.indexOf(needle);
  assert.deepEqual(Array.from(node.offsets), [
    at('a\\n'),
    at('\\n'),
    at('b\\x'),
    at('\\x41'),
    at('\\u00e9'),
    at('\\U0001'),
    at('\\U0001'), // both UTF-16 halves of the emoji come from the same escape
    at("c'"),
    text.length - 1, // the closing quote
  ]);
});

test('offsets of a UTF-8 sequence written as byte escapes point at its first escape', () => {
  const text = String.raw`s: "\xc3\xa9z"`;
  const { node } = stringOf(text);
  assert.deepEqual(Array.from(node.offsets), [4, 12, 13]);
});

test('adjacent literals concatenate, across lines and quote kinds, with offsets into each piece', () => {
  const text = 's: "ab"\n   \'c\' "d\\te"\nnext: 1';
  const doc = parse(text);
  assert.deepEqual(doc.errors, []);
  const node = doc.fields[0].value as StringNode;
  assert.equal(node.value, 'abcd\te');
  assert.deepEqual(
    node.pieces.map((p) => text.slice(p.start, p.end)),
    ['"ab"', "'c'", '"d\\te"'],
  );
  const pieceStarts = node.pieces.map((p) => p.start);
  assert.deepEqual(Array.from(node.offsets), [
    pieceStarts[0] + 1,
    pieceStarts[0] + 2,
    pieceStarts[1] + 1,
    pieceStarts[2] + 1,
    pieceStarts[2] + 2,
    pieceStarts[2] + 4,
    node.pieces[2].end - 1,
  ]);
  assert.equal(text.slice(node.start, node.end), '"ab"\n   \'c\' "d\\te"');
  assert.equal(doc.fields[1].name, 'next');
});

test('every offset of a plain string is the source index of that character', () => {
  const text = 'param_str: "\'feat_stride\': 16"';
  const { node } = stringOf(text);
  for (let i = 0; i < node.value.length; i++) assert.equal(text[node.offsets[i]], node.value[i]);
  assert.equal(node.offsets[node.value.length], text.length - 1);
});

test('bad escapes are reported at the escape and decoding goes on', () => {
  const text = String.raw`s: "a\qb\xZ\u12\U00110000c"`;
  const doc = parse(text);
  const node = doc.fields[0].value as StringNode;
  assert.equal(node.value, 'aqbZc');
  assert.deepEqual(
    doc.errors.map((e) => [text.slice(e.start, e.end), e.message]),
    [
      ['\\q', 'Invalid escape sequence in string literal.'],
      ['\\x', 'Expected hex digits for escape sequence.'],
      ['\\u12', 'Expected four hex digits for \\u escape sequence.'],
      ['\\U00110000', 'Expected eight hex digits up to 10ffff for \\U escape sequence.'],
    ],
  );
});

test('an unterminated string ends at the line end, is reported, and the next line still parses', () => {
  const text = 'layer {\n  type: "xavier\r\n  std: 0.1\n}';
  const doc = parse(text);
  assert.deepEqual(
    doc.errors.map((e) => [text.slice(e.start, e.end), e.message]),
    [['"xavier', 'String missing ending quote: "xavier']],
  );
  const layer = doc.fields[0].value;
  assert.equal(layer?.kind, 'message');
  const inner = layer.kind === 'message' ? layer.fields : [];
  assert.deepEqual(
    inner.map((f) => f.name),
    ['type', 'std'],
  );
  const type = inner[0].value as StringNode;
  assert.equal(type.value, 'xavier');
  assert.equal(type.offsets[type.value.length], text.indexOf('\r'));
});
