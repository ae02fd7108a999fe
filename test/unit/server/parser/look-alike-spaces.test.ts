// Characters that look like white space but are not white space to protobuf: each run is one syntax
// error, placed on it, whose fix (plain spaces, or nothing for a zero-width character) gives a text
// protoc reads; the rest of the file is read as if the fix were made.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { parse, parseWhole } from '../../../../server/src/parser/parse';
import { corpusDir, has } from '../../../helpers/resources';

const NET =
  'name: "n"\nlayer {\n  name: "d"\n  type: "Input"\n  top: "d"\n  input_param { shape { dim: 1 dim: 3 } }\n}\n';

/** The text with each problem's first suggestion in place of its range. */
function fixed(text: string): string {
  const problems = parse(text).errors;
  let out = text;
  for (const p of [...problems].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, p.start) + (p.suggestions?.[0] ?? '') + out.slice(p.end);
  }
  return out;
}

test('a no-break space between tokens: one error on it, naming it and the byte protobuf reports', () => {
  const text = 'layer {\u00a0name: "a" }';
  const [problem, ...rest] = parse(text).errors;
  assert.deepEqual(rest, []);
  assert.equal(problem.start, 7);
  assert.equal(problem.end, 8);
  assert.match(problem.message, /^A no-break space \(U\+00A0\) is not white space to protobuf/);
  assert.match(problem.message, /"Interpreting non ascii codepoint 194\."/);
  assert.deepEqual(problem.suggestions, [' ']);
  // The rest is read as written: the same fields as with a plain space.
  assert.deepEqual(parse(text).fields, parse('layer { name: "a" }').fields);
});

test('a byte order mark at the start of the file: save without a BOM, the fix removes it', () => {
  const [problem] = parse(`\ufeff${NET}`).errors;
  assert.equal(problem.start, 0);
  assert.equal(problem.end, 1);
  assert.match(problem.message, /starts with a byte order mark \(U\+FEFF\).*codepoint 239\..*without a BOM/);
  assert.deepEqual(problem.suggestions, ['']);
  assert.equal(fixed(`\ufeff${NET}`), NET);
});

test('runs: one error per run; zero-width characters are removed, the others become plain spaces', () => {
  const text = 'a:\u00a0\u00a01 b:\u200b2 c:\u3000\u200b3';
  const problems = parse(text).errors;
  assert.deepEqual(
    problems.map((p) => [p.start, p.end, p.suggestions]),
    [
      [2, 4, ['  ']],
      [8, 9, ['']],
      [13, 15, [' ']],
    ],
  );
  assert.match(problems[0].message, /^2 characters here, the first a no-break space \(U\+00A0\), are not/);
  assert.match(problems[1].message, /A zero-width space \(U\+200B\).*Remove it\.$/);
  assert.match(problems[2].message, /full-width \(ideographic\) space \(U\+3000\).*codepoint 227\./);
  assert.equal(fixed(text), 'a:  1 b:2 c: 3');
});

test('inside strings and comments they are text, not errors', () => {
  const text = 'name: "no-break\u00a0space\u3000and\ufeff" # a\u00a0comment\u2028still the comment\nx: 1\n';
  assert.deepEqual(parse(text).errors, []);
  assert.equal(parse(text).comments[0].text, '# a\u00a0comment\u2028still the comment');
});

test('a bare path after a colon and a look-alike space is still one value, for validation to quote', () => {
  const doc = parse('source:\u00a0data/train.txt');
  assert.equal(doc.errors.length, 1, JSON.stringify(doc.errors));
  assert.match(doc.errors[0].message, /no-break space/);
  const value = doc.fields[0].value;
  assert.equal(value?.kind === 'identifier' ? value.name : undefined, 'data/train.txt');
});

const LOOK_ALIKES = [
  '\u00a0',
  '\u1680',
  '\u2003',
  '\u2009',
  '\u200b',
  '\u2028',
  '\u202f',
  '\u3000',
  '\ufeff',
];

test('any ASCII space of a net replaced by look-alikes: an error per run, and the fixed text parses clean', () => {
  const spaces = [...NET.matchAll(/ /g)].map((m) => m.index);
  const replacement = fc.record({
    at: fc.uniqueArray(fc.nat(spaces.length - 1), { minLength: 1, maxLength: 4 }),
    chars: fc.array(fc.constantFrom(...LOOK_ALIKES), { minLength: 1, maxLength: 2 }),
  });
  fc.assert(
    fc.property(replacement, ({ at, chars }) => {
      const chosen = new Set(at.map((i) => spaces[i]));
      let text = '';
      for (let i = 0; i < NET.length; i++) text += chosen.has(i) ? chars.join('') : NET[i];
      const doc = parse(text);
      const runs = [...chosen].filter((i) => !chosen.has(i - 1)).length;
      assert.equal(doc.errors.length, runs, JSON.stringify(text));
      assert.deepEqual(doc, parseWhole(text));
      const after = fixed(text);
      assert.deepEqual(parse(after).errors, [], JSON.stringify(after));
    }),
    { numRuns: 200 },
  );
});

test('protoc agrees: it rejects each of them between tokens and reads the fixed text', (t) => {
  if (!has(t, 'protoc', 'corpus')) return;
  const proto = path.join(corpusDir, 'schemas', 'bvlc');
  const encodes = (text: string) =>
    spawnSync('protoc', ['--encode=caffe.NetParameter', `--proto_path=${proto}`, 'caffe.proto'], {
      input: text,
    });
  for (const c of LOOK_ALIKES) {
    const text = NET.replace('layer {', `layer {${c}`);
    const run = encodes(text);
    assert.notEqual(run.status, 0, `protoc read ${JSON.stringify(c)}`);
    assert.match(run.stderr.toString(), /non ascii codepoint/);
    assert.equal(parse(text).errors.length, 1);
    assert.equal(encodes(fixed(text)).status, 0, JSON.stringify(fixed(text)));
  }
  assert.equal(encodes(`\ufeff${NET}`).status === 0, false);
});
