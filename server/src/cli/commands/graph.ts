// `caffe-prototxt graph NET.prototxt [-o net.svg] [--phase TRAIN|TEST]`: the network graph as a
// standalone SVG file (or on stdout without -o).

import fs from 'node:fs/promises';
import path from 'node:path';
import { graphOfText } from '../../features/graph/graph';
import { renderSvg, totalsCaption } from '../../../../common/graph/svg';
import type { GraphPhase } from '../../../../common/graph/types';
import { loadBundledSchema } from '../../schema/bundled';
import type { CliCommand, CliIo } from '../io';

/** What a CLI command may touch: output streams and files (tests pass an in-memory one). */
export interface GraphCommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(file: string): Promise<string>;
  writeFile(file: string, text: string): Promise<void>;
}

export const GRAPH_USAGE = `Usage: caffe-prototxt graph NET.prototxt [-o net.svg] [--phase TRAIN|TEST] [--around LAYER]

Draws the layers of the net kept in the phase (default TEST) as an SVG: layers as boxes with their
top shapes, parameters and MACs; blobs as arrows; in-place layers folded into their producer.
Without -o the SVG is written to standard output. A net too large to lay out whole is drawn in part
(standard error says which): the first part, or with --around the part that holds LAYER.
`;

const CLI_CHOICE = 'Choose another part with --around LAYER.';

/** File access for the command line: paths relative to the CLI's working folder. */
export function fileIo(io: CliIo): GraphCommandIo {
  return {
    stdout: (text) => io.stdout(text),
    stderr: (text) => io.stderr(text),
    readFile: (file) => fs.readFile(path.resolve(io.cwd, file), 'utf8'),
    writeFile: (file, text) => fs.writeFile(path.resolve(io.cwd, file), text, 'utf8'),
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
  phase: GraphPhase;
  around?: string;
}

/** Parses the arguments; a string is the problem to report. */
export function parseGraphArgs(args: readonly string[]): GraphArgs | string | 'help' {
  let input: string | undefined;
  let output: string | undefined;
  let phase: GraphPhase = 'TEST';
  let around: string | undefined;
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
    } else if (a.startsWith('-') && a !== '-') {
      return `unknown option ${a}`;
    } else if (input === undefined) {
      input = a;
    } else {
      return `one net file at a time (got ${input} and ${a})`;
    }
  }
  if (input === undefined) return 'no net file given';
  return { input, output, phase, ...(around === undefined ? {} : { around }) };
}

export async function graphCommand(args: readonly string[], io: GraphCommandIo): Promise<number> {
  const parsed = parseGraphArgs(args);
  if (parsed === 'help') {
    io.stdout(GRAPH_USAGE);
    return 0;
  }
  if (typeof parsed === 'string') {
    io.stderr(`caffe-prototxt graph: ${parsed}\n\n${GRAPH_USAGE}`);
    return 2;
  }
  let text: string;
  try {
    text = await io.readFile(parsed.input);
  } catch (error) {
    io.stderr(`caffe-prototxt graph: cannot read ${parsed.input}: ${message(error)}\n`);
    return 1;
  }
  const laid = await graphOfText(text, parsed.phase, loadBundledSchema(), {
    howToChoose: CLI_CHOICE,
    ...(parsed.around === undefined ? {} : { aroundLayer: parsed.around }),
  });
  for (const note of laid.notes) io.stderr(`${parsed.input}: ${note}\n`);
  const svg = renderSvg(laid, {
    background: true,
    caption: totalsCaption(laid, path.basename(parsed.input)),
  });
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
  io.stderr(`${parsed.output}: ${laid.nodes.length} nodes, ${laid.edges.length} edges (${parsed.phase})\n`);
  return 0;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
