// Property tests: random token soups and mutated documents never throw, always finish, and keep
// every span inside the text; printed documents parse back to the values they were printed from.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { DocumentNode, FieldNode, ValueNode } from '../../../../server/src/parser/ast';
import { parse } from '../../../../server/src/parser/parse';
import { plainFields, type Plain } from './simplify';

/** Every node and problem span lies inside the text with start <= end. */
function assertSpans(doc: DocumentNode, length: number): void {
  const check = (span: { start: number; end: number }, what: string) => {
    assert.ok(
      0 <= span.start && span.start <= span.end && span.end <= length,
      `${what} ${span.start}-${span.end}`,
    );
  };
  const visitValue = (value: ValueNode) => {
    check(value, value.kind);
    if (value.kind === 'message') value.fields.forEach(visitField);
    else if (value.kind === 'list') value.items.forEach(visitValue);
    else if (value.kind === 'string') {
      value.pieces.forEach((p) => check(p, 'piece'));
      assert.equal(value.offsets.length, value.value.length + 1);
      value.offsets.forEach((o) => assert.ok(o >= value.start && o <= value.end, `offset ${o}`));
    }
  };
  const visitField = (field: FieldNode) => {
    check(field, 'field');
    check(field.nameSpan, 'name');
    if (field.value) visitValue(field.value);
  };
  check(doc, 'document');
  doc.fields.forEach(visitField);
  doc.comments.forEach((c) => check(c, 'comment'));
  doc.errors.forEach((e) => check(e, 'error'));
}

const soupToken = fc.constantFrom(
  'a',
  'layer',
  '_x9',
  ':',
  '{',
  '}',
  '<',
  '>',
  '[',
  ']',
  ',',
  ';',
  '-',
  '.',
  '/',
  '1',
  '0x1F',
  '017',
  '1e-4',
  '.5',
  '"s"',
  "'t'",
  '"open',
  "'\\",
  '"\\x4',
  '"\\u12"',
  '#c\n',
  '\n',
  '\r\n',
  '\t',
  ' ',
  '@',
  '$',
  'é',
  '\u0000',
);

test('random token soups never throw and keep spans inside the text', () => {
  fc.assert(
    fc.property(fc.array(soupToken, { maxLength: 80 }), (parts) => {
      const text = parts.join(' ');
      assertSpans(parse(text), text.length);
      const tight = parts.join('');
      assertSpans(parse(tight), tight.length);
    }),
    { numRuns: 400 },
  );
});

const VALID = `name: "net" # comment
layer {
  name: 'conv1'  type: "Convolution"
  bottom: "data" top: "conv1"
  param { lr_mult: 1 decay_mult: 1 }
  convolution_param < num_output: 96 kernel_size: [11, 3] stride: 0x4 weight_filler { std: -1e-2 } >
  include: { phase: TEST }
  python_param { param_str: "'a': 1\\n'b': \\"x\\"" "tail" }
}
stepvalue: [4000, 6000]; gamma: .5, debug: true
`;

test('random single-character edits of a valid document never throw and keep spans inside', () => {
  const alphabet = fc.constantFrom(...'{}<>[]:;,-./"\'#\\ \n\r\tax19@é');
  fc.assert(
    fc.property(
      fc.nat(VALID.length),
      fc.constantFrom('insert', 'delete', 'replace'),
      alphabet,
      (at, edit, c) => {
        const text =
          edit === 'insert'
            ? VALID.slice(0, at) + c + VALID.slice(at)
            : edit === 'delete'
              ? VALID.slice(0, at) + VALID.slice(at + 1)
              : VALID.slice(0, at) + c + VALID.slice(at + 1);
        assertSpans(parse(text), text.length);
      },
    ),
    { numRuns: 600 },
  );
});

// Printing: documents generated as data, printed in text format, parsed back.
type GenValue = { s: string } | { n: number } | { id: string } | { m: GenField[] } | { l: GenValue[] };
type GenField = [string, GenValue];

const name = fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/);
const scalar: fc.Arbitrary<GenValue> = fc.oneof(
  fc.string({ maxLength: 8, unit: 'binary' }).map((s) => ({ s })),
  fc.integer({ min: -1e9, max: 1e9 }).map((n) => ({ n })),
  fc.constantFrom('MAX', 'true', 'inf', 'TEST').map((id) => ({ id })),
);
const { field: genField } = fc.letrec<{ field: GenField; value: GenValue }>((tie) => ({
  field: fc.tuple(name, tie('value')),
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('field'), { maxLength: 3 }).map((m) => ({ m })),
    fc.array(scalar, { maxLength: 3 }).map((l) => ({ l })),
  ),
}));

function printString(s: string): string {
  const escaped = Array.from(s, (c) => {
    const code = c.codePointAt(0)!;
    if (c === '"' || c === '\\') return '\\' + c;
    if (c === '\n') return '\\n';
    if (code < 0x20 || code === 0x7f) return '\\' + code.toString(8).padStart(3, '0');
    if (code > 0xffff) return '\\U' + code.toString(16).padStart(8, '0');
    if (code >= 0xd800 && code <= 0xdfff) return '\\u' + code.toString(16).padStart(4, '0');
    return c;
  });
  return '"' + escaped.join('') + '"';
}

function print(fields: GenField[]): string {
  return fields.map(([n, v]) => ('m' in v ? `${n} { ${print(v.m)} }` : `${n}: ${printValue(v)}`)).join('\n');
}

function printValue(v: GenValue): string {
  if ('s' in v) return printString(v.s);
  if ('n' in v) return String(v.n);
  if ('id' in v) return v.id;
  if ('l' in v) return `[${v.l.map(printValue).join(', ')}]`;
  return `{ ${print(v.m)} }`;
}

function expected(fields: GenField[]): [string, Plain][] {
  return fields.map(([n, v]) => [n, expectedValue(v)]);
}

function expectedValue(v: GenValue): Plain {
  if ('s' in v) return `str:${v.s}`;
  if ('n' in v) return `num:${v.n}`;
  if ('id' in v) return `id:${v.id}`;
  if ('l' in v) return v.l.map(expectedValue);
  return { '{': expected(v.m) };
}

test('printed documents parse back to the same values', () => {
  fc.assert(
    fc.property(fc.array(genField, { maxLength: 5 }), (fields) => {
      const text = print(fields);
      const doc = parse(text);
      assert.deepEqual(doc.errors, [], text);
      assert.deepEqual(plainFields(doc.fields), expected(fields));
    }),
    { numRuns: 300 },
  );
});
