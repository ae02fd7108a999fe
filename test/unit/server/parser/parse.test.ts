import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../../server/src/parser/parse';
import type { MessageNode, NumberNode } from '../../../../server/src/parser/ast';
import { plainFields } from './simplify';

function clean(text: string) {
  const doc = parse(text);
  assert.deepEqual(doc.errors, [], `unexpected errors in ${JSON.stringify(text)}`);
  return doc;
}

test('name: value with every scalar kind', () => {
  const doc = clean('a: 1 b: "s" c: MAX d: -2.5e+3 e: -inf f: true g: nan');
  assert.deepEqual(plainFields(doc.fields), [
    ['a', 'num:1'],
    ['b', 'str:s'],
    ['c', 'id:MAX'],
    ['d', 'num:-2.5e+3'],
    ['e', 'id:-inf'],
    ['f', 'id:true'],
    ['g', 'id:nan'],
  ]);
});

test('message forms: name { }, name: { }, name < >, nested, empty', () => {
  const text = 'a { x: 1 } b: { y: 2 } c < z: 3 > d { e { } }';
  const doc = clean(text);
  assert.deepEqual(plainFields(doc.fields), [
    ['a', { '{': [['x', 'num:1']] }],
    ['b', { '{': [['y', 'num:2']] }],
    ['c', { '<': [['z', 'num:3']] }],
    ['d', { '{': [['e', { '{': [] }]] }],
  ]);
  const b = doc.fields[1];
  assert.equal(b.colon, text.indexOf('b:') + 1);
  const c = doc.fields[2].value as MessageNode;
  assert.equal(c.open, '<');
  assert.equal(c.close, text.indexOf('>'));
});

test('list values of scalars and of messages, with and without a colon before messages', () => {
  const doc = clean('stepvalue: [4000, 6000] names: ["a", \'b\'] m: [{ x: 1 }, { x: 2 }] n [<y: 1>] e: []');
  assert.deepEqual(plainFields(doc.fields), [
    ['stepvalue', ['num:4000', 'num:6000']],
    ['names', ['str:a', 'str:b']],
    ['m', [{ '{': [['x', 'num:1']] }, { '{': [['x', 'num:2']] }]],
    ['n', [{ '<': [['y', 'num:1']] }]],
    ['e', []],
  ]);
});

test('optional , and ; separators after fields', () => {
  const doc = clean('a: 1, b: 2; c { d: 3; e: 4, }; f: 5');
  assert.deepEqual(plainFields(doc.fields), [
    ['a', 'num:1'],
    ['b', 'num:2'],
    [
      'c',
      {
        '{': [
          ['d', 'num:3'],
          ['e', 'num:4'],
        ],
      },
    ],
    ['f', 'num:5'],
  ]);
});

test('CRLF, tabs, a missing final newline, no space after the colon, include: { phase: TEST }', () => {
  const text = 'average_loss:20\r\nlayer {\r\n\tname: "data"\r\n\tinclude: { phase: TEST }\r\n}';
  const doc = clean(text);
  assert.deepEqual(plainFields(doc.fields), [
    ['average_loss', 'num:20'],
    [
      'layer',
      {
        '{': [
          ['name', 'str:data'],
          ['include', { '{': [['phase', 'id:TEST']] }],
        ],
      },
    ],
  ]);
  assert.equal(doc.end, text.length);
  assert.equal(doc.fields[1].end, text.length);
});

test('comments are collected with their spans and text', () => {
  const text = '# head\na: 1 # tail\r\n  # inside\nb { # open\n}';
  const doc = clean(text);
  assert.deepEqual(
    doc.comments.map((c) => [c.text, text.slice(c.start, c.end)]),
    [
      ['# head', '# head'],
      ['# tail', '# tail'],
      ['# inside', '# inside'],
      ['# open', '# open'],
    ],
  );
});

test('integers carry exact bigint values; floats do not', () => {
  const doc = clean(
    'a: 9223372036854775807 b: -9223372036854775808 c: 0x1F d: 017 e: 1.5 f: 1f g: 2. h: .5 i: 1e-4 j: 0',
  );
  const numbers = doc.fields.map((f) => f.value as NumberNode);
  assert.deepEqual(
    numbers.map((n) => n.integer),
    [
      9223372036854775807n,
      -9223372036854775808n,
      31n,
      15n,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      0n,
    ],
  );
  assert.deepEqual(
    numbers.map((n) => n.value),
    [2 ** 63, -(2 ** 63), 31, 15, 1.5, 1, 2, 0.5, 1e-4, 0],
  );
});

test('extension and Any field names keep their bracketed text', () => {
  const doc = clean('[ext.name]: 1 [type.googleapis.com/pkg.Msg] { a: 2 }');
  assert.deepEqual(plainFields(doc.fields), [
    ['[ext.name]', 'num:1'],
    ['[type.googleapis.com/pkg.Msg]', { '{': [['a', 'num:2']] }],
  ]);
});

test('spans: field, name, colon and value offsets', () => {
  const text = '  num_output : 64 ,';
  const [field] = clean(text).fields;
  assert.equal(text.slice(field.start, field.end), 'num_output : 64');
  assert.equal(text.slice(field.nameSpan.start, field.nameSpan.end), 'num_output');
  assert.equal(field.colon, text.indexOf(':'));
  assert.equal(text.slice(field.value!.start, field.value!.end), '64');
});

test('the same parser serves many documents without leaking state between them', () => {
  parse('a { b: "unclosed');
  const doc = clean('c: 1');
  assert.deepEqual(plainFields(doc.fields), [['c', 'num:1']]);
});

test('an empty document and one made only of comments', () => {
  assert.deepEqual(clean('').fields, []);
  const doc = clean('# nothing here\n');
  assert.deepEqual(doc.fields, []);
  assert.equal(doc.comments.length, 1);
});
