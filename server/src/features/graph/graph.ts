// `prototxt/graph`: one phase of a net, laid out. The server answers from the document's analysis and
// shapes (with learned Python layer tops); the CLI's `graph` command lays out a text it parses itself.

import type { Phase } from '../../analysis/model/net';
import { buildNet, type NetModel } from '../../analysis/model/net';
import { inferShapes, type ShapeResult } from '../../analysis/shapes';
import type { DocumentNode } from '../../parser/ast';
import { parse } from '../../parser/parse';
import type { Schema } from '../../schema/schema';
import type { AnalyzedDocument } from '../context';
import { uriToPath } from '../../documents';
import { initialPhase, type PhaseChoice, type SolverUsesLookup } from './initial-phase';
import type { DocumentStore } from '../../documents';
import { solverRatesOf, trainingSolver } from '../shared/net-solvers';
import { SOLVER } from '../../analysis/model/top-message';
import { embeddedNet } from '../../analysis/model/embedded-nets';
import { firstField, numberValue } from '../../analysis/model/net-read';
import { solverNets } from '../../training/solver-nets';
import { layoutGraph, stackedLayout } from './layout';
import { markLearning } from './learning';
import { MAX_LAID_OUT_NODES } from './layout-bounds';
import { buildGraph } from './model';
import { partNote } from './part';
import type { PhaseGraphs } from '../../analysis/model/net-blobs';
import type { GraphPhase, LaidOutGraph, NetGraph } from '../../../../common/graph/types';
import type { LayoutRunner } from './layout-runner';
import { readSolverNetFile } from './solver-net-file';
import type { NetFiles } from '../../workspace/net-files';

/** What the graph of a document may consult beyond the document itself. */
export interface GraphContext {
  /** How the workspace's solvers build the file (which phase to open on, whose base_lr). */
  solvers?: SolverUsesLookup;
  /** Open documents, read before the disk (a solver's rates). */
  documents?: DocumentStore;
  /** Lays the graph out off this thread. */
  layouts?: LayoutRunner;
  /** The net files a solver names. */
  netFiles?: NetFiles;
  /** A document offset: the part of a net too large to show whole that holds the layer there. */
  around?: number;
  /** The document `around` is an offset of (default: the one asked about). */
  aroundIn?: string;
}

/**
 * The graph of an open document in `phase`; without one (or with anything but TRAIN and TEST), in the
 * phase the file is used in (see initial-phase.ts; `solvers` tells how the workspace's solvers build
 * the file). Learning nodes get their rate from the solver that trains the net (its open document in
 * `documents` before the disk). Laid out by `layouts` (off this thread) when given. Never rejects;
 * undefined when a newer graph request for the document came in first. (No protocol error is made
 * here: the CLI shares this module and need not load the protocol library.)
 */
export async function provideGraph(
  input: AnalyzedDocument,
  asked?: GraphPhase,
  context: GraphContext = {},
): Promise<LaidOutGraph | undefined> {
  const { solvers, documents, layouts } = context;
  const phase = asked === 'TRAIN' || asked === 'TEST' ? asked : undefined;
  if (input.analysis.topMessage.name === SOLVER) return solverGraph(input, phase, context);
  const around = aroundIn(context, input.doc.uri);
  const readNet = () => input.analysis.net ?? buildNet(input.doc.ast, input.schema.schema);
  const file = uriToPath(input.doc.uri);
  const uses = file && solvers ? solvers.usesOf(file) : [];
  let choice: PhaseChoice | undefined;
  if (phase === undefined) {
    try {
      choice = initialPhase(readNet(), uses);
    } catch {
      // graphOf reads the net again and turns the failure into the graph's note.
    }
  }
  const shown = phase ?? choice?.phase ?? 'TEST';
  const trainer = trainingSolver(uses);
  const learning = {
    schema: input.schema.schema,
    baseLr: trainer ? solverRatesOf(trainer.solver, documents)?.baseLr : undefined,
  };
  const lay = layouts ? (graph: NetGraph) => layouts.layout(input.doc.uri, graph) : layoutGraph;
  const laid = await graphOf(
    shown,
    input.doc.ast.errors.length,
    learning,
    () => {
      const net = readNet();
      const shapes = input.shapes.inPhase(shown) ?? inferShapes(net, shown, input.schema.schema);
      const graphs = input.analysis.net === net ? input.analysis.graphs : undefined;
      return { net, shapes, graphs };
    },
    { around, howToChoose: VIEW_CHOICE },
    lay,
  );
  if (!laid) return undefined;
  return choice ? { ...laid, phaseReason: choice.reason } : laid;
}

/** `context.around` when it is an offset of the document `uri`. */
function aroundIn(context: GraphContext, uri: string): number | undefined {
  return context.aroundIn === undefined || context.aroundIn === uri ? context.around : undefined;
}

/**
 * The graph of a solver: the net it holds in `net_param` (or `train_net_param`), in TRAIN, or with
 * `asked` TEST the one it tests; when its net is a file of its own, that file's net (the answer's
 * `source` names the file its spans are offsets of), or a note saying why it cannot be drawn.
 */
