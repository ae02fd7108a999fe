// From a Python layer class back to the prototxts: references on the class (in a .py document, or on
// a Python layer's class/module/type in a prototxt) list every prototxt layer of the workspace that uses
// it, open or not; a code lens above each layer class says how many.

import { pathToFileURL } from 'node:url';
import type { CodeLens, Location, ReferenceParams } from 'vscode-languageserver';
import type { PythonLayerUse } from '../../analysis/python-layers';
import type { ClassInfo } from '../../python/module-info';
import type { PythonIndex } from '../../python/workspace-index';
import type { DocumentStore } from '../../documents';
import { Commands } from '../../../../common/protocol';
import type { PrototxtUses, PythonWorkspace } from '../../workspace/python-workspace';
import type { FeatureInput } from '../context';
import { pythonUseAt, targetOf } from './python-layer-at';

/** The paths and texts of the open prototxt documents (newer than the disk). */
export function openPrototxts(documents: DocumentStore): Map<string, string> {
  const open = new Map<string, string>();
  for (const d of documents.all()) if (d.languageId === 'prototxt' && d.path) open.set(d.path, d.text);
  return open;
}

/** The Python layer uses of the workspace's prototxts, read when first needed (shared by the lenses of one request). */
export type UsesSource = () => Promise<PrototxtUses[]>;

/**
 * The layer classes a Python document declares, with the workspace's prototxt uses; undefined before
 * the index is built or when the document declares none (the uses are then not read).
 */
export async function layerClassesOf(
  input: FeatureInput,
  python: PythonWorkspace,
  uses: UsesSource,
): Promise<{ file: string; index: PythonIndex; classes: ClassInfo[]; all: PrototxtUses[] } | undefined> {
  const file = input.doc.path;
  const index = python.index;
  if (!file || !index || !python.ready) return undefined;
  const classes = index.layerClassesInModule(file);
  if (classes.length === 0) return undefined;
  return { file, index, classes, all: await uses() };
}

/** The class a Python document declares at `offset` (on its name or its `class` line). */
export function classAt(python: PythonWorkspace, file: string, offset: number): ClassInfo | undefined {
  const classes = python.index?.moduleInfo(file)?.classes ?? [];
  return classes.find((c) => offset >= c.span.start && offset <= c.nameSpan.end);
}

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
  input: FeatureInput,
  params: ReferenceParams,
  python: PythonWorkspace,
  documents: DocumentStore,
): Promise<Location[] | undefined> {
  const offset = input.doc.lines.offsetAt(params.position);
  const include = params.context?.includeDeclaration ?? true;
  const file = input.doc.path;
  if (input.doc.languageId === 'python') {
    const cls = file ? classAt(python, file, offset) : undefined;
    if (!file || !cls) return [];
    return classReferences(python, documents, file, cls, include);
  }
  const hit = pythonUseAt(input, offset);
  if (!hit || hit.part === 'name' || hit.part === 'paramStr') return undefined;
  const target = targetOf(input, hit.use, python);
  if (!target?.file || !target.cls) return [];
  return classReferences(python, documents, target.file, target.cls, include);
}

/** One lens above each layer class of a Python document: how many prototxt layers use it. */
export async function pythonClassLenses(
  input: FeatureInput,
  python: PythonWorkspace,
  documents: DocumentStore,
  uses: UsesSource = () => python.prototxtUses(openPrototxts(documents)),
): Promise<CodeLens[]> {
  const found = await layerClassesOf(input, python, uses);
  if (!found) return [];
  const { file, classes, all } = found;
  return classes.map((cls) => {
    const uses = python.usesOfClass(all, file, cls.name);
    const n = uses.length;
    const title =
      n === 0
        ? 'No prototxt layer uses this layer'
        : `${n} prototxt layer${n === 1 ? '' : 's'} use${n === 1 ? 's' : ''} this layer`;
    if (n === 0) return { range: cls.nameSpan.range, command: { title, command: '' } };
    const locations = uses.map(({ file, use }) => ({
      uri: pathToFileURL(file.file).toString(),
      range: file.lines.rangeOf(
        (use.layer.nameSpan ?? use.layer.node).start,
        (use.layer.nameSpan ?? use.layer.node).end,
      ),
    }));
    const args = [input.doc.uri, cls.nameSpan.range.start, locations];
    return {
      range: cls.nameSpan.range,
      command: { title, command: Commands.showReferences, arguments: args },
    };
  });
}
