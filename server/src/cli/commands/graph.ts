// `caffe-prototxt graph NET.prototxt [-o net.svg] [--phase TRAIN|TEST] [--schema FILE]`: the network
// graph as a standalone SVG file (or on stdout without -o); given a solver, the graph of its net.

import fs from 'node:fs/promises';
import path from 'node:path';
import { graphOfDocument } from '../../features/graph/graph';
import { renderSvg, totalsCaption } from '../../../../common/graph/svg';
import type { GraphPhase } from '../../../../common/graph/types';
import { chooseTopMessage, NET, SOLVER } from '../../analysis/model/top-message';
import { parse } from '../../parser/parse';
import { toldNotPrototxt } from '../format';
import type { CliCommand, CliIo } from '../io';
import { chooseSchema } from './schema-choice';
import { argvForNetFile, netOfSolver } from './shapes-solver';
import { inputFile, readInput, STDIN_PATH, stdinUsageProblem, withoutStdinName } from '../stdin';

/** What a CLI command may touch: output streams and files (tests pass an in-memory one). */
export interface GraphCommandIo {
  /** The working folder: relative paths, the workspace root (for the schema, a solver's net) start here. */
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(file: string): Promise<string>;
  writeFile(file: string, text: string): Promise<void>;
  /** Everything on standard input, for the net file `-`; absent where there is none to read. */
  readStdin?(): Promise<Buffer>;
}

export const GRAPH_USAGE = `Usage: caffe-prototxt graph NET.prototxt [-o net.svg] [--phase TRAIN|TEST] [--around LAYER]
                             [--schema FILE]
       caffe-prototxt graph [options] [--stdin-name PATH] -

Draws the layers of the net kept in the phase (default TEST) as an SVG: layers as boxes with their
top shapes, parameters and MACs; blobs as arrows; in-place layers folded into their producer.
Without -o the SVG is written to standard output. A net too large to lay out whole is drawn in part
(standard error says which): the first part, or with --around the part that holds LAYER. Given a
solver, it draws the net the solver trains (tests, with --phase TEST), from the file it names or the
net_param it holds. Given -, it reads the net (or solver) from standard input.

Options:
  -o, --output FILE   write the SVG there
  --phase TRAIN|TEST  the net state to draw (default TEST; TRAIN for a solver)
  --around LAYER      of a net too large to draw whole, the part that holds LAYER
  --schema FILE       read the net with this caffe.proto (default: the caffe.proto of the Caffe
                      checkout the file belongs to, as check finds it, else the bundled BVLC schema);
                      bundled:NAME a schema shipped with the tool (see check --help)
  --stdin-name PATH   with -: the text on standard input stands for this file (its caffe.proto and
                      the net files a solver names are found from its folder) and is shown under
                      this name

Exit status: 0 when the graph was written, 1 when a file cannot be read or written (or standard
input holds a binary file) or holds no net (a solver without one, a label map), 2 on bad usage
(standard input cannot be read here or is over 256 MB).
`;

const CLI_CHOICE = 'Choose another part with --around LAYER.';

/** File access for the command line: paths relative to the CLI's working folder. */
export function fileIo(io: CliIo): GraphCommandIo {
  return {
    cwd: io.cwd,
    stdout: (text) => io.stdout(text),
    stderr: (text) => io.stderr(text),
    readFile: (file) => fs.readFile(path.resolve(io.cwd, file), 'utf8'),
    writeFile: (file, text) => fs.writeFile(path.resolve(io.cwd, file), text, 'utf8'),
    ...(io.readStdin ? { readStdin: io.readStdin } : {}),
  };
}

/** The `graph` entry of the CLI's subcommand table. */
export const graphCliCommand: CliCommand = {
  summary: 'draw the network graph of a net as an SVG file',
  usage: GRAPH_USAGE,
  run: (args, io) => graphCommand(args, fileIo(io)),
};

interface GraphArgs {
  input: string;
  output?: string;
  /** Absent when not given: TEST for a net, TRAIN for a solver. */
  phase?: GraphPhase;
  around?: string;
  schema?: string;
  /** With the net file `-`: the file standard input stands for. */
  stdinName?: string;
}

