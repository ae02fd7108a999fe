import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLexer } from '../../../../server/src/parser/tokens';

const lexer = createLexer();

function kinds(text: string): string[] {
  return lexer.tokenize(text).tokens.map((t) => `${t.tokenType.name} ${t.image}`);
}

test('each token kind is recognised', () => {
  assert.deepEqual(kinds('name : { } < > [ ] , ; - . /'), [
    'Identifier name',
    'Colon :',
    'LCurly {',
    'RCurly }',
    'LAngle <',
    'RAngle >',
    'LBracket [',
    'RBracket ]',
    'Comma ,',
    'Semicolon ;',
    'Minus -',
    'Dot .',
    'Slash /',
  ]);
});

test('numbers: decimal, hex, octal, floats with exponents, suffixes and bare dots', () => {
  const text = '12 0x1F 017 1e-4 .5 2. 1f 1.5F 2.5e+3 0';
  assert.deepEqual(
    kinds(text),
    text.split(' ').map((n) => `NumberLiteral ${n}`),
  );
});

test('a minus sign is its own token; identifiers take letters, digits and underscores', () => {
  assert.deepEqual(kinds('-3 -inf _a1 True'), [
    'Minus -',
    'NumberLiteral 3',
    'Minus -',
    'Identifier inf',
    'Identifier _a1',
    'Identifier True',
  ]);
});

test('strings in both quotes with escapes; an unclosed one stops at the line end', () => {
  assert.deepEqual(kinds(`"a\\"b" 'c\\'d' "x\n'p\\\r\nq`), [
    'StringLiteral "a\\"b"',
    "StringLiteral 'c\\'d'",
    'UnterminatedString "x',
    "UnterminatedString 'p\\",
    'Identifier q',
  ]);
});

test('comments go to their own group, without the line end', () => {
  const result = lexer.tokenize('a: 1 # one\r\n# two\nb: 2');
  assert.deepEqual(
    result.groups.comments.map((t) => [t.image, t.startOffset]),
    [
      ['# one', 5],
      ['# two', 12],
    ],
  );
  assert.deepEqual(
    result.tokens.map((t) => t.image),
    ['a', ':', '1', 'b', ':', '2'],
  );
});

test('stray ASCII characters form garbage runs; other characters are lexer errors, not exceptions', () => {
  const result = lexer.tokenize('a: @@ 1 $ é\u0001');
  assert.deepEqual(
    result.groups.garbage.map((t) => [t.image, t.startOffset]),
    [
      ['@@', 3],
      ['$', 8],
      ['\u0001', 11],
    ],
  );
  assert.deepEqual(
    result.errors.map((e) => [e.offset, e.length]),
    [[10, 1]],
  );
  assert.deepEqual(
    result.tokens.map((t) => t.image),
    ['a', ':', '1'],
  );
});

test("protobuf's white space (space, tab, CR, LF, vertical tab, form feed) is skipped", () => {
  const lexed = lexer.tokenize('a:\t1\r\n\fb:\v2 ');
  assert.deepEqual(
    lexed.tokens.map((t) => t.image),
    ['a', ':', '1', 'b', ':', '2'],
  );
  assert.deepEqual(lexed.groups.garbage, []);
});

test('what only looks like white space is set aside as one garbage token per run, for the parser to report', () => {
  const lexed = lexer.tokenize('\ufeffa:\u00a0\u00a01\u3000b:\u200b2');
  assert.deepEqual(
    lexed.tokens.map((t) => t.image),
    ['a', ':', '1', 'b', ':', '2'],
  );
  assert.deepEqual(
    lexed.groups.garbage.map((t) => [t.startOffset, t.image]),
    [
      [0, '\ufeff'],
      [3, '\u00a0\u00a0'],
      [6, '\u3000'],
      [9, '\u200b'],
    ],
  );
  assert.deepEqual(lexed.errors, []);
});
