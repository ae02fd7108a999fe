// What protobuf's tokenizer stops at or reads differently from how a text looks, each found by
// comparing with protoc: a name right after a number, an octal number with a fraction, a NUL in a
// string or comment, and a comment that runs past a lone carriage return.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../../../server/src/analysis/analyze';
import { parse } from '../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../server/src/schema/bundled';
import { corpusDir, has } from '../../../helpers/resources';

function problemsOf(text: string) {
  return parse(text).errors.map((e) => ({
    at: text.slice(e.start, e.end),
    suggestions: e.suggestions,
    message: e.message,
  }));
}

test('a name right after a number: one error over both, the fix puts a space between them', () => {
  const [problem, ...rest] = problemsOf('shape { dim: 1dim: 3 }');
  assert.deepEqual(rest, []);
  assert.equal(problem.at, '1dim');
  assert.deepEqual(problem.suggestions, ['1 dim']);
  assert.match(problem.message, /"Need space between number and identifier\."/);
  // The tree is the one of the fixed text: two dims.
  const dims = parse('shape { dim: 1dim: 3 }').fields[0].value;
  assert.equal(dims?.kind === 'message' ? dims.fields.length : 0, 2);
  for (const text of ['a: 0x1fg: 1', 'a: 1.5e3x: 1', 'a: [1b]', 'a: -2x: 1', 'a { b: 1c { d: 1 } }']) {
    assert.match(problemsOf(text)[0]?.message ?? '', /right after a number/, text);
  }
  for (const text of ['a: 1 b: 2', 'a: 1e5 b: 1f c: 0x1F d: "1"e: 2', 'a: [1,b]']) {
    assert.deepEqual(
      problemsOf(text).filter((p) => /right after a number/.test(p.message)),
      [],
      text,
    );
  }
});

test('a word that starts with digits, as a value (`ap_version: 11point`): one identifier, for validation to quote', () => {
  for (const [text, word] of [
    ['ap_version: 11point\nshow_per_class_result: true', '11point'],
    ['name: 3d_conv }', '3d_conv'],
    ['source: 2x/data.txt', '2x/data.txt'],
    ['a: 0x1fg', '0x1fg'],
  ]) {
    const value = parse(text).fields[0].value;
    assert.equal(value?.kind === 'identifier' ? value.name : undefined, word, text);
    assert.deepEqual(
      problemsOf(text).filter((p) => /right after a number/.test(p.message)),
      [],
      text,
    );
  }
  // Numbers stay numbers.
  for (const text of ['a: 1e5', 'a: 0x1f', 'a: 1.5e-3f', 'a: 2.', 'a: .5', 'a: 3F'])
    assert.equal(parse(text).fields[0].value?.kind, 'number', text);
});

test('an octal number with a fraction, exponent or f: one error, the decimal as its fix', () => {
  const [problem] = problemsOf('lr_mult: 01.5');
  assert.equal(problem.at, '01.5');
  assert.deepEqual(problem.suggestions, ['1.5']);
  assert.deepEqual(problemsOf('a: 0.5 b: 0e5 c: 0f d: 017 e: 0 f: 10.5'), []);
});

test('a NUL in a string or a comment: an error on it, removed by the fix', () => {
  for (const [text, what] of [
    ['name: "a\0b"', 'string'],
    ["name: 'a\0b'", 'string'],
    ['name: "ab" # x\0y\n', 'comment'],
  ]) {
    const found = problemsOf(text).filter((p) => p.at === '\0');
    assert.equal(found.length, 1, text);
    assert.match(found[0].message, new RegExp(`inside a ${what}`));
    assert.deepEqual(found[0].suggestions, ['']);
  }
});

test('a comment runs to a line feed: past a lone CR (a warning), not past CR LF', () => {
  const text = '# a comment\rname: "x"\rforce_backward: true\n';
  const cr = parse(text);
  assert.deepEqual(cr.fields, []);
  assert.deepEqual(cr.errors, []);
  assert.equal(cr.comments.length, 1);
  const found = analyze(text, cr, { schema: loadBundledSchema(), schemaKind: 'bundled' }).diagnostics;
  const warning = found.find((d) => d.code === 'comment-line-end');
  assert.ok(warning, JSON.stringify(found));
  assert.equal(warning.severity, 'warning');
  assert.equal(text.slice(warning.start, warning.end), '\r');
  assert.deepEqual(warning.suggestions, ['\n']);
  assert.match(warning.message, /reads "name: "x"" and the 1 line after it as part of the comment/);
  const crlf = parse('# a comment\r\nname: "x"\r\n');
  assert.deepEqual(crlf.errors, []);
  assert.deepEqual(
    crlf.fields.map((f) => f.name),
    ['name'],
  );
  assert.equal(crlf.comments[0].text, '# a comment');
});

test('protoc agrees on each: it rejects the errors, reads the fixed texts, and reads past a lone CR as comment', (t) => {
  if (!has(t, 'protoc', 'corpus')) return;
  const proto = path.join(corpusDir, 'schemas', 'bvlc');
  const reads = (text: string) => {
    const run = spawnSync('protoc', ['--encode=caffe.NetParameter', `--proto_path=${proto}`, 'caffe.proto'], {
      input: Buffer.from(text, 'utf8'),
    });
    return run.status === 0 ? run.stdout.length : -1;
  };
  const layer = (dims: string) =>
    `layer { name: "d" type: "Input" top: "d" input_param { shape { ${dims} } } }\n`;
  for (const bad of [
    layer('dim: 1dim: 3'),
    'layer { param { lr_mult: 01.5 } }',
    'name: "a\0b"',
    'name: "a" # x\0y\n',
  ]) {
    assert.equal(reads(bad), -1, JSON.stringify(bad));
    const fixed = parse(bad).errors.reduceRight(
      (text, e) => text.slice(0, e.start) + (e.suggestions?.[0] ?? '') + text.slice(e.end),
      bad,
    );
    assert.notEqual(reads(fixed), -1, JSON.stringify(fixed));
  }
  // Past a lone CR protoc reads nothing more: the same bytes as an empty net.
  assert.equal(reads('# a comment\rname: "x"\r'), reads(''));
  assert.notEqual(reads('# a comment\r\nname: "x"\r\n'), reads(''));
});
