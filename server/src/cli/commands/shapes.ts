// `caffe-prototxt shapes NET.prototxt [--phase TRAIN|TEST] [--json] [--schema FILE] [--run-python
// [--python PATH]]`: every layer Caffe keeps in the phase with its top shapes, learnable parameters and
// multiply-accumulates, and the totals; with --run-python, Python layers' tops from running reshape.

import { maxOf } from '../../../../common/arrays';
import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../../analysis/analyze';
import type { AnalysisDiagnostic } from '../../analysis/diagnostic';
import type { NetModel, Phase } from '../../analysis/model/net';
import { formatShape, inferShapes, type ShapeResult } from '../../analysis/shapes';
import { findPython } from '../../../../common/run/find-python';
import { parse } from '../../parser/parse';
import { SchemaProvider, type SchemaForDocument } from '../../workspace/schema-provider';
import { formatText, toCliDiagnostics } from '../format';
import type { CliCommand, CliIo } from '../io';
import { learnPythonTops } from './shapes-python';

const USAGE = `Usage: caffe-prototxt shapes [--phase TRAIN|TEST] [--json] [--schema FILE]
                             [--run-python [--python PATH] [--timeout SECONDS]] NET.prototxt

Infers the blob shapes of a net with Caffe's own arithmetic and prints every layer kept in the phase
with its top shapes, learnable parameters (weights and biases; BatchNorm statistics are not learnable)
and multiply-accumulates for one forward pass, then the totals. A shape that cannot be known statically
(a Python layer, an unknown layer type, a data layer whose size comes from its files) is shown as ?,
and inference goes on past it.

Options:
  --phase TRAIN|TEST  the net state to infer (default: the file's state { phase }, else TEST)
  --json              { "layers": [{ "name", "type", "tops": [{ "name", "shape": [..] | null }],
                      "params", "macs" }], "totals": { "params", "macs" } }; params and macs are null
                      when unknown; a layer whose named params an earlier layer declared has
                      "sharedParams": true and is not counted again in the totals
  --schema FILE       read parameter defaults from this caffe.proto (default: the nearest caffe.proto
                      beside the file, else the bundled BVLC schema)
  --run-python        run setup and reshape of each Python layer (upstream first) through the layer
                      harness to learn its top shapes; a layer whose bottoms stay unknown or whose
                      run fails keeps ? (the reason is printed to standard error). This executes the
                      layers' Python code.
  --python PATH       the interpreter for --run-python (default: the first of python3, python and
                      /usr/bin/python3 that imports numpy)
  --timeout SECONDS   the limit of each Python layer's run (default 60)
  -h, --help          show this text

Problems found on the way (syntax errors, shapes that do not fit) are printed to standard error.
Exit status: 0 when the net was read (whatever could be inferred is printed), 1 when the file cannot
be read, has syntax errors or holds no net (a solver, a label map), 2 on bad usage.
`;

interface ShapesArgs {
  file: string;
  phase?: Phase;
  json: boolean;
  schema?: string;
  runPython: boolean;
  python?: string;
  timeoutSeconds: number;
}

export function parseShapesArgs(args: readonly string[]): ShapesArgs | { help: true } | { problem: string } {
  let file: string | undefined;
  let phase: Phase | undefined;
  let json = false;
  let schema: string | undefined;
  let runPython = false;
  let python: string | undefined;
  let timeoutSeconds = 60;
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
    } else if (flag === '--phase') {
      const v = value()?.toUpperCase();
      if (v !== 'TRAIN' && v !== 'TEST')
        return { problem: `--phase must be TRAIN or TEST, not ${v ?? 'nothing'}` };
      phase = v;
    } else if (flag === '--schema') {
      const v = value();
      if (v === undefined || v === '') return { problem: '--schema needs a file' };
      schema = v;
    } else if (flag.startsWith('-') && flag !== '-') return { problem: `unknown option ${arg}` };
    else if (file !== undefined) return { problem: `one net at a time (got ${file} and ${arg})` };
    else file = arg;
  }
  if (file === undefined) return { problem: 'no NET.prototxt given' };
  if (!runPython && python !== undefined) return { problem: '--python is only used with --run-python' };
  return { file, phase, json, schema, runPython, python, timeoutSeconds };
}

