// The schema a command reads one net with: the caffe.proto given with --schema (with a proto of
// additions the file's repository holds), else the proto of the Caffe checkout the file belongs to
// within its workspace root (`check`'s and the editor's choice), else the bundled BVLC schema.

import path from 'node:path';
import { SchemaProvider, type SchemaForDocument } from '../../workspace/schema-provider';
import { isBundledSetting } from '../../workspace/bundled-choices';
import { workspaceRootOf } from '../check-workspace';

/**
 * The schema for `file` (in the workspace root `explicitRoot` when given, else the one `check` takes); a
 * string says why the --schema file `given` cannot be used.
 */
export function chooseSchema(
  file: string,
  given: string | undefined,
  cwd: string,
  explicitRoot?: string,
): SchemaForDocument | string {
  const root = workspaceRootOf(file, cwd, explicitRoot);
  if (given === undefined)
    return new SchemaProvider({ paths: [], autoDiscover: true }, [root]).schemaFor(file);
  // Discovery stays on for a proto of additions the file's repository holds: it goes into the one given.
  const proto = isBundledSetting(given) ? given : path.resolve(cwd, given);
  const choice = new SchemaProvider({ paths: [proto], autoDiscover: true }, [root]).schemaFor(file);
  return choice.origin === 'configured'
    ? choice
    : `cannot use --schema ${given}: ${choice.problems.join('; ')}`;
}
