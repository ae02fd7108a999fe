// quickValue, the value of a common number literal without its bigint, is readNumber's value.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { quickValue, readNumber } from '../../../../server/src/parser/numbers';

test('quickValue reads the common forms and leaves the others to readNumber', () => {
  for (const [image, value] of [
    ['0', 0],
    ['7', 7],
    ['123456789012345', 123456789012345],
    ['1.5', 1.5],
    ['2.', 2],
    ['.5', 0.5],
    ['1e-4', 1e-4],
    ['3E+2F', 300],
    ['1f', 1],
    ['0.0001', 0.0001],
  ] as const)
    assert.equal(quickValue(image), value, image);
  for (const image of ['0x1F', '0X0', '017', '09', '00', '1234567890123456', '01.5', '00f', '01e5'])
    assert.equal(quickValue(image), undefined, image);
});

test('whenever quickValue answers, it is readNumber value', () => {
  const digits = fc.stringMatching(/^[0-9]{1,20}$/);
  const literal = fc.oneof(
    digits,
    fc.tuple(digits, fc.stringMatching(/^[0-9]{0,6}$/)).map(([a, b]) => `${a}.${b}`),
    fc.stringMatching(/^[0-9]{1,6}(\.[0-9]{0,4})?[eE][+-]?[0-9]{1,3}[fF]?$/),
    fc.stringMatching(/^\.[0-9]{1,6}[fF]?$/),
    fc.stringMatching(/^0[xX][0-9a-fA-F]{1,12}$/),
  );
  fc.assert(
    fc.property(literal, (image) => {
      const quick = quickValue(image);
      const read = readNumber(image, false);
      if (quick !== undefined) {
        assert.ok(Object.is(quick, read.value), image);
        assert.equal(read.problem, undefined, image);
      }
    }),
    { numRuns: 2000 },
  );
});

test('a leading zero before a fraction, exponent or f: octal to protobuf, a problem with the decimal as its fix', () => {
  for (const [image, fix, said] of [
    ['01.5', '1.5', 'Hex and octal numbers must be integers.'],
    ['00.25', '0.25', 'Hex and octal numbers must be integers.'],
    ['033.5e2', '33.5e2', 'Hex and octal numbers must be integers.'],
    ['01e5', '1e5', 'Need space between number and identifier.'],
    ['00f', '0f', 'Need space between number and identifier.'],
  ] as const) {
    const read = readNumber(image, false);
    assert.equal(read.suggestion, fix, image);
    assert.ok(read.problem?.includes(`("${said}")`), read.problem);
    assert.equal(read.value, Number(fix.replace(/f$/, '')), image);
  }
  for (const image of ['0.5', '0e5', '0f', '0', '017', '0x1f', '10.5'])
    assert.equal(readNumber(image, false).problem, undefined, image);
});
