// `caffe-prototxt shapes NET.prototxt [--phase TRAIN|TEST] [--json] [--schema FILE] [--run-python
// [--python PATH]]`: every layer Caffe keeps in the phase with its top shapes, learnable parameters and
// multiply-accumulates, and the totals; with --run-python, Python layers' tops from running reshape.

import { maxOf } from '../../../../common/arrays';
import fs from 'node:fs';
import { analyze } from '../../analysis/analyze';
import { buildNet } from '../../analysis/model/net';
import { SOLVER } from '../../analysis/model/top-message';
import type { AnalysisDiagnostic } from '../../analysis/diagnostic';
import type { NetModel, Phase } from '../../analysis/model/net';
import {
  formatShape,
  inferShapes,
  isUnknownShape,
  type Shape,
  type ShapeResult,
} from '../../analysis/shapes';
import { AUTOMATIC_TOP } from '../../analysis/shapes/automatic-tops';
import { parseInputShape, type StatedShape } from '../../analysis/shapes/input-shapes';
import { formatBytes, memoryOf, mergedByUpgrade } from '../../analysis/shapes/memory';
import { findPython } from '../../../../common/run/find-python';
import { parse } from '../../parser/parse';
import type { SchemaForDocument } from '../../workspace/schema-provider';
import { formatText, toldNotPrototxt, toCliDiagnostics } from '../format';
import type { CliCommand, CliIo } from '../io';
import { statedInputs } from './shapes-inputs';
import { chooseSchema } from './schema-choice';
import { argvForNetFile, netOfSolver } from './shapes-solver';
import { learnPythonTops } from './shapes-python';
import { inputFile, readInput, STDIN_PATH, stdinUsageProblem, withoutStdinName } from '../stdin';
import { grouped } from '../../../../common/numbers';

const USAGE = `Usage: caffe-prototxt shapes [--phase TRAIN|TEST] [--json] [--schema FILE]
                             [--input-shape NAME=DIMS ...]
                             [--run-python [--python PATH] [--timeout SECONDS]] NET.prototxt
       caffe-prototxt shapes [options] [--stdin-name PATH] -

Infers the blob shapes of a net with Caffe's own arithmetic and prints every layer kept in the phase
with its top shapes, learnable parameters (weights and biases; BatchNorm statistics are not learnable)
and multiply-accumulates for one forward pass, then the totals. A shape that cannot be known statically
(a Python layer, an unknown layer type, a data layer whose size comes from its files) is shown as ?,
and inference goes on past it. Given a solver, it reads the net the solver trains (tests, with
--phase TEST), from the file it names or the net_param it holds. Given -, it reads the net (or
solver) from standard input.

Options:
  --phase TRAIN|TEST  the net state to infer (default: the file's state { phase }, else TEST)
  --json              { "layers": [{ "name", "type", "tops": [{ "name", "shape": [..] | null,
                      "source"? }], "params", "macs", "topBytes" }], "totals": { "params", "macs",
                      "dataBytes", "paramBytes", "trainingBytes" } }; null when unknown; a layer
                      whose named params an earlier layer declared has "sharedParams": true and is
                      not counted again in the totals. dataBytes is Caffe's "Memory required for
                      data" (float32 tops of every layer, the Split layers Caffe inserts included);
                      topBytes are per listed layer, so they need not add up to it
  --schema FILE       read parameter defaults from this caffe.proto (default: the caffe.proto of
                      the Caffe checkout the file belongs to, as check finds it, else the bundled
                      BVLC schema); bundled:NAME a schema shipped with the tool (see check --help)
  --input-shape NAME=DIMS
                      the shape of an input blob, e.g. data=64,3,224,224 (repeatable): replaces
                      what the data or Input layer making NAME gives. The file can say the same
                      in a comment line: # input-shape: data=64,3,224,224. A data layer whose
                      image size stays unknown takes C×H×W from a deploy net beside the file that
                      declares an input of the same name. Where a stated shape came from is printed
  --run-python        run setup and reshape of each Python layer (upstream first) through the layer
                      harness to learn its top shapes; a layer whose bottoms stay unknown or whose
                      run fails keeps ? (the reason is printed to standard error). This executes the
                      layers' Python code.
  --python PATH       the interpreter for --run-python (default: the first of python3, python and
                      /usr/bin/python3 that imports numpy)
  --timeout SECONDS   the limit of each Python layer's run (default 60)
  --stdin-name PATH   with -: the text on standard input stands for this file (its caffe.proto,
                      the net files a solver names, a deploy net beside it, the Python modules of
                      --run-python are found from its folder) and is shown under this name
  -h, --help          show this text

Problems found on the way (syntax errors, shapes that do not fit) are printed to standard error.
Exit status: 0 when the net was read (whatever could be inferred is printed), 1 when the file cannot
be read (or standard input holds a binary file), has syntax errors or holds no net (a solver without
one, a label map), 2 on bad usage (standard input cannot be read here or is over 256 MB).
`;

