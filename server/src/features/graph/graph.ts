// The `prototxt/graph` request as a pure function: document text -> laid-out graph of one phase.
// The server wires it to the request; the CLI's `graph` command uses it too.

import { buildNet } from '../../analysis/model/net';
import { inferShapes, type PythonTopsLookup } from '../../analysis/shapes';
import { parse } from '../../parser/parse';
import type { Schema } from '../../schema/schema';
import { layoutGraph, stackedLayout } from './layout';
import { buildGraph } from './model';
import type { GraphPhase, LaidOutGraph } from '../../../../common/graph/types';

/**
 * Never rejects: a failure anywhere gives an empty graph with a note saying what went wrong.
 * `pythonTops`: the Python layer tops learned for the document (see analysis/shapes/known-tops.ts).
 */
export async function provideGraph(
  text: string,
  phase: GraphPhase,
  schema?: Schema,
  pythonTops?: PythonTopsLookup,
): Promise<LaidOutGraph> {
  let laid: LaidOutGraph;
  const notes: string[] = [];
  try {
    const doc = parse(text);
    const net = buildNet(doc, schema);
    const shapes = inferShapes(net, phase, schema, undefined, pythonTops ? { pythonTops } : {});
    laid = await layoutGraph(buildGraph(net, phase, shapes));
    const errors = doc.errors.length;
    if (errors > 0) {
      notes.push(
        `${errors} syntax error${errors === 1 ? '' : 's'} in the file: the graph shows the layers that could be read.`,
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
