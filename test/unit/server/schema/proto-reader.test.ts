import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readProto } from '../../../../server/src/schema/proto-reader';
import type { SchemaData } from '../../../../server/src/schema/model';

function message(data: SchemaData, fullName: string) {
  const m = data.messages.find((x) => x.fullName === fullName);
  assert.ok(m, `message ${fullName} missing`);
  return m;
}

const NESTED = `syntax = "proto2";
package demo;

// A top-level enum.
enum Phase { TRAIN = 0; TEST = 1; }

// Outer message:
// two lines of doc.
message Outer {  // and a trailing note
  enum Mode {
    FAST = 0; // quick
    // careful
    SLOW = 1;
  }
  message Inner {
    optional Mode mode = 1 [default = SLOW];
    optional Phase phase = 2;
  }
  optional Inner inner = 1; // the inner part

  /* block doc */
  repeated .demo.Outer.Inner many = 2;
  optional Outer.Mode mode = 3 [default = FAST, deprecated = true];
  optional string name = 4 [default = 'a\\'b\\n'];
  optional float scale = 5 [default = -1.5e3];
  oneof choice {
    int32 count = 6;
    string label = 7;
  }
  extensions 100 to max;
  reserved 8, 9 to 11;
  map<string, int32> counts = 12;
}
extend Outer { optional int32 extra = 100; }
service S { rpc Go (Outer) returns (Outer); }
`;

test('nested messages and enums get full names and resolved field types', () => {
  const { data, errors } = readProto(NESTED, 'demo.proto');
  assert.deepEqual(errors, []);
  assert.equal(data.package, 'demo');
  assert.deepEqual(data.messages.map((m) => m.fullName).sort(), ['demo.Outer', 'demo.Outer.Inner']);
  assert.deepEqual(data.enums.map((e) => e.fullName).sort(), ['demo.Outer.Mode', 'demo.Phase']);
  const inner = message(data, 'demo.Outer.Inner');
  assert.deepEqual(
    inner.fields.map((f) => [f.name, f.kind, f.type, f.default]),
    [
      ['mode', 'enum', 'demo.Outer.Mode', 'SLOW'],
      ['phase', 'enum', 'demo.Phase', undefined],
    ],
  );
  const outer = message(data, 'demo.Outer');
  const byName = new Map(outer.fields.map((f) => [f.name, f]));
  assert.equal(byName.get('inner')?.type, 'demo.Outer.Inner');
  assert.equal(byName.get('many')?.label, 'repeated');
  assert.equal(byName.get('many')?.type, 'demo.Outer.Inner');
  assert.equal(byName.get('mode')?.deprecated, true);
  assert.equal(byName.get('mode')?.default, 'FAST');
  assert.equal(byName.get('name')?.default, "a'b\n");
  assert.equal(byName.get('scale')?.default, '-1.5e3');
  assert.equal(byName.get('count')?.oneof, 'choice');
  assert.equal(byName.get('count')?.label, 'optional');
  assert.equal(byName.get('label')?.kind, 'scalar');
  assert.equal(byName.has('counts'), false, 'map fields are tolerated, not modelled');
  assert.equal(byName.has('extra'), false, 'extend blocks are skipped');
});

test('leading and trailing comments become docs; locations point at names', () => {
  const { data } = readProto(NESTED, 'demo.proto');
  const outer = message(data, 'demo.Outer');
  assert.equal(outer.doc, 'Outer message:\ntwo lines of doc.\nand a trailing note');
  assert.deepEqual(outer.location, { file: 'demo.proto', line: 8, character: 8 });
  const byName = new Map(outer.fields.map((f) => [f.name, f]));
  assert.equal(byName.get('inner')?.doc, 'the inner part');
  assert.equal(byName.get('many')?.doc, 'block doc');
  assert.equal(byName.get('mode')?.doc, undefined, 'a blank line separates it from the block comment');
  const mode = data.enums.find((e) => e.fullName === 'demo.Outer.Mode');
  assert.deepEqual(
    mode?.values.map((v) => [v.name, v.number, v.doc]),
    [
      ['FAST', 0, 'quick'],
      ['SLOW', 1, 'careful'],
    ],
  );
  assert.equal(data.enums.find((e) => e.name === 'Phase')?.doc, 'A top-level enum.');
});

test('the innermost scope wins when names collide', () => {
  const text = `package p;
message A {}
message B {
  message A {}
  optional A here = 1;
  optional .p.A top = 2;
  optional p.A qualified = 3;
}`;
  const { data, errors } = readProto(text, 'x.proto');
  assert.deepEqual(errors, []);
  assert.deepEqual(
    message(data, 'p.B').fields.map((f) => f.type),
    ['p.B.A', 'p.A', 'p.A'],
  );
});

test('a broken .proto gives positioned errors and keeps what it could read', () => {
  const text = `package caffe;
message Good { optional int32 a = 1; }
message Bad {
  optional int32 b = ;
  optional Missing c = 2;
  optional float d = 3 $;
}
message AlsoGood { optional Good g = 1; }
`;
  const { data, errors } = readProto(text, 'broken.proto');
  assert.ok(errors.length >= 3, JSON.stringify(errors));
  const lines = errors.map((e) => e.line);
  assert.ok(lines.includes(3), `an error on the line of 'b': ${JSON.stringify(errors)}`);
  const unknown = errors.find((e) => e.message.includes("unknown type 'Missing'"));
  assert.deepEqual(unknown && [unknown.line, unknown.character], [4, 11]);
  const stray = errors.find((e) => e.message.includes('$'));
  assert.deepEqual(stray && [stray.line, stray.character], [5, 23]);
  assert.ok(data.messages.some((m) => m.fullName === 'caffe.Good'));
  assert.equal(message(data, 'caffe.AlsoGood').fields[0]?.type, 'caffe.Good');
});

test('garbage and truncated input never throw', () => {
  for (const text of ['', '}}}', 'message', 'message X {', 'enum E { A = ', '"unterminated', '/* open']) {
    const result = readProto(text, 'g.proto');
    assert.ok(Array.isArray(result.errors));
    if (text !== '') assert.ok(result.errors.length > 0, `no error for ${JSON.stringify(text)}`);
  }
});