interface ShapesArgs {
  file: string;
  phase?: Phase;
  json: boolean;
  schema?: string;
  runPython: boolean;
  python?: string;
  timeoutSeconds: number;
  inputShapes: Map<string, StatedShape>;
  /** With the file `-`: the file standard input stands for. */
  stdinName?: string;
}

export function parseShapesArgs(args: readonly string[]): ShapesArgs | { help: true } | { problem: string } {
  let file: string | undefined;
  let phase: Phase | undefined;
  let json = false;
  let schema: string | undefined;
  let runPython = false;
  let python: string | undefined;
  let timeoutSeconds = 60;
  let stdinName: string | undefined;
  const inputShapes = new Map<string, StatedShape>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const [flag, inline] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    if (flag === '-h' || flag === '--help') return { help: true };
    if (flag === '--json' && inline === undefined) json = true;
    else if (flag === '--run-python' && inline === undefined) runPython = true;
    else if (flag === '--python') {
      const v = value();
      if (v === undefined || v === '') return { problem: '--python needs an interpreter path' };
      python = v;
    } else if (flag === '--timeout') {
      const v = value();
      const n = Number(v);
      if (v === undefined || v.trim() === '' || !Number.isFinite(n) || n <= 0)
        return { problem: `--timeout needs a positive number of seconds, not ${v ?? 'nothing'}` };
      timeoutSeconds = n;
    } else if (flag === '--input-shape') {
      const parsed = parseInputShape(value() ?? '');
      if (typeof parsed === 'string') return { problem: `--input-shape: ${parsed}` };
      inputShapes.set(parsed.name, { shape: parsed.shape, source: '--input-shape' });
    } else if (flag === '--phase') {
      const v = value()?.toUpperCase();
      if (v !== 'TRAIN' && v !== 'TEST')
        return { problem: `--phase must be TRAIN or TEST, not ${v ?? 'nothing'}` };
      phase = v;
    } else if (flag === '--schema') {
      const v = value();
      if (v === undefined || v === '') return { problem: '--schema needs a file' };
      schema = v;
    } else if (flag === '--stdin-name') {
      const v = value();
      if (v === undefined || v === '') return { problem: '--stdin-name needs a path' };
      stdinName = v;
    } else if (flag.startsWith('-') && flag !== '-') return { problem: `unknown option ${arg}` };
    else if (file !== undefined) return { problem: `one net at a time (got ${file} and ${arg})` };
    else file = arg;
  }
  if (file === undefined) return { problem: 'no NET.prototxt given' };
  if (!runPython && python !== undefined) return { problem: '--python is only used with --run-python' };
  const stdinProblem = stdinUsageProblem(file === STDIN_PATH ? 1 : 0, stdinName, 'as the NET');
  if (stdinProblem !== undefined) return { problem: stdinProblem };
  return { file, phase, json, schema, runPython, python, timeoutSeconds, inputShapes, stdinName };
}

export const shapesCommand: CliCommand = {
  summary: 'print the blob shapes, parameters and MACs of a net',
  usage: USAGE,
  run: (argv, io) => runShapes(argv, io),
};