async function solverGraph(
  input: AnalyzedDocument,
  asked: Phase | undefined,
  context: GraphContext,
): Promise<LaidOutGraph | undefined> {
  const phase = asked ?? 'TRAIN';
  const empty = (note: string): LaidOutGraph =>
    stackedLayout({ phase, nodes: [], edges: [], totals: { params: 0, macs: 0, incomplete: 0 } }, note);
  const fields = input.doc.ast.fields;
  const nets = solverNets(fields);
  const chosen = phase === 'TRAIN' ? nets.find((n) => n.train) : nets.find((n) => n.testNets.length > 0);
  const role = phase === 'TRAIN' ? 'trains' : 'tests';
  if (!chosen) return empty(`This solver names no net it ${role}.`);
  const baseLr = numberValue(firstField(fields, 'base_lr')?.value);
  const { layouts } = context;
  const lay = layouts ? (graph: NetGraph) => layouts.layout(input.doc.uri, graph) : layoutGraph;
  const reason = (where: string) => (asked ? undefined : `the net this solver ${role} (${where})`);
  const doc = embeddedNet(chosen.field);
  if (!doc) {
    if (chosen.path === undefined) return empty(`This solver's ${chosen.source} holds no net.`);
    if (!context.netFiles) {
      return empty(
        `This solver ${role} the net in "${chosen.path}" (${chosen.source}): open that file to see its graph.`,
      );
    }
    const file = readSolverNetFile({ ...chosen, path: chosen.path }, input.doc.path, context.netFiles);
    if (typeof file === 'string') return empty(file);
    const laid = await graphOf(
      phase,
      file.syntaxErrors,
      { schema: file.schema, baseLr },
      () => file.read(phase),
      { around: aroundIn(context, file.uri), howToChoose: VIEW_CHOICE },
      lay,
    );
    if (!laid) return undefined;
    const source = { uri: file.uri, label: file.label };
    const why = reason(file.label);
    return why ? { ...laid, source, phaseReason: why } : { ...laid, source };
  }
  const schema = input.schema.schema;
  const net = input.analysis.embeddedNets?.get(chosen.field) ?? buildNet(doc, schema);
  const laid = await graphOf(
    phase,
    input.doc.ast.errors.length,
    { schema, baseLr },
    () => ({
      net,
      shapes: input.analysis.embeddedShapes?.get(net)?.[phase] ?? inferShapes(net, phase, schema),
    }),
    { around: aroundIn(context, input.doc.uri), howToChoose: VIEW_CHOICE },
    lay,
  );
  if (!laid) return undefined;
  const why = reason(chosen.source);
  return why ? { ...laid, phaseReason: why } : laid;
}

/** How the graph view lets the user choose another part of a net too large to show whole. */
const VIEW_CHOICE =
  'Earlier and Later above the graph show the parts before and after it; Around cursor, the part with the layer at the cursor.';

/** Which part of a net too large to lay out whole to show, and how the user chooses another. */
export interface PartChoice {
  /** A document offset: the part holds the layer written there (default: the first part). */
  around?: number;
  /** Or the layer of this name (the CLI's --around). */
  aroundLayer?: string;
  /** The last sentence of the note that says only a part is shown. */
  howToChoose: string;
}

/**
 * The graph of a net's text in `phase`, parsed and inferred here (the CLI has no open document);
 * `around` chooses the part of a net too large to show whole.
 */
export function graphOfText(
  text: string,
  phase: GraphPhase,
  schema?: Schema,
  part: PartChoice = { howToChoose: '' },
): Promise<LaidOutGraph> {
  return graphOfDocument(parse(text), phase, schema, part);
}

/** The graph of a parsed net (a whole file, or the net a solver embeds) in `phase`. */
export async function graphOfDocument(
  doc: DocumentNode,
  phase: GraphPhase,
  schema?: Schema,
  part: PartChoice = { howToChoose: '' },
): Promise<LaidOutGraph> {
  const laid = await graphOf(
    phase,
    doc.errors.length,
    { schema },
    () => {
      const net = buildNet(doc, schema);
      return { net, shapes: inferShapes(net, phase, schema) };
    },
    part,
  );
  return laid as LaidOutGraph; // layoutGraph never drops a layout
}

/**
 * Never rejects: a failure anywhere gives an empty graph with a note saying what went wrong; undefined
 * when `lay` dropped the layout for a newer one.
 */
async function graphOf(
  phase: Phase,
  syntaxErrors: number,
  learning: { schema?: Schema; baseLr?: number },
  read: () => { net: NetModel; shapes: ShapeResult; graphs?: PhaseGraphs },
  part: PartChoice,
  lay: (graph: NetGraph) => Promise<LaidOutGraph | undefined> = layoutGraph,
): Promise<LaidOutGraph | undefined> {
  let laid: LaidOutGraph;
  const notes: string[] = [];
  try {
    const { net, shapes, graphs } = read();
    let around = part.around;
    if (part.aroundLayer !== undefined) {
      around = net.layers.find((l) => l.name === part.aroundLayer)?.node.start;
      if (around === undefined) notes.push(`No layer is named ${part.aroundLayer}.`);
    }
    // Only the part that can be laid out is built: on a net of 100,000 layers the rest would cost
    // seconds and hundreds of MB, to be cut before the layout anyway.
    const graph = buildGraph(net, phase, shapes, {
      maxNodes: MAX_LAID_OUT_NODES,
      around,
      graphs,
    });
    markLearning(graph, net, learning.schema, learning.baseLr);
    const result = await lay(graph);
    if (!result) return undefined;
    laid = graph.part ? { ...result, part: graph.part } : result;
    if (graph.part) notes.push(partNote(graph.part, phase, part.howToChoose).trim());
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
