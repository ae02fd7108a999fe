// Find references: every top, bottom and input naming the same blob, every `name:` of a layer with
// that name, or every `param { name: }` sharing that weight name, within the same net. Layer names
// and shared param names are separate namespaces even when they are spelled the same.

import type { Location, ReferenceParams } from 'vscode-languageserver';
import { indexNames, isDeclaration, occurrenceAt, occurrencesOf } from '../../analysis/model/names';
import type { FeatureInput } from '../context';

export function provideReferences(input: FeatureInput, params: ReferenceParams): Location[] | null {
  const { doc } = input;
  const index = indexNames(input.analysis);
  const occ = occurrenceAt(index, doc.lines.offsetAt(params.position));
  if (!occ) return null;
  const withDeclaration = params.context?.includeDeclaration !== false;
  return occurrencesOf(index, occ)
    .filter((o) => withDeclaration || !isDeclaration(index, o))
    .map((o) => ({ uri: doc.uri, range: doc.lines.rangeOf(o.value.start, o.value.end) }));
}
