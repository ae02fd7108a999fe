// Go to definition for Python layers: the `module:` value opens the module file; the `layer:` value,
// the layer's `name` and its `type: "Python"` open the class (also in a module off the search path,
// which its diagnostic asks to add). Consulted before the generic definition.

import { pathToFileURL } from 'node:url';
import type { Location } from 'vscode-languageserver';
import { moduleOffPath } from '../../analysis/python-module-missing';
import type { PythonWorkspace } from '../../workspace/python-workspace';
import type { Cursor } from '../context';
import { prototxtDir, targetOf } from '../shared/python-layer-at';

const FILE_START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * Definition links for a Python layer part under the cursor; undefined when the cursor is not on one
 * (the generic definition answers then), [] when it is on one that does not resolve.
 */
export function pythonLayerDefinition(cursor: Cursor, python: PythonWorkspace): Location[] | undefined {
  const input = cursor.input;
  const hit = cursor.pythonUse;
  if (!hit || hit.part === 'paramStr') return undefined;
  const target = targetOf(input, hit.use, python);
  if (!target?.file && python.index && hit.part !== 'name') {
    // A module off the search path (its diagnostic names the folder to add): the file it would be.
    const off = moduleOffPath(
      hit.use.module?.value,
      hit.use.className?.value,
      python.index,
      prototxtDir(input, python),
    );
    if (off) {
      const uri = pathToFileURL(off.file).toString();
      if (hit.part === 'module') return [{ uri, range: FILE_START }];
      const cls = hit.use.className?.value.trim();
      const found = cls ? python.index.moduleClass(off.file, cls) : undefined;
      return found ? [{ uri: pathToFileURL(found.file).toString(), range: found.cls.nameSpan.range }] : [];
    }
  }
  // The layer name is also a blob-graph name: leave it to the generic definition when no class answers.
  if (!target?.file) return hit.part === 'name' ? undefined : [];
  const uri = pathToFileURL(target.file).toString();
  if (hit.part === 'module') return [{ uri, range: FILE_START }];
  if (!target.cls) return hit.part === 'name' ? undefined : [];
  // The class may be written in another module, which the module imports it from.
  const classUri = pathToFileURL(target.classFile ?? target.file).toString();
  return [{ uri: classUri, range: target.cls.nameSpan.range }];
}
