// Re-parsing after an edit gives exactly the tree of a whole parse of the new text: random edits on
// corpus files (most inside a layer, where only that layer is parsed again), and the cases that must
// fall back to a whole parse.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { TextFormatParser } from '../../../../server/src/parser/grammar';
import { reparseEdited } from '../../../../server/src/parser/incremental';
import { parseAfterEdit, parseWhole } from '../../../../server/src/parser/parse';
import { createLexer } from '../../../../server/src/parser/tokens';
import { repoRoot } from '../../../helpers/paths';
import { needs } from '../../../helpers/resources';

const corpus = path.resolve(repoRoot, '../shared/corpus');
const skip = needs('corpus');

const lexer = createLexer();
const parser = new TextFormatParser();
const before = (text: string) => ({ text, ast: parseWhole(text) });
const edit = (text: string, at: number, remove: number, insert: string) =>
  text.slice(0, at) + insert + text.slice(at + remove);

const NET =
  'name: "n"\nlayer {\n  name: "a" # first\n  type: "ReLU"\n  bottom: "x"\n  top: "x"\n}\n# between\nlayer {\n  name: "b"\n  param { lr_mult: 2 }\n}\n';

test('an edit inside a layer re-parses that layer; later nodes and comments move', () => {
  const at = NET.indexOf('"a"') + 1;
  const text = edit(NET, at, 0, 'xyz');
  const old = before(NET);
  const tree = reparseEdited(old, text, lexer, parser);
  assert.ok(tree, 'taken incrementally');
  assert.deepEqual(tree, parseWhole(text));
  assert.equal(tree.fields[0], old.ast.fields[0], 'fields before the edit are reused');
  assert.notEqual(tree.fields[2], old.ast.fields[2], 'fields after it are moved copies');
  assert.equal(tree.comments[1].start, old.ast.comments[1].start + 3);
});

test("an edit inside a layer of a solver's net_param re-parses only that layer", () => {
  const solver = `base_lr: 0.1\nnet_param {\n${NET}}\nmax_iter: 10\n# end\n`;
  const old = before(solver);
  const at = solver.indexOf('lr_mult: 2') + 'lr_mult: '.length;
  for (const text of [edit(solver, at, 1, '30'), edit(solver, at, 0, '1.')]) {
    const tree = reparseEdited(old, text, lexer, parser);
    assert.ok(tree, 'taken incrementally');
    assert.deepEqual(tree, parseWhole(text));
    assert.equal(tree.fields[0], old.ast.fields[0]);
  }
});

test('edits that must be parsed as a whole give undefined, and parseAfterEdit still matches', () => {
  const cases = [
    edit(NET, NET.indexOf('layer'), 1, ''), // the name of the block
    edit(NET, NET.indexOf('}'), 1, ''), // its closing bracket
    edit(NET, NET.indexOf('# between'), 0, 'x'), // between fields
    edit(NET, NET.indexOf('"a"'), 0, '"'), // an unterminated string inside
    edit(NET, NET.indexOf('type'), 0, '} '), // closes the block early
    NET + 'tail: 1', // after the last field
  ];
  for (const text of cases) {
    assert.equal(reparseEdited(before(NET), text, lexer, parser), undefined, JSON.stringify(text));
    assert.deepEqual(parseAfterEdit(before(NET), text), parseWhole(text));
  }
  const broken = 'layer { name: "a" }\nlayer { name: }\n';
  const fixed = edit(broken, broken.indexOf('"a"') + 1, 0, 'b');
  assert.equal(reparseEdited(before(broken), fixed, lexer, parser), undefined, 'the old tree had problems');
});

test('random edits of corpus files: the tree equals the whole parse of the new text', skip, () => {
  const rows = readFileSync(path.join(corpus, 'ORACLE.tsv'), 'utf8').split('\n').slice(1).filter(Boolean);
  const texts = rows
    .filter((_, i) => i % 11 === 0)
    .slice(0, 40)
    .map((row) => readFileSync(path.join(corpus, 'files', row.split('\t')[0]), 'utf8'))
    .filter((t) => t.length > 300);
  const olds = texts.map(before);
  let incremental = 0;
  const change = fc.record({
    file: fc.nat(texts.length - 1),
    // Spread over the file (fast-check leans to the ends of a range otherwise).
    at: fc.noBias(fc.nat(999_999)),
    remove: fc.nat(2),
    // Mostly harmless edits (whitespace, a letter inside a name) and some that break the block.
    // And what protobuf's tokenizer reads otherwise than it looks: a lone CR in a comment, a NUL, a
    // no-break space, a name against a number.
    insert: fc.constantFrom(
      ...['', ' ', ' ', '\n', '\t', 'x', '1', '"', '{', '}', '#', ':', 'a: 1 ', 'b { }'],
      ...['\r', '\0', '\u00a0', '1a', '01.5'],
    ),
  });
  fc.assert(
    fc.property(change, ({ file, at, remove, insert }) => {
      const old = olds[file];
      const text = edit(old.text, Math.floor((at / 1_000_000) * old.text.length), remove, insert);
      const tree = reparseEdited(old, text, lexer, parser);
      if (tree) incremental++;
      assert.deepEqual(parseAfterEdit(old, text), parseWhole(text));
      if (tree) assert.deepEqual(tree, parseWhole(text));
    }),
    { numRuns: 400 },
  );
  assert.ok(incremental > 60, `only ${incremental} of 400 edits were re-parsed incrementally`);
});
