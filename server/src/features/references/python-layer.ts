// From a Python layer class back to the prototxts: references on the class (in a .py document, or on
// a Python layer's class/module/type in a prototxt) list every prototxt layer of the workspace that
// uses it, open or not.

import { pathToFileURL } from 'node:url';
import type { Location } from 'vscode-languageserver';
import type { PythonLayerUse } from '../../analysis/python-layers';
import type { DocumentStore } from '../../documents';
import type { ClassInfo } from '../../python/module-info';
import type { PrototxtUses, PythonWorkspace } from '../../workspace/python-workspace';
import type { Cursor, Services } from '../context';
import { classAt, openPrototxts } from '../shared/python-classes';
import { targetOf } from '../shared/python-layer-at';

/** Where a use points at in its prototxt: the `layer:` value, else the layer's name, else the layer. */
function useLocation(file: PrototxtUses, use: PythonLayerUse): Location {
  const span = use.className?.span ?? use.layer.nameSpan ?? use.layer.node.nameSpan;
  return { uri: pathToFileURL(file.file).toString(), range: file.lines.rangeOf(span.start, span.end) };
}

async function classReferences(
  python: PythonWorkspace,
  documents: DocumentStore,
  pyFile: string,
  cls: ClassInfo,
  includeDeclaration: boolean,
): Promise<Location[]> {
  const all = await python.prototxtUses(openPrototxts(documents));
  const out = python.usesOfClass(all, pyFile, cls.name).map((u) => useLocation(u.file, u.use));
  if (includeDeclaration) out.unshift({ uri: pathToFileURL(pyFile).toString(), range: cls.nameSpan.range });
  return out;
}

/**
 * References for a Python layer class: from its declaration in a Python document, or from a Python
 * layer's `layer:`/`module:` value or `type: "Python"` in a prototxt. Undefined when the cursor is on
 * neither (the generic references answer then).
 */
export async function pythonLayerReferences(
  cursor: Cursor,
  includeDeclaration: boolean,
  { python, documents }: Services,
): Promise<Location[] | undefined> {
  const { input, offset } = cursor;
  const include = includeDeclaration;
  const file = input.doc.path;
  if (input.doc.languageId === 'python') {
    const cls = file ? classAt(python, file, offset) : undefined;
    if (!file || !cls) return [];
    return classReferences(python, documents, file, cls, include);
  }
  const hit = cursor.pythonUse;
  if (!hit || hit.part === 'name' || hit.part === 'paramStr') return undefined;
  const target = targetOf(input, hit.use, python);
  if (!target?.classFile || !target.cls) return [];
  return classReferences(python, documents, target.classFile, target.cls, include);
}
