// The .proto reader on files built to break it: nesting deep enough to overflow a recursive parser,
// and an option value its error recovery leaves out. Each gives a clear error, never an internal one.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readProto } from '../../../../server/src/schema/proto-reader';
import { MAX_PROTO_NESTING } from '../../../../server/src/schema/proto-nesting';

const HEAD = 'syntax = "proto2";\npackage caffe;\n';

test('5,000 nested messages: one error where the nesting passes the limit', () => {
  const text =
    HEAD +
    Array.from({ length: 5000 }, (_, i) => `message M${i} { optional int32 f = 1;\n`).join('') +
    '}'.repeat(5000);
  const { data, errors } = readProto(text, 'deep.proto');
  assert.deepEqual(errors, [
    {
      message: `blocks nested more than ${MAX_PROTO_NESTING} deep: the file is not read`,
      line: 2 + MAX_PROTO_NESTING,
      character: `message M${MAX_PROTO_NESTING} `.length,
    },
  ]);
  assert.equal(data.messages.length, 0);
});

test('5,000 nested parentheses in an option value: the same error', () => {
  const text = `${HEAD}message NetParameter { optional int32 x = 2 [default = ${'('.repeat(5000)}1${')'.repeat(5000)}]; }\n`;
  const { errors } = readProto(text, 'deep-option.proto');
  assert.equal(errors.length, 1);
  assert.match(errors[0].message, /nested more than 64 deep/);
});

test('nesting within the limit is read as usual', () => {
  const depth = MAX_PROTO_NESTING - 1;
  const text =
    HEAD +
    Array.from({ length: depth }, (_, i) => `message M${i} { optional int32 f = 1;\n`).join('') +
    '}'.repeat(depth);
  const { data, errors } = readProto(text, 'ok.proto');
  assert.deepEqual(errors, []);
  assert.equal(data.messages.length, depth);
});

test('an option whose value does not parse is a syntax error, not an internal error', () => {
  const text = `${HEAD}message NetParameter { optional string name = 1; optional int32 x = 2 [default = (1)]; }\n`;
  const { data, errors } = readProto(text, 'bad-option.proto');
  assert.ok(errors.length > 0);
  assert.ok(!errors.some((e) => /internal error/.test(e.message)), errors.map((e) => e.message).join('\n'));
  assert.equal(data.messages[0]?.fullName, 'caffe.NetParameter');
});