/** Parses the arguments; a string is the problem to report. */
export function parseGraphArgs(args: readonly string[]): GraphArgs | string | 'help' {
  let input: string | undefined;
  let output: string | undefined;
  let phase: GraphPhase | undefined;
  let around: string | undefined;
  let schema: string | undefined;
  let stdinName: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (): string | undefined => args[++i];
    if (a === '-h' || a === '--help') return 'help';
    if (a === '-o' || a === '--output') {
      const v = value();
      if (v === undefined || v === '') return `${a} needs a file name`;
      output = v;
    } else if (a.startsWith('--output=')) {
      output = a.slice('--output='.length);
    } else if (a === '--phase' || a.startsWith('--phase=')) {
      const v = (a === '--phase' ? value() : a.slice('--phase='.length))?.toUpperCase();
      if (v !== 'TRAIN' && v !== 'TEST') return `--phase must be TRAIN or TEST, not ${v ?? 'nothing'}`;
      phase = v;
    } else if (a === '--around' || a.startsWith('--around=')) {
      const v = a === '--around' ? value() : a.slice('--around='.length);
      if (v === undefined || v === '') return `${a.split('=')[0]} needs a layer name`;
      around = v;
    } else if (a === '--schema' || a.startsWith('--schema=')) {
      const v = a === '--schema' ? value() : a.slice('--schema='.length);
      if (v === undefined || v === '') return `${a.split('=')[0]} needs a file`;
      schema = v;
    } else if (a === '--stdin-name' || a.startsWith('--stdin-name=')) {
      const v = a === '--stdin-name' ? value() : a.slice('--stdin-name='.length);
      if (v === undefined || v === '') return '--stdin-name needs a path';
      stdinName = v;
    } else if (a.startsWith('-') && a !== '-') {
      return `unknown option ${a}`;
    } else if (input === undefined) {
      input = a;
    } else {
      return `one net file at a time (got ${input} and ${a})`;
    }
  }
  if (input === undefined) return 'no net file given';
  const stdinProblem = stdinUsageProblem(input === STDIN_PATH ? 1 : 0, stdinName, 'as the net file');
  if (stdinProblem !== undefined) return stdinProblem;
  return {
    input,
    output,
    ...(phase === undefined ? {} : { phase }),
    ...(around === undefined ? {} : { around }),
    ...(schema === undefined ? {} : { schema }),
    ...(stdinName === undefined ? {} : { stdinName }),
  };
}

/** `solver`: the solver whose net file `args` names, when this run follows one. */
export async function graphCommand(
  args: readonly string[],
  io: GraphCommandIo,
  solver?: string,
): Promise<number> {
  const parsed = parseGraphArgs(args);
  if (parsed === 'help') {
    io.stdout(GRAPH_USAGE);
    return 0;
  }
  if (typeof parsed === 'string') {
    io.stderr(`caffe-prototxt graph: ${parsed}\n\n${GRAPH_USAGE}`);
    return 2;
  }
  const { shown, absolute } = inputFile(parsed.input, parsed.stdinName, io.cwd);
  const input = await readInput(parsed.input, absolute, io, () => io.readFile(parsed.input));
  if ('problem' in input) {
    io.stderr(`caffe-prototxt graph: ${input.problem}\n`);
    return input.usage ? 2 : 1;
  }
  const text = input.text;
  const schema = chooseSchema(absolute, parsed.schema, io.cwd);
  if (typeof schema === 'string') {
    io.stderr(`caffe-prototxt graph: ${schema}\n`);
    return 2;
  }
  let doc = parse(text);
  if (toldNotPrototxt(io.stderr, shown, text, doc)) return 1;
  let phase = parsed.phase ?? 'TEST';
  const top = chooseTopMessage(doc, [schema.schema, ...schema.forks.map((f) => f.schema)]).name;
  if (top === SOLVER && solver !== undefined) {
    // A solver naming a solver (or itself) as its net: Caffe would fail to read it as a net.
    io.stderr(`${shown}: the net file of ${solver} holds a solver, not a net: nothing to draw\n`);
    return 1;
  }
  if (top === SOLVER) {
    const chosen = netOfSolver(doc.fields, absolute, io.cwd, parsed.phase);
    if (typeof chosen === 'string') {
      io.stderr(`${shown}: ${chosen}: nothing to draw\n`);
      return 1;
    }
    io.stderr(`${shown}: graph of ${chosen.why}\n`);
    if (chosen.kind === 'file') {
      return graphCommand(argvForNetFile(withoutStdinName(args), parsed.input, chosen, io.cwd), io, shown);
    }
    // The solver's syntax errors are the embedded net's too.
    doc = { ...chosen.doc, errors: doc.errors };
    phase = chosen.phase;
  } else if (top !== NET) {
    io.stderr(`${shown}: holds a ${top}, not a net: nothing to draw\n`);
    return 1;
  }
  const laid = await graphOfDocument(doc, phase, schema.schema, {
    howToChoose: CLI_CHOICE,
    ...(parsed.around === undefined ? {} : { aroundLayer: parsed.around }),
  });
  for (const note of laid.notes) io.stderr(`${shown}: ${note}\n`);
  const svg = renderSvg(laid, { background: true, caption: totalsCaption(laid, path.basename(shown)) });
  if (parsed.output === undefined || parsed.output === '-') {
    io.stdout(`${svg}\n`);
    return 0;
  }
  try {
    await io.writeFile(parsed.output, `${svg}\n`);
  } catch (error) {
    io.stderr(`caffe-prototxt graph: cannot write ${parsed.output}: ${message(error)}\n`);
    return 1;
  }
  io.stderr(`${parsed.output}: ${laid.nodes.length} nodes, ${laid.edges.length} edges (${phase})\n`);
  return 0;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
