// What a file a solver names as its net holds, read from its start: Caffe reads it as a NetParameter
// and stops when it is something else (a solver named by mistake, itself among them, or a label map).
// Kept per path, size and modification time, so a solver analysed after every keystroke reads each
// net file once.

import fs from 'node:fs';
import { chooseTopMessage } from '../analysis/model/top-message';
import { parse } from '../parser/parse';

/** The top-level fields that tell a file's message come first: this much of it is read. */
const HEAD_BYTES = 64 * 1024;
/** Files remembered at most; the memory is dropped whole past it. */
const MAX_REMEMBERED = 1000;

const remembered = new Map<string, { size: number; mtimeMs: number; top: string | undefined }>();

/**
 * The message a file holds ('caffe.NetParameter', 'caffe.SolverParameter', 'caffe.LabelMap'), chosen
 * from the top-level fields of its first 64 KB as for any prototxt; undefined when it cannot be read
 * or holds no text.
 */
export function fileTopMessage(file: string): string | undefined {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
  if (!stat?.isFile()) return undefined;
  const known = remembered.get(file);
  if (known && known.size === stat.size && known.mtimeMs === stat.mtimeMs) return known.top;
  const top = readTop(file);
  if (remembered.size >= MAX_REMEMBERED) remembered.clear();
  remembered.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, top });
  return top;
}

function readTop(file: string): string | undefined {
  let head: Buffer;
  try {
    const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    try {
      const buffer = Buffer.alloc(HEAD_BYTES);
      head = buffer.subarray(0, fs.readSync(fd, buffer, 0, HEAD_BYTES, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
  if (head.includes(0)) return undefined; // binary: a .caffemodel named by mistake is not text at all
  const doc = parse(head.toString('utf8'));
  if (doc.fields.length === 0) return undefined;
  return chooseTopMessage(doc).name;
}