/** `solver`: the solver whose net file `argv` names, when this run follows one. */
async function runShapes(argv: readonly string[], io: CliIo, solver?: string): Promise<number> {
  const args = parseShapesArgs(argv);
  if ('help' in args) {
    io.stdout(USAGE);
    return 0;
  }
  if ('problem' in args) {
    io.stderr(`caffe-prototxt shapes: ${args.problem}\n\n${USAGE}`);
    return 2;
  }
  const { shown, absolute } = inputFile(args.file, args.stdinName, io.cwd);
  const schema = chooseSchema(absolute, args.schema, io.cwd);
  if (typeof schema === 'string') {
    io.stderr(`caffe-prototxt shapes: ${schema}\n`);
    return 2;
  }
  const input = await readInput(args.file, absolute, io, (file) => fs.readFileSync(file, 'utf8'));
  if ('problem' in input) {
    io.stderr(`caffe-prototxt shapes: ${input.problem}\n`);
    return input.usage ? 2 : 1;
  }
  const text = input.text;
  const doc = parse(text);
  if (toldNotPrototxt(io.stderr, shown, text, doc)) return 1;
  const analysis = analyze(text, doc, {
    schema: schema.schema,
    schemaKind: schema.kind,
    forks: schema.forks,
  });
  const syntax = analysis.diagnostics.filter((d) => d.code === 'syntax');
  if (!analysis.net && analysis.topMessage.name === SOLVER) {
    if (solver !== undefined) {
      // A solver naming a solver (or itself) as its net: Caffe would fail to read it as a net.
      io.stderr(`${shown}: the net file of ${solver} holds a solver, not a net: nothing to infer\n`);
      return 1;
    }
    const chosen = netOfSolver(analysis.ast.fields, absolute, io.cwd, args.phase);
    if (typeof chosen === 'string') {
      io.stderr(`${shown}: ${chosen}: nothing to infer\n`);
      return 1;
    }
    io.stderr(`${shown}: shapes of ${chosen.why}\n`);
    if (chosen.kind === 'file') {
      return runShapes(argvForNetFile(withoutStdinName(argv), args.file, chosen, io.cwd), io, shown);
    }
    analysis.net = buildNet(chosen.doc, schema.schema);
    args.phase = chosen.phase;
  }
  if (!analysis.net) {
    io.stderr(`${shown}: holds a ${analysis.topMessage.name}, not a net: nothing to infer\n`);
    return 1;
  }
  const phase = args.phase ?? analysis.net.state.phase ?? 'TEST';
  const inputShapes = statedInputs(analysis.net, schema.schema, absolute, args.inputShapes);
  const print = (result: ShapeResult): number => {
    const problems: AnalysisDiagnostic[] = [...syntax, ...result.problems].sort((a, b) => a.start - b.start);
    if (problems.length > 0)
      io.stderr(formatText({ path: shown, diagnostics: toCliDiagnostics(text, problems) }));
    io.stdout(args.json ? JSON.stringify(shapesJson(result), null, 2) + '\n' : shapesTable(result, shown));
    return syntax.length > 0 ? 1 : 0;
  };
  if (args.runPython) {
    return withPython(analysis.net, phase, schema, absolute, { ...args, inputShapes }, io).then((r) =>
      typeof r === 'number' ? r : print(r),
    );
  }
  return print(inferShapes(analysis.net, phase, schema.schema, undefined, { inputShapes }));
}

/**
 * Shapes with the Python layers' tops learned by running them. Without an interpreter that imports
 * numpy: static shapes, or exit status 2 when the one given with --python cannot be used.
 */
async function withPython(
  net: NetModel,
  phase: Phase,
  schema: SchemaForDocument,
  file: string,
  args: ShapesArgs,
  io: CliIo,
): Promise<ShapeResult | number> {
  const say = (message: string) => io.stderr(`caffe-prototxt shapes: ${message}\n`);
  const found = await findPython({ explicit: args.python });
  if (!found.ok) {
    if (args.python !== undefined) {
      say(found.message);
      return 2;
    }
    say(`${found.message}; the Python layers' tops stay unknown`);
    return inferShapes(net, phase, schema.schema, undefined, { inputShapes: args.inputShapes });
  }
  say(found.message);
  const { pythonTops } = await learnPythonTops(net, phase, {
    python: found.python,
    file,
    cwd: io.cwd,
    timeoutMs: args.timeoutSeconds * 1000,
    schema: schema.schema,
    inputShapes: args.inputShapes,
    log: say,
  });
  const inputShapes = args.inputShapes;
  return inferShapes(
    net,
    phase,
    schema.schema,
    undefined,
    pythonTops ? { pythonTops, inputShapes } : { inputShapes },
  );
}

export interface ShapesJson {
  layers: {
    name: string;
    type: string;
    /**
     * Dims outermost first, NaN for a dim nothing tells (null in the JSON text); null when nothing of
     * the shape is known. `source`: where a shape stated for an input came from (--input-shape, a
     * comment, a deploy net).
     */
    tops: { name: string; shape: readonly number[] | null; source?: string }[];
    params: number | null;
    macs: number | null;
    /** Bytes of the layer's tops (float32); null when a top is unknown. */
    topBytes: number | null;
    sharedParams?: true;
  }[];
  totals: {
    params: number;
    macs: number;
    /** Caffe's "Memory required for data" (Split tops included); null when a shape is unknown. */
    dataBytes: number | null;
    /** Every parameter blob Caffe allocates, BatchNorm statistics included. */
    paramBytes: number | null;
    /** Estimate of training: data and diffs, in-place layers sharing, parameters and their diffs. */
    trainingBytes: number | null;
  };
}

