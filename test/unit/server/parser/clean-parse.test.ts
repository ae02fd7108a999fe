// The fast path for clean text gives exactly the grammar's tree (nodes, offsets, comments), or steps
// aside: on hand-written forms, on every corpus file and mutant, and on randomly edited corpus files.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parseClean } from '../../../../server/src/parser/clean-parse';
import { MAX_NESTING } from '../../../../server/src/parser/nesting';
import { parse, parseWhole } from '../../../../server/src/parser/parse';
import { repoRoot } from '../../../helpers/paths';
import { needs } from '../../../helpers/resources';
import { listFiles } from '../../../helpers/files';

const corpus = path.resolve(repoRoot, '../shared/corpus');
const skip = needs('corpus');

/** Asserts that the fast path either steps aside or gives the grammar's document; true when it read the text. */
function sameOrAside(text: string): boolean {
  const clean = parseClean(text);
  if (clean === undefined) return false;
  const whole = parseWhole(text);
  assert.deepEqual(whole.errors, [], `the fast path read a text with problems: ${JSON.stringify(text)}`);
  assert.deepEqual(clean, whole, JSON.stringify(text.slice(0, 200)));
  // Every string the fast path read is that of the grammar, node by node (a string's offsets too).
  assert.deepEqual(JSON.stringify(clean, replacer), JSON.stringify(whole, replacer));
  return true;
}

/** JSON with the computed parts of nodes (a field's end and name span, a string's offsets and pieces). */
function replacer(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && 'kind' in value) {
    const node = value as Record<string, unknown> & { kind: string };
    const out: Record<string, unknown> = { ...node, kind: node.kind, start: node.start, end: node.end };
    if (node.kind === 'field') out.nameSpan = node.nameSpan;
    if (node.kind === 'string') {
      out.offsets = Array.from(node.offsets as Uint32Array);
      out.pieces = node.pieces;
    }
    if (node.kind === 'number') out.integer = String(node.integer);
    return out;
  }
  return value;
}

test('clean forms are read as the grammar reads them', () => {
  const texts = [
    '',
    '# only a comment\r\n',
    'name: "n"\nlayer { name: "a" type: "ReLU" bottom: "x" top: "x" }\n',
    "a: 'single' b: \"dq 'in' it\" c: \"esc\\\"aped\\n\" d: 'x' \"y\" 'z'\n",
    'a: 1 b: -2 c: 0x1F d: 017 e: 1.5e-3 f: .5 g: 2. h: 1f i: 1e5 j: 3E+2F\n',
    // Small integers are read without the string table: at and past its bounds, and what is no integer.
    'a: 0 b: -0 c: 9 d: 9999 e: 10000 f: 00 g: 0007 h: 12f i: -9999 j: 1234.5 k: 99999 l: 12e3 m: 7\n',
    'a: inf b: -inf c: nan d: true e: t f: FALSE\n',
    'a < b: 1 > c: < d: 2 >; e { f: 3 }, g: { h: 4 };\n',
    'v: [1, -2, 3.5] w: ["a", \'b\' "c"] x: [] y: [{ a: 1 }, < b: 2 >] z [e1, -inf]\n',
    'x: "no-break\u00a0space and\u3000full-width in a string" # and\u00a0in a comment\u2028\ny: 1\n',
    'a: "tab\there" b: "cr\rin" # c\r\nd: 2',
    'a: 1 # a comment that runs past a lone CR\rb: 2\n',
    `${'n { '.repeat(MAX_NESTING)}${'}'.repeat(MAX_NESTING)}`,
  ];
  for (const text of texts) assert.ok(sameOrAside(text), `not read: ${JSON.stringify(text)}`);
});

test('anything the grammar would report or recover from is left to it', () => {
  const texts = [
    'a: "open\n',
    "a: 'open",
    'a: "ends in a backslash\\',
    'a 1',
    'a',
    'a:',
    'a: }',
    'a { b: 1',
    'a { b: 1 >',
    'a < b: 1 }',
    '}',
    '{ a: 1 }',
    'a: 1,, b: 2',
    'a: 09',
    'a: --1',
    'a: -',
    'a: [1,]',
    'a: [1 2]',
    'a: [,1]',
    'a: ${X}',
    'a {{ b }}',
    'a {% b %}',
    'a <% b %>',
    'a: <B>',
    'a: @X@',
    'a: 1.2.3',
    '[ext.name]: 1',
    'a: "bad \\q escape"',
    'a: é',
    // What protobuf's tokenizer stops at: a name right after a number, an octal number with a
    // fraction, a NUL in a string or a comment.
    'a: 1abc: 2\n',
    'a: 0x1fg',
    'a: 01.5',
    'a: 00f',
    'a: "x\0y"',
    'a: 1 # x\0y',
    // Not white space to protobuf (look-alike-spaces.ts): each is a problem.
    'a:\u00a0 1',
    '\ufeffa: 1',
    'a: 1\u3000b: 2',
    'a {\u200b}',
    `${'n { '.repeat(MAX_NESTING + 1)}${'}'.repeat(MAX_NESTING + 1)}`,
  ];
  for (const text of texts) {
    assert.equal(parseClean(text), undefined, JSON.stringify(text));
    assert.deepEqual(parse(text), parseWhole(text), JSON.stringify(text));
  }
});

test('every corpus file and mutant: the fast path gives the grammar tree or steps aside', skip, () => {
  const files = [
    ...listFiles(path.join(corpus, 'files')),
    ...listFiles(path.join(corpus, 'mutations', 'files')),
  ];
  let read = 0;
  for (const file of files) if (sameOrAside(readFileSync(file, 'utf8'))) read++;
  // Nearly every real file is clean and read by the fast path.
  assert.ok(read > 700, `only ${read} of ${files.length} files were read by the fast path`);
});

test('randomly edited corpus files: the fast path gives the grammar tree or steps aside', skip, () => {
  const rows = readFileSync(path.join(corpus, 'ORACLE.tsv'), 'utf8').split('\n').slice(1).filter(Boolean);
  const texts = rows
    .filter((_, i) => i % 11 === 0)
    .map((row) => readFileSync(path.join(corpus, 'files', row.split('\t')[0]), 'utf8'))
    .filter((t) => t.length > 200 && t.length < 200_000);
  const edit = fc.record({
    file: fc.nat(texts.length - 1),
    at: fc.noBias(fc.nat(999_999)),
    remove: fc.nat(3),
    insert: fc.constantFrom(
      ...['', '}', '{', '"', "'", '#', '\n', '\r', '<', '>', '[', ']', ',', ';', 'x', ':', '-', '\\', '.'],
      ...['0', '0x', 'e', 'f', '$', '%', '@', '{{', '\u00a0', 'é', ' ', '1', '/'],
    ),
  });
  let read = 0;
  fc.assert(
    fc.property(edit, ({ file, at, remove, insert }) => {
      const text = texts[file];
      const i = Math.floor((at / 1_000_000) * text.length);
      if (sameOrAside(text.slice(0, i) + insert + text.slice(i + remove))) read++;
    }),
    { numRuns: 400 },
  );
  assert.ok(read > 0, 'no edited file was read by the fast path');
});
