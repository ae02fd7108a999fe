// A schema from a user's own caffe.proto, read at run time: its comments are the docs and every
// definition knows where it is written.

import { readProto, type ProtoError } from './proto-reader';
import { Schema } from './schema';

export function schemaFromProtoText(text: string, file: string): { schema: Schema; errors: ProtoError[] } {
  const { data, errors } = readProto(text, file);
  return { schema: new Schema(data, { kind: 'user', label: file, path: file }), errors };
}
