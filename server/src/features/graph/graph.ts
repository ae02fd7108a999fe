// `prototxt/graph`: one phase of a net, laid out. The server answers from the document's analysis and
// shapes (with learned Python layer tops); the CLI's `graph` command lays out a text it parses itself.

import type { Phase } from '../../analysis/model/net';
import { buildNet, type NetModel } from '../../analysis/model/net';
import { inferShapes, type ShapeResult } from '../../analysis/shapes';
import { parse } from '../../parser/parse';
import type { Schema } from '../../schema/schema';
import type { AnalyzedDocument, Services } from '../context';
import { solverRatesOf, solverUsesOf, trainingSolver } from '../shared/net-solvers';
import { layoutGraph, stackedLayout } from './layout';
import { markLearning } from './learning';
import { buildGraph } from './model';
import type { GraphPhase, LaidOutGraph } from '../../../../common/graph/types';

/**
 * The graph of an open document in `phase`, with each node's rate when a workspace solver trains the
 * net (`services`). Never rejects (see graphOf).
 */
export function provideGraph(
  input: AnalyzedDocument,
  phase: GraphPhase,
  services?: Services,
): Promise<LaidOutGraph> {
  const schema = input.schema.schema;
  const use = trainingSolver(solverUsesOf(input, services));
  const baseLr = use ? solverRatesOf(use.solver, services)?.baseLr : undefined;
  return graphOf(phase, input.doc.ast.errors.length, { schema, baseLr }, () => {
    const net = input.analysis.net ?? buildNet(input.doc.ast, schema);
    return { net, shapes: input.shapes.inPhase(phase) ?? inferShapes(net, phase, schema) };
  });
}

/** The graph of a net's text in `phase`, parsed and inferred here (the CLI has no open document). */
export function graphOfText(text: string, phase: GraphPhase, schema?: Schema): Promise<LaidOutGraph> {
  const doc = parse(text);
  return graphOf(phase, doc.errors.length, { schema }, () => {
    const net = buildNet(doc, schema);
    return { net, shapes: inferShapes(net, phase, schema) };
  });
}

/** Never rejects: a failure anywhere gives an empty graph with a note saying what went wrong. */
async function graphOf(
  phase: Phase,
  syntaxErrors: number,
  learning: { schema?: Schema; baseLr?: number },
  read: () => { net: NetModel; shapes: ShapeResult },
): Promise<LaidOutGraph> {
  let laid: LaidOutGraph;
  const notes: string[] = [];
  try {
    const { net, shapes } = read();
    const graph = buildGraph(net, phase, shapes);
    markLearning(graph, net, learning.schema, learning.baseLr);
    laid = await layoutGraph(graph);
    if (syntaxErrors > 0) {
      notes.push(
        `${syntaxErrors} syntax error${syntaxErrors === 1 ? '' : 's'} in the file: the graph shows the layers that could be read.`,
      );
    }
    if (net.layers.length === 0 && net.inputs.length === 0) notes.push('This file declares no layers.');
    else if (laid.nodes.length === 0) notes.push(`No layer of this net is kept in phase ${phase}.`);
  } catch (error) {
    laid = stackedLayout(
      { phase, nodes: [], edges: [], totals: { params: 0, macs: 0, incomplete: 0 } },
      `The graph could not be built: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return { ...laid, notes: [...notes, ...laid.notes] };
}
