// A caffe.proto that only adds to Caffe's schema (a repository of new layers ships its changes, as
// PSANet does): the bundled schema with its messages, fields and enums added.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAdditions, standingErrors, withAdditions } from '../../../../server/src/schema/additions';
import { loadBundledSchema, loadBundledSchemaWith } from '../../../../server/src/schema/bundled';
import { schemaFromProtoText } from '../../../../server/src/schema/user-proto';

// As such files are written: no package, messages Caffe has re-opened with the new fields only, a
// type of Caffe's own named without being defined.
const ADDITIONS = `message LayerParameter {
  optional AttentionParameter attention_param = 1001;
}
message AttentionParameter {
  optional uint32 mask_height = 1;
  enum Kind {
    COLLECT = 0;
    DISTRIBUTE = 1;
  }
  optional Kind kind = 2 [default = COLLECT];
  optional FillerParameter filler = 3;
}
enum Direction { FORWARD = 0; }
`;

test('a proto without NetParameter in package caffe (or none) adds to Caffe; a whole schema does not', () => {
  const read = schemaFromProtoText(ADDITIONS, '/r/src/caffe/proto/caffe.proto');
  assert.equal(isAdditions(read.schema.data), true);
  assert.equal(isAdditions(loadBundledSchema().data), false);
  const other = schemaFromProtoText('package other;\nmessage A { optional int32 x = 1; }\n', '/o.proto');
  assert.equal(isAdditions(other.schema.data), false);
  assert.equal(isAdditions(schemaFromProtoText('syntax = "proto2";\n', '/e.proto').schema.data), false);
});

test("the additions join BVLC's messages; their own types and Caffe's resolve; BVLC's fields stay", () => {
  const read = schemaFromProtoText(ADDITIONS, '/r/caffe.proto');
  // Alone, the file cannot tell what FillerParameter is.
  assert.match(read.errors.map((e) => e.message).join('\n'), /unknown type 'FillerParameter'/);
  const schema = loadBundledSchemaWith(read.schema.data, {
    kind: 'bundled',
    label: 'with',
    path: '/r/caffe.proto',
  });
  const added = schema.field('caffe.LayerParameter', 'attention_param');
  assert.equal(added?.kind, 'message');
  assert.equal(added?.type, 'caffe.AttentionParameter');
  assert.equal(schema.field('caffe.AttentionParameter', 'kind')?.kind, 'enum');
  assert.equal(schema.field('caffe.AttentionParameter', 'kind')?.type, 'caffe.AttentionParameter.Kind');
  assert.equal(schema.enum('caffe.AttentionParameter.Kind')?.values.length, 2);
  assert.equal(schema.field('caffe.AttentionParameter', 'filler')?.type, 'caffe.FillerParameter');
  assert.equal(schema.field('caffe.AttentionParameter', 'filler')?.kind, 'message');
  assert.ok(schema.enum('caffe.Direction'));
  // BVLC's own LayerParameter is all there, with our descriptions.
  const convolution = schema.field('caffe.LayerParameter', 'convolution_param');
  assert.ok(convolution?.doc);
  assert.deepEqual(standingErrors(read.errors, schema.data), []);
  // The bundled schema itself is not changed.
  assert.equal(loadBundledSchema().field('caffe.LayerParameter', 'attention_param'), undefined);
});

test("a field whose name Caffe's message has is left out, Caffe's definition winning; one whose number it has is kept", () => {
  const base = loadBundledSchema().data;
  const clash = schemaFromProtoText(
    'package caffe;\nmessage LayerParameter {\n  optional int32 name = 9001;\n  optional int32 renamed = 1;\n  optional int32 fresh = 9002;\n}\n',
    '/c.proto',
  ).schema.data;
  const merged = withAdditions(base, clash);
  const layer = merged.messages.find((m) => m.fullName === 'caffe.LayerParameter');
  assert.equal(layer?.fields.find((f) => f.name === 'name')?.type, 'string');
  // Text files name their fields: an older Caffe's free number (BVLC took 147 for swish_param later).
  assert.equal(
    layer?.fields.some((f) => f.name === 'renamed'),
    true,
  );
  assert.equal(
    layer?.fields.some((f) => f.name === 'fresh'),
    true,
  );
  // Still unknown after merging: kept as the proto's problem.
  const unknown = [{ message: "unknown type 'NoSuchThing' for field 'x'", line: 0, character: 0 }];
  assert.equal(standingErrors(unknown, merged).length, 1);
});
