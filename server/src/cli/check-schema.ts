// A `--schema` file checked before anything else: it must be a readable .proto that parses and defines
// caffe.NetParameter, or only adds to Caffe's messages (read then as the bundled schema with its
// additions, as the editor reads it), else `check` stops with a usage error naming the file and the
// reason. The proto read here is the one the files are then checked against (not read and parsed a
// second time).

import fs from 'node:fs';
import { isAdditions, standingErrors } from '../schema/additions';
import { loadBundledSchema } from '../schema/bundled';
import { readProtoFile, type ReadProtoFile } from '../workspace/proto-files';

/** The schema read from `file` (written as `written`), or why it cannot be the schema. */
export function validateSchemaFile(file: string, written: string): { proto: ReadProtoFile } | string {
  const cannot = (reason: string) => `cannot use --schema ${written}: ${reason}`;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return cannot('no such file');
  }
  if (stat.isDirectory()) return cannot('it is a folder, not a caffe.proto file');
  if (!file.endsWith('.proto'))
    return cannot("not a .proto file (Caffe's schema is src/caffe/proto/caffe.proto)");
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return cannot(`cannot read it: ${(error as Error).message}`);
  }
  if (text.includes('\u0000')) return cannot('a binary file, not a .proto');
  const proto = readProtoFile(file, text, stat);
  const { schema } = proto;
  // Additions may use Caffe's own types (FillerParameter) without defining them.
  const additions = schema.message('caffe.NetParameter') === undefined && isAdditions(schema.data);
  const errors = additions ? standingErrors(proto.errors, loadBundledSchema().data) : proto.errors;
  if (errors.length > 0) {
    const [first] = errors;
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    return cannot(`it does not parse: ${first.line + 1}:${first.character + 1}: ${first.message}${more}`);
  }
  if (!additions && !schema.message('caffe.NetParameter'))
    return cannot(
      'it defines no message caffe.NetParameter and adds nothing to those of package caffe, so it is not a Caffe schema',
    );
  return { proto };
}
