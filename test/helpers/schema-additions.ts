// BVLC's bundled schema with a repository's caffe.proto additions, as a checkout of a fork that only
// adds messages and fields gives it (the shape-rule tests of fork layers).
import { standingErrors } from '../../server/src/schema/additions';
import { loadBundledSchemaWith } from '../../server/src/schema/bundled';
import { readProto } from '../../server/src/schema/proto-reader';
import type { Schema } from '../../server/src/schema/schema';

/** BVLC's schema with `proto` (message definitions in package caffe) added; `label` names it. */
export function bvlcWith(label: string, proto: string): Schema {
  const read = readProto(
    `syntax = "proto2";\npackage caffe;\n${proto}`,
    `/${label}/src/caffe/proto/caffe.proto`,
  );
  const schema = loadBundledSchemaWith(read.data, { kind: 'user', label });
  // Types the additions name from Caffe's own messages (BlobShape) are known once merged.
  const errors = standingErrors(read.errors, schema.data);
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('; '));
  return schema;
}