/** The layers Caffe lists for the net: the legacy `input` layer first, V0 padding merged away. */
export function shapesJson(result: ShapeResult): ShapesJson {
  const memory = memoryOf(result);
  const input: ShapesJson['layers'] = result.inputs.length
    ? [
        {
          name: 'input',
          type: 'Input',
          tops: [...result.inputs],
          params: 0,
          macs: 0,
          topBytes: memory.inputBytes,
        },
      ]
    : [];
  return {
    layers: [
      ...input,
      ...result.layers.flatMap((l, i) =>
        mergedByUpgrade(l.layer)
          ? []
          : [
              {
                name: l.layer.name,
                type: l.layer.type,
                tops: [
                  ...l.layer.tops.map((t, k) => {
                    const source = l.topSources?.[k];
                    return { name: t.name, shape: knownShape(l.tops[k]), ...(source ? { source } : {}) };
                  }),
                  ...l.automaticTops.map((shape) => ({ name: AUTOMATIC_TOP, shape })),
                ],
                params: l.params,
                macs: l.macs,
                topBytes: memory.topBytes[i],
                ...(l.sharedParams ? { sharedParams: true as const } : {}),
              },
            ],
      ),
    ],
    totals: {
      params: result.totals.params,
      macs: result.totals.macs,
      dataBytes: memory.dataBytes,
      paramBytes: memory.paramBytes,
      trainingBytes: memory.trainingBytes,
    },
  };
}

/** A shape with a known dim, else null (a shape of unknown dims only says nothing). */
function knownShape(shape: Shape | null | undefined): Shape | null {
  return shape === undefined || shape === null || isUnknownShape(shape) ? null : shape;
}

/** An aligned table: layer, type, tops with shapes, params, MACs, top memory; then the totals. */
export function shapesTable(result: ShapeResult, file: string): string {
  const json = shapesJson(result);
  const header = ['layer', 'type', 'tops', 'params', 'MACs', 'top memory'];
  const rows = json.layers.map((l) => [
    l.name === '' ? '(unnamed)' : l.name,
    l.type === '' ? '?' : l.type,
    l.tops.map((t) => `${t.name} ${formatShape(t.shape)}`).join(', '),
    l.sharedParams ? `(shared) ${count(l.params)}` : count(l.params),
    count(l.macs),
    formatBytes(l.topBytes),
  ]);
  const t = json.totals;
  const totals = ['total', '', '', count(t.params), count(t.macs), ''];
  const widths = header.map((h, c) => maxOf([h.length, totals[c].length, ...rows.map((r) => r[c].length)]));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c >= 3 ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd() + '\n';
  let out = `${file} (${result.phase}): ${rows.length} layer${rows.length === 1 ? '' : 's'}\n`;
  out += line(header) + rows.map(line).join('') + line(totals);
  const notes: string[] = [];
  if (result.totals.incomplete > 0) {
    notes.push(`${result.totals.incomplete} layer(s) with unknown parameters or MACs are not in the totals`);
  }
  if (result.totals.stats > 0)
    notes.push(`plus ${count(result.totals.stats)} BatchNorm statistics (not learnable)`);
  for (const l of json.layers)
    for (const top of l.tops)
      if (top.source) notes.push(`${top.name} ${formatShape(top.shape)}: from ${top.source}`);
  notes.push(memoryNote(t));
  return out + notes.map((n) => `${n}\n`).join('');
}

function memoryNote(t: ShapesJson['totals']): string {
  if (t.dataBytes === null) return 'memory: unknown while some shapes are unknown';
  return (
    `memory (float32): data ${count(t.dataBytes)} bytes (${formatBytes(t.dataBytes)}; Caffe's "Memory required ` +
    `for data", its Split layers included), parameters ${formatBytes(t.paramBytes)}, training about ` +
    `${formatBytes(t.trainingBytes)} (data, diffs and parameters; no solver history)`
  );
}

function count(n: number | null): string {
  return n === null ? '?' : grouped(n);
}
