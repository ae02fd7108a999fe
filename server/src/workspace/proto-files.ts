// A caffe.proto file as read from disk: its schema and syntax problems with when it was read, and
// what kind of proto it is (a whole schema, or one that only adds to Caffe's); and the protos and Caffe
// checkouts a process has read, kept until they change on disk.

import fs from 'node:fs';
import { isAdditions } from '../schema/additions';
import { checkoutStamp, readCheckout, type CheckoutRead } from '../schema/checkout-layers';
import { caffeRootOf } from '../schema/discovery';
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

/** Protos read (by path, until their modification time or size changes) and what their checkouts say. */
export class ProtoFiles {
  private readonly protos = new Map<string, ReadProtoFile>();
  /** Protos seen to define a net, by path, with when: no proto of additions, and not parsed for that. */
  private readonly netProtos = new Map<string, { mtimeMs: number; size: number }>();
  /** Per Caffe checkout root: what its sources say, and the stamp they were read at. */
  private readonly checkouts = new Map<string, { stamp: string; read: CheckoutRead }>();

  /** The proto at `file`, read or as kept; undefined (and a problem) when it cannot be read. */
  read(file: string, problems: string[]): ReadProtoFile | undefined {
    let stat: fs.Stats;
    let text: string;
    try {
      stat = fs.statSync(file);
      const cached = this.protos.get(file);
      if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached;
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      problems.push(`Cannot read ${file}: ${(error as Error).message}`);
      return undefined;
    }
    const entry = readProtoFile(file, text, stat);
    this.protos.set(file, entry);
    return entry;
  }

  /** A proto read and parsed elsewhere, kept as if read here. */
  adopt(file: string, read: ReadProtoFile): void {
    this.protos.set(file, { ...read });
  }

  /**
   * Whether the proto at `file` only adds to Caffe's schema (read once, then cached). One whose text
   * defines NetParameter is a whole schema: it is not parsed to say so (a fixture's copy of Caffe's
   * proto in a repository would cost a process that never needed a proto parser its construction).
   */
  addsOnly(file: string): boolean {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return false;
    }
    const seen = this.netProtos.get(file);
    if (seen && seen.mtimeMs === stat.mtimeMs && seen.size === stat.size) return false;
    if (!this.protos.has(file) && definesNet(file)) {
      this.netProtos.set(file, { mtimeMs: stat.mtimeMs, size: stat.size });
      return false;
    }
    const read = this.read(file, []);
    return read !== undefined && addsOnly(read);
  }

  /** What the checkout a proto is the schema of says (read again when its sources' folders change). */
  checkout(proto: string): CheckoutRead | undefined {
    const root = caffeRootOf(proto);
    if (root === undefined) return undefined;
    const stamp = checkoutStamp(root);
    const known = this.checkouts.get(root);
    if (known && known.stamp === stamp) return known.read;
    const read = readCheckout(root);
    this.checkouts.set(root, { stamp, read });
    return read;
  }
}
