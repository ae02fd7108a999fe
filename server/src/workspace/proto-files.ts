// A caffe.proto file as read from disk: its schema and syntax problems with when it was read, and
// what kind of proto it is (a whole schema, or one that only adds to Caffe's).

import fs from 'node:fs';
import { isAdditions } from '../schema/additions';
import type { ProtoError } from '../schema/proto-reader';
import type { Schema } from '../schema/schema';
import { schemaFromProtoText } from '../schema/user-proto';

const NET = 'caffe.NetParameter';

/** A caffe.proto as read: when (modification time and size), the schema and its syntax problems. */
export interface ReadProtoFile {
  mtimeMs: number;
  size: number;
  schema: Schema;
  /** The proto's syntax errors, as `file:line:column: message`. */
  problems: string[];
  errors: readonly ProtoError[];
}

/** `text`, read from `file` when it had `stat`, parsed into a schema. */
export function readProtoFile(
  file: string,
  text: string,
  stat: { mtimeMs: number; size: number },
): ReadProtoFile {
  const { schema, errors } = schemaFromProtoText(text, file);
  return {
    mtimeMs: stat.mtimeMs,
    size: stat.size,
    schema,
    problems: errors.map((e) => protoProblem(file, e)),
    errors,
  };
}

/** One of a proto's problems as `file:line:column: message` (1-based). */
export function protoProblem(file: string, e: ProtoError): string {
  return `${file}:${e.line + 1}:${e.character + 1}: ${e.message}`;
}

/** Whether a proto only adds to Caffe's schema: it defines no net (schema/additions.ts). */
export function addsOnly(read: ReadProtoFile): boolean {
  return read.schema.message(NET) === undefined && isAdditions(read.schema.data);
}

/** A message NetParameter written in a proto (a block comment holding one is taken for it). */
const NET_MESSAGE = /^\s*message\s+NetParameter\s*\{/m;

/** Whether the text of the proto at `file` defines NetParameter; false when it cannot be read. */
export function definesNet(file: string): boolean {
  try {
    return NET_MESSAGE.test(fs.readFileSync(file, 'utf8'));
  } catch {
    return false;
  }
}
