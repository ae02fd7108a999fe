// textDocument/references: on a Python layer class (in a .py document, or a Python layer's class,
// module or type in a prototxt) every prototxt layer using it (references/python-layer.ts); on a name,
// every top, bottom and input naming the same blob, every `name:` of a layer with that name, or every
// `param { name: }` sharing that weight name, within the same net. Layer names and shared param names
// are separate namespaces even when they are spelled the same.

import type { Location, ReferenceParams } from 'vscode-languageserver';
import { isDeclaration, occurrenceAt, occurrencesOf } from '../../analysis/model/names';
import { namesOf } from '../shared/name-index';
import { Cursor, type AnalyzedDocument, type Services } from '../context';
import { pythonLayerReferences } from './python-layer';

export async function provideReferences(
  input: AnalyzedDocument,
  params: ReferenceParams,
  services?: Services,
): Promise<Location[] | null> {
  const cursor = new Cursor(input, params.position);
  const withDeclaration = params.context?.includeDeclaration !== false;
  const python = services ? await pythonLayerReferences(cursor, withDeclaration, services) : undefined;
  if (python) return python;
  return input.doc.languageId === 'prototxt' ? nameReferences(input, cursor.offset, withDeclaration) : null;
}

/** The other occurrences of the blob, layer or param name at `offset`; null when there is none. */
export function nameReferences(
  input: AnalyzedDocument,
  offset: number,
  withDeclaration: boolean,
): Location[] | null {
  const { doc } = input;
  const index = namesOf(input);
  const occ = occurrenceAt(index, offset);
  if (!occ) return null;
  return occurrencesOf(index, occ)
    .filter((o) => withDeclaration || !isDeclaration(index, o))
    .map((o) => ({ uri: doc.uri, range: doc.lines.rangeOf(o.value.start, o.value.end) }));
}
