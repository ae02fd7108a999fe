// Chunked parsing gives exactly the whole parse: same tree, comments and (no) problems, on corpus
// files cut into small pieces and on randomly edited copies of them; a chunk with any problem makes
// it step aside so that the whole parse reports it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parseInChunks, scanPiece } from '../../../../server/src/parser/chunks';
import { TextFormatParser } from '../../../../server/src/parser/grammar';
import { parse, parseWhole } from '../../../../server/src/parser/parse';
import { createLexer } from '../../../../server/src/parser/tokens';
import { repoRoot } from '../../../helpers/paths';
import { needs } from '../../../helpers/resources';

const corpus = path.resolve(repoRoot, '../shared/corpus');
const skip = needs('corpus');

const lexer = createLexer();
const parser = new TextFormatParser();
const chunked = (text: string, size: number) => parseInChunks(text, lexer, parser, size);

function corpusTexts(limit: number): string[] {
  const rows = readFileSync(path.join(corpus, 'ORACLE.tsv'), 'utf8').split('\n').slice(1).filter(Boolean);
  // Every seventh file: a spread of nets, solvers and old formats without reading all of them.
  return rows
    .filter((_, i) => i % 7 === 0)
    .slice(0, limit)
    .map((row) => readFileSync(path.join(corpus, 'files', row.split('\t')[0]), 'utf8'));
}

test('a piece ends after the last top-level block, never inside a string, comment or list', () => {
  const prefixText = (text: string) => {
    const tokens = lexer.tokenize(text).tokens;
    const n = scanPiece(tokens, 0);
    return n < 0 ? undefined : text.slice(0, n === 0 ? 0 : tokens[n - 1].startOffset + 1);
  };
  assert.equal(
    prefixText('a { b: "}" } # }\nc < d: 1 >\ne: [ { f: 1 } ]\ng: 1'),
    'a { b: "}" } # }\nc < d: 1 >',
  );
  assert.equal(
    prefixText('a { b: 1 } c { d: 1'),
    'a { b: 1 }',
    'an unfinished block is left for the next piece',
  );
  assert.equal(prefixText("a { s: 'x\\'}' "), '', 'no top-level block ends');
  assert.equal(prefixText('a } b { }'), undefined, 'a closer without an opener');
  assert.equal(prefixText('a { b { c { } } }'), 'a { b { c { } } }');
  assert.equal(
    scanPiece(lexer.tokenize('a { b { c { } } }').tokens, 0, 2),
    -1,
    'nested deeper than the limit',
  );
  const shifted = lexer.tokenize('a { }').tokens;
  scanPiece(shifted, 100);
  assert.deepEqual(
    shifted.map((t) => t.startOffset),
    [100, 102, 104],
    'tokens are moved to offsets in the whole text',
  );
});

test('a top-level block longer than a piece makes the piece grow', () => {
  const text = `a { ${'b: 1 '.repeat(500)}}\n` + 'c { d: 2 }\n'.repeat(400);
  const doc = chunked(text, 16);
  assert.ok(doc !== undefined);
  assert.deepEqual(doc, parseWhole(text));
});

test('a top-level block longer than a window is read piece by piece one level down', () => {
  const layers = Array.from(
    { length: 300 },
    (_, i) => `  layer { name: "l${i}" # c${i}\n    top: "t${i}" param { lr_mult: ${i} } }\n`,
  ).join('');
  const texts = [
    `base_lr: 0.1\nstepvalue: [1, 2]\nnet_param {\n  name: "n"\n${layers}}\nmax_iter: 10\n`,
    `net_param: {\n${layers}};\ntest_iter: 1\n`,
    `# head\nnet_param # why\n<\n${layers}>\n`,
    `a { b { ${'c: 1 '.repeat(400)}} }\nd: 1\n`,
  ];
  for (const text of texts) {
    const doc = chunked(text, 120);
    assert.ok(doc !== undefined, text.slice(0, 40));
    assert.deepEqual(doc, parseWhole(text));
  }
  // Broken: the block never closes, or closes with the other bracket; the whole parse reports it.
  assert.equal(chunked(`net_param {\n${layers}`, 120), undefined);
  assert.equal(chunked(`net_param {\n${layers}>\nx: 1\n`, 120), undefined);
  assert.equal(chunked(`net_param {\n${layers} } }\nx: 1\n`, 120), undefined);
});

test('on corpus files cut into small chunks, the tree equals the whole parse', skip, () => {
  let used = 0;
  for (const text of corpusTexts(120)) {
    const doc = chunked(text, 200);
    if (doc === undefined) continue;
    used++;
    assert.deepEqual(doc, parseWhole(text));
  }
  assert.ok(used > 50, `only ${used} files were parsed in chunks`);
});

test('parse() of a large clean text is the whole parse', () => {
  const layer = (i: number) =>
    `layer {\n  name: "l${i}" # c${i}\n  type: "ReLU"\n  bottom: "x"\n  top: "x"\n  param { lr_mult: 1.5 }\n}\n`;
  const text = 'name: "big"\n' + Array.from({ length: 2000 }, (_, i) => layer(i)).join('');
  assert.ok(chunked(text, 64 * 1024) !== undefined);
  assert.deepEqual(parse(text), parseWhole(text));
});

test('randomly edited corpus files: chunked parsing gives the whole parse or steps aside', skip, () => {
  const texts = corpusTexts(40).filter((t) => t.length > 400);
  const edit = fc.record({
    file: fc.nat(texts.length - 1),
    // Spread over the file (fast-check leans to the ends of a range otherwise).
    at: fc.noBias(fc.nat(999_999)),
    remove: fc.nat(3),
    insert: fc.constantFrom(
      '\r',
      '\0',
      '\u00a0',
      '1a',
      '',
      '}',
      '{',
      '"',
      "'",
      '#',
      '\n',
      '<',
      '>',
      '[',
      ']',
      ',',
      ';',
      'x',
      ':',
      '-',
      '\\',
    ),
  });
  fc.assert(
    fc.property(edit, ({ file, at, remove, insert }) => {
      const text = texts[file];
      const i = Math.floor((at / 1_000_000) * text.length);
      const edited = text.slice(0, i) + insert + text.slice(i + remove);
      const doc = chunked(edited, 150);
      if (doc !== undefined) assert.deepEqual(doc, parseWhole(edited));
    }),
    { numRuns: 300 },
  );
});