export const shapesCommand: CliCommand = {
  summary: 'print the blob shapes, parameters and MACs of a net',
  usage: USAGE,
  run(argv: readonly string[], io: CliIo): number | Promise<number> {
    const args = parseShapesArgs(argv);
    if ('help' in args) {
      io.stdout(USAGE);
      return 0;
    }
    if ('problem' in args) {
      io.stderr(`caffe-prototxt shapes: ${args.problem}\n\n${USAGE}`);
      return 2;
    }
    const absolute = path.resolve(io.cwd, args.file);
    const schema = chooseSchema(absolute, args.schema, io.cwd);
    if (typeof schema === 'string') {
      io.stderr(`caffe-prototxt shapes: ${schema}\n`);
      return 2;
    }
    let text: string;
    try {
      text = fs.readFileSync(absolute, 'utf8');
    } catch (error) {
      io.stderr(`caffe-prototxt shapes: cannot read ${args.file}: ${(error as Error).message}\n`);
      return 1;
    }
    const analysis = analyze(text, parse(text), {
      schema: schema.schema,
      schemaKind: schema.kind,
      forks: schema.forks,
    });
    const syntax = analysis.diagnostics.filter((d) => d.code === 'syntax');
    if (!analysis.net) {
      io.stderr(`${args.file}: holds a ${analysis.topMessage.name}, not a net: nothing to infer\n`);
      return 1;
    }
    const phase = args.phase ?? analysis.net.state.phase ?? 'TEST';
    const print = (result: ShapeResult): number => {
      const problems: AnalysisDiagnostic[] = [...syntax, ...result.problems].sort(
        (a, b) => a.start - b.start,
      );
      if (problems.length > 0)
        io.stderr(formatText({ path: args.file, diagnostics: toCliDiagnostics(text, problems) }));
      io.stdout(
        args.json ? JSON.stringify(shapesJson(result), null, 2) + '\n' : shapesTable(result, args.file),
      );
      return syntax.length > 0 ? 1 : 0;
    };
    if (args.runPython) {
      return withPython(analysis.net, phase, schema, absolute, args, io).then((r) =>
        typeof r === 'number' ? r : print(r),
      );
    }
    return print(inferShapes(analysis.net, phase, schema.schema));
  },
};

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
    return inferShapes(net, phase, schema.schema);
  }
  say(found.message);
  const { pythonTops } = await learnPythonTops(net, phase, {
    python: found.python,
    file,
    cwd: io.cwd,
    timeoutMs: args.timeoutSeconds * 1000,
    schema: schema.schema,
    log: say,
  });
  return inferShapes(net, phase, schema.schema, undefined, pythonTops ? { pythonTops } : {});
}

/** The --schema proto, else the provider's choice for the file (nearest caffe.proto, else bundled). */
function chooseSchema(file: string, given: string | undefined, cwd: string): SchemaForDocument | string {
  if (given === undefined) {
    return new SchemaProvider({ paths: [], autoDiscover: true }, [path.dirname(file)]).schemaFor(file);
  }
  const proto = path.resolve(cwd, given);
  const choice = new SchemaProvider({ paths: [proto], autoDiscover: false }, [cwd]).schemaFor(file);
  return choice.origin === 'configured'
    ? choice
    : `cannot use --schema ${given}: ${choice.problems.join('; ')}`;
}

export interface ShapesJson {
  layers: {
    name: string;
    type: string;
    tops: { name: string; shape: readonly number[] | null }[];
    params: number | null;
    macs: number | null;
    sharedParams?: true;
  }[];
  totals: { params: number; macs: number };
}

export function shapesJson(result: ShapeResult): ShapesJson {
  return {
    layers: result.layers.map((l) => ({
      name: l.layer.name,
      type: l.layer.type,
      tops: l.layer.tops.map((t, i) => ({ name: t.name, shape: l.tops[i] ?? null })),
      params: l.params,
      macs: l.macs,
      ...(l.sharedParams ? { sharedParams: true as const } : {}),
    })),
    totals: { params: result.totals.params, macs: result.totals.macs },
  };
}

/** An aligned table: layer, type, tops with shapes, params, MACs; then the totals and what they leave out. */
export function shapesTable(result: ShapeResult, file: string): string {
  const header = ['layer', 'type', 'tops', 'params', 'MACs'];
  const rows = result.layers.map((l) => [
    l.layer.name === '' ? '(unnamed)' : l.layer.name,
    l.layer.type === '' ? '?' : l.layer.type,
    l.layer.tops.map((t, i) => `${t.name} ${formatShape(l.tops[i] ?? null)}`).join(', '),
    l.sharedParams ? `(shared) ${count(l.params)}` : count(l.params),
    count(l.macs),
  ]);
  const totals = ['total', '', '', count(result.totals.params), count(result.totals.macs)];
  const widths = header.map((h, c) =>
    maxOf([h.length, totals[c].length], maxOf(rows.map((r) => r[c].length))),
  );
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
  return out + notes.map((n) => `${n}\n`).join('');
}

function count(n: number | null): string {
  return n === null ? '?' : n.toLocaleString('en-US');
}
