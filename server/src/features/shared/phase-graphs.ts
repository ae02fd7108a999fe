// The layers of the document's net kept in each phase and their blob graph, made once per document
// version (hover asks for them on every blob and layer name).

import { PhaseGraphs } from '../../analysis/model/net-blobs';
import { DerivedResult, type AnalyzedDocument } from '../context';

const GRAPHS = new DerivedResult<PhaseGraphs | undefined>('phaseGraphs');

/** Undefined when the document is no net. */
export function phaseGraphsOf(input: AnalyzedDocument): PhaseGraphs | undefined {
  return input.derived(GRAPHS, () => (input.analysis.net ? new PhaseGraphs(input.analysis.net) : undefined));
}
