// A schema from a user's own caffe.proto, read at run time: its comments are the docs and every
// definition knows where it is written. A large proto's reading is kept in the result cache: reading
// BVLC's caffe.proto takes a process started cold 40-90 ms, its kept result 1-2 ms.

import { resultCache } from '../util/disk-cache';
import { readProto, type ProtoError, type ProtoReadResult } from './proto-reader';
import { Schema } from './schema';

/** Protos shorter than this are read each time: reading them costs less than the cache. */
const CACHED_FROM_CHARS = 16 * 1024;

export function schemaFromProtoText(text: string, file: string): { schema: Schema; errors: ProtoError[] } {
  const cache = text.length >= CACHED_FROM_CHARS ? resultCache() : undefined;
  const { data, errors } = cache
    ? cache.remember('proto', file, text, () => readProto(text, file), isProtoReadResult)
    : readProto(text, file);
  return { schema: new Schema(data, { kind: 'user', label: file, path: file }), errors };
}

/** Whether a kept value has the form readProto returns. */
function isProtoReadResult(value: unknown): boolean {
  const v = value as Partial<ProtoReadResult> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    Array.isArray(v.errors) &&
    typeof v.data === 'object' &&
    v.data !== null &&
    typeof v.data.package === 'string' &&
    Array.isArray(v.data.messages) &&
    Array.isArray(v.data.enums)
  );
}
