// The net file a solver names (`net`, `train_net`, `test_net`), for the solver's graph: found as Caffe
// would be started to find it (resolveNetFile), read from its open document when there is one (with
// that document's analysis: unsaved edits, learned Python tops) or else from the disk with the schema
// that applies to it.

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { NetModel, Phase } from '../../analysis/model/net';
import { buildNet } from '../../analysis/model/net';
import { chooseTopMessage, notNetWords } from '../../analysis/model/top-message';
import { inferShapes, type ShapeResult } from '../../analysis/shapes';
import type { PhaseGraphs } from '../../analysis/model/net-blobs';
import { parse } from '../../parser/parse';
import type { Schema } from '../../schema/schema';
import { resolveNetFile, triedPlaces, type SolverNet, WINDOWS_READING } from '../../training/solver-nets';
import type { NetFiles } from '../../workspace/net-files';

/** A solver's net file, read: what its graph is drawn from. */
export interface SolverNetFile {
  uri: string;
  /** The path as the solver writes it, and where it was found. */
  label: string;
  syntaxErrors: number;
  schema?: Schema;
  read(phase: Phase): { net: NetModel; shapes: ShapeResult; graphs?: PhaseGraphs };
}

/**
 * The net file `chosen` names, read; a sentence saying why there is none to draw (not found, not
 * readable, or a file that holds a solver or a label map rather than a net).
 */
export function readSolverNetFile(
  chosen: SolverNet & { path: string },
  solverPath: string | undefined,
  files: NetFiles,
): SolverNetFile | string {
  const role = `the net in "${chosen.path}" (${chosen.source})`;
  // An unsaved solver has no folder of its own: its paths are tried from the workspace roots.
  const from = solverPath ?? path.join(files.roots[0] ?? process.cwd(), 'untitled.prototxt');
  const resolution = resolveNetFile(chosen.path, from, files.roots, (f) => files.isFile(f));
  const found = resolution.found;
  if (!found) {
    const looked = triedPlaces(resolution.candidates, (c) => `"${c}"`);
    return `This solver names ${role}, which is not found${looked ? `: looked for ${looked}` : ''}.`;
  }
  const file = found.file;
  const uri = pathToFileURL(file).toString();
  const label = `${chosen.path} (${chosen.source}, found in the ${found.in}${found.windows ? WINDOWS_READING : ''})`;
  const open = files.opened(file);
  if (open) {
    const top = open.analysis.topMessage.name;
    if (notNetWords(top) !== undefined) return notANet(role, top);
    const schema = open.schema.schema;
    return {
      uri,
      label,
      syntaxErrors: open.doc.ast.errors.length,
      schema,
      read: (phase) => {
        const net = open.analysis.net ?? buildNet(open.doc.ast, schema);
        const shapes = open.shapes.inPhase(phase) ?? inferShapes(net, phase, schema);
        const graphs = open.analysis.net === net ? open.analysis.graphs : undefined;
        return { net, shapes, graphs };
      },
    };
  }
  const text = files.read(file);
  if (text === undefined) return `This solver names ${role}, which cannot be read.`;
  const ast = parse(text);
  const schema = files.schemaFor(file);
  const top = chooseTopMessage(ast, schema ? [schema] : []).name;
  if (notNetWords(top) !== undefined) return notANet(role, top);
  return {
    uri,
    label,
    syntaxErrors: ast.errors.length,
    schema,
    read: (phase) => {
      const net = buildNet(ast, schema);
      return { net, shapes: inferShapes(net, phase, schema) };
    },
  };
}

function notANet(role: string, top: string): string {
  const what = notNetWords(top) ?? 'no net';
  return `This solver names ${role}, but that file holds ${what}, not a net: Caffe stops there.`;
}
