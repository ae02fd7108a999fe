import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatRange,
  formatText,
  indentUnit,
  minimalChange,
} from '../../../../../server/src/analysis/transforms/format';
import { parse } from '../../../../../server/src/parser/parse';
import {
  provideDocumentFormatting,
  provideDocumentRangeFormatting,
} from '../../../../../server/src/features/formatting/formatting';
import { featureInputFor } from '../../../../helpers/analyzed-document';
import { structureOf } from './format-structure';

const two = { indent: '  ' };
const fmt = (text: string) => formatText(text, two);

test('one field per line, `name: value`, blocks indented, `}` on its own line', () => {
  const text = 'name:"n" layer{name:"a";type:"ReLU" bottom:"x",top:"x"\nrelu_param{negative_slope:0.1}}';
  assert.equal(
    fmt(text),
    [
      'name: "n"',
      'layer {',
      '  name: "a"',
      '  type: "ReLU"',
      '  bottom: "x"',
      '  top: "x"',
      '  relu_param { negative_slope: 0.1 }',
      '}',
      '',
    ].join('\n'),
  );
});

test('a block stays on one line only when written so, without comments or nested blocks', () => {
  assert.equal(fmt('include { phase: TEST }\n'), 'include { phase: TEST }\n');
  assert.equal(fmt('include {\n phase: TEST }\n'), 'include {\n  phase: TEST\n}\n');
  assert.equal(fmt('a { b { c: 1 } }\n'), 'a {\n  b { c: 1 }\n}\n');
  assert.equal(fmt('a {\n}\n'), 'a {}\n');
  const long = `p { s: "${'x'.repeat(100)}" }\n`;
  assert.equal(fmt(long), `p {\n  s: "${'x'.repeat(100)}"\n}\n`);
});

test('values are kept as written: quotes, escapes, numbers, identifiers, lists; <> becomes {}', () => {
  const text =
    "s: 'it\\'s'\nt: \"a\\n\" 'b'\nn: 1e-4\nm: .5\nk: 2.\nh: 0x1F\nb: -inf\nl: [1,2 ,3]\nm2: < a: 1 >\nm3: { a: 2 }\n";
  assert.equal(
    fmt(text),
    "s: 'it\\'s'\nt: \"a\\n\" 'b'\nn: 1e-4\nm: .5\nk: 2.\nh: 0x1F\nb: -inf\nl: [1, 2, 3]\nm2 { a: 1 }\nm3 { a: 2 }\n",
  );
});

test('comments stay where they were: own-line before the same field, trailing after the same value', () => {
  const text = [
    '# header',
    'layer { # the block',
    '    # before name',
    '  name: "a"   # after name',
    'param { lr_mult: 1 } # after block',
    '  # last in block',
    '}',
    '# end',
  ].join('\n');
  assert.equal(
    fmt(text),
    [
      '# header',
      'layer { # the block',
      '  # before name',
      '  name: "a" # after name',
      '  param { lr_mult: 1 } # after block',
      '  # last in block',
      '}',
      '# end',
      '',
    ].join('\n'),
  );
});

test('blank lines are kept, runs collapse to one, none at the start or end of a block', () => {
  const text = '\n\nname: "n"\n\n\n\nlayer {\n\n  a: 1\n\n\n  b: 2\n\n}\nlayer {}\n';
  assert.equal(fmt(text), 'name: "n"\n\nlayer {\n  a: 1\n\n  b: 2\n}\nlayer {}\n');
});

test('a list of blocks is laid out one block per item', () => {
  const text = 'a: [{ x: 1 }, {y: 2\n}]\n';
  const out = fmt(text);
  assert.equal(out, 'a: [\n  { x: 1 },\n  {\n    y: 2\n  }\n]\n');
  assert.deepEqual(structureOf(parse(out ?? '')), structureOf(parse(text)));
});

test('syntax errors: no formatting at all', () => {
  assert.equal(fmt('layer { name: "a"\n'), undefined);
  assert.equal(fmt('a: : 1\n'), undefined);
  assert.deepEqual(
    provideDocumentFormatting(featureInputFor('layer {\n'), {
      textDocument: { uri: '' },
      options: { tabSize: 2, insertSpaces: true },
    }),
    [],
  );
});

