// The name index of a document version (every blob, layer and param name with its role), made once
// and shared by definition, references and rename: on a large net it is a walk over every layer.

import { indexNames, type NameIndex } from '../../analysis/model/names';
import { DerivedResult, type AnalyzedDocument } from '../context';

const NAMES = new DerivedResult<NameIndex>('nameIndex');

export function namesOf(input: AnalyzedDocument): NameIndex {
  return input.derived(NAMES, () => indexNames(input.analysis));
}
