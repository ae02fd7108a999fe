// The layer classes of a Python document and the workspace's prototxts that use them: what references
// on a class and the lenses above it read.

import type { ClassInfo } from '../../python/module-info';
import type { PythonIndex } from '../../python/workspace-index';
import type { DocumentStore } from '../../documents';
import type { PrototxtUses, PythonWorkspace } from '../../workspace/python-workspace';
import type { AnalyzedDocument } from '../../workspace/analyses';

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
  input: AnalyzedDocument,
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