test('idempotent and meaning-preserving on tricky input', () => {
  const texts = [
    'a: 1; b: 2, c { d: "x" "y" } # t\n\n\n# own\ne: [a, b]\n',
    'a {\n  # only a comment\n}\n',
    'x: 1 # one\n# two\n\n# three\ny { }\n',
    'a: # between name and value\n 5\n',
    '',
    '# just a comment',
  ];
  for (const text of texts) {
    const once = fmt(text);
    assert.ok(once !== undefined, text);
    assert.equal(fmt(once), once, `idempotent: ${JSON.stringify(text)}`);
    assert.deepEqual(structureOf(parse(once)), structureOf(parse(text)), JSON.stringify(text));
  }
});

test('line breaks follow the document (CRLF stays CRLF)', () => {
  assert.equal(fmt('a {\r\nb: 1\r\n}'), 'a {\r\n  b: 1\r\n}\r\n');
});

test('indent: the setting in spaces, or the editor options when the setting is 0', () => {
  assert.equal(indentUnit(4), '    ');
  assert.equal(indentUnit(2, { tabSize: 8, insertSpaces: true }), '  ');
  assert.equal(indentUnit(0, { tabSize: 3, insertSpaces: true }), '   ');
  assert.equal(indentUnit(0, { tabSize: 4, insertSpaces: false }), '\t');
  const input = featureInputFor('a {\nb: 1\n}\n', { settings: { format: { indent: 0 } } });
  const edits = provideDocumentFormatting(input, {
    textDocument: { uri: input.doc.uri },
    options: { tabSize: 4, insertSpaces: false },
  });
  assert.deepEqual(edits, [
    { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: '\t' },
  ]);
});

test('formatting returns one minimal edit, and none when the text is already formatted', () => {
  const input = featureInputFor('name: "n"\nlayer {\n    name: "a"\n}\n');
  const options = { tabSize: 2, insertSpaces: true };
  const edits = provideDocumentFormatting(input, { textDocument: { uri: input.doc.uri }, options });
  assert.deepEqual(edits, [
    { range: { start: { line: 2, character: 2 }, end: { line: 2, character: 4 } }, newText: '' },
  ]);
  const done = featureInputFor('name: "n"\nlayer {\n  name: "a"\n}\n');
  assert.deepEqual(provideDocumentFormatting(done, { textDocument: { uri: done.doc.uri }, options }), []);
});

test('minimalChange keeps CRLF pairs whole', () => {
  assert.equal(minimalChange('same', 'same'), undefined);
  assert.deepEqual(minimalChange('a: 1\n', 'a:  1\n'), { start: 3, end: 3, newText: ' ' });
  const change = minimalChange('a\r\nb', 'a\nb');
  assert.ok(change);
  const applied = 'a\r\nb'.slice(0, change.start) + change.newText + 'a\r\nb'.slice(change.end);
  assert.equal(applied, 'a\nb');
  assert.ok(change.start <= 1);
});

test('range formatting formats the whole top-level fields the range touches, and nothing else', () => {
  const text = 'a {  x: 1\n}\nb {\ny: 2 } # keep\nc {\n     z: 3\n}\n';
  const bStart = text.indexOf('y');
  const change = formatRange(text, bStart, bStart + 1, two);
  assert.ok(change);
  const result = text.slice(0, change.start) + change.newText + text.slice(change.end);
  assert.equal(result, 'a {  x: 1\n}\nb {\n  y: 2\n} # keep\nc {\n     z: 3\n}\n');
  assert.equal(formatRange(text, text.length, text.length, two), undefined);
  const all = formatRange(text, 0, text.length, two);
  assert.ok(all);
  assert.equal(text.slice(0, all.start) + all.newText + text.slice(all.end), fmt(text));
});

test('provideDocumentRangeFormatting edits only inside the chosen fields', () => {
  const input = featureInputFor('a {\n x: 1\n}\nb {\n y: 2\n}\n');
  const edits = provideDocumentRangeFormatting(input, {
    textDocument: { uri: input.doc.uri },
    range: { start: { line: 4, character: 0 }, end: { line: 4, character: 1 } },
    options: { tabSize: 2, insertSpaces: true },
  });
  assert.deepEqual(edits, [
    { range: { start: { line: 4, character: 1 }, end: { line: 4, character: 1 } }, newText: ' ' },
  ]);
});
