// The blob graphs and shapes of the net a query is in: a net file's are the analysis's own; those of a
// net a solver embeds (`net_param`) are made on first use and kept with that net (its model lives as
// long as the document version's analysis).

import { PhaseGraphs } from '../../analysis/model/net-blobs';
import type { NetModel } from '../../analysis/model/net';
import type { NetShapes } from '../../analysis/shapes/net-shapes';
import type { AnalyzedDocument } from '../context';

const embeddedGraphs = new WeakMap<NetModel, PhaseGraphs>();

/** The layers and blob graph per phase of `net`, a net of the document. */
export function graphsOf(input: AnalyzedDocument, net: NetModel): PhaseGraphs {
  const analysis = input.analysis;
  if (net === analysis.net && analysis.graphs) return analysis.graphs;
  let graphs = embeddedGraphs.get(net);
  if (!graphs) {
    graphs = new PhaseGraphs(net);
    embeddedGraphs.set(net, graphs);
  }
  return graphs;
}

/** The inferred shapes of `net`, a net of the document. */
export function shapesOf(input: AnalyzedDocument, net: NetModel): NetShapes {
  return net === input.analysis.net ? input.shapes.net : input.shapes.embedded(net);
}
