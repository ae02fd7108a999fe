// `caffe-prototxt run-layer NET.prototxt --layer NAME [--shape 2,3,32,32 ...] [--gradcheck] ...`:
// runs one Python layer of a net through the harness (client/python/run_layer.py) and reports on it.

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildNet, type Phase } from '../../analysis/model/net';
import { parse } from '../../parser/parse';
import { findPython } from '../../../../common/run/find-python';
import { completeShapes, formatShapeList, parseShapeList, runRequestFor } from '../../../../common/run/args';
import { findPythonLayer, planLayer, pythonParams, runArgsFor } from '../../run/plan';
import { formatRunReport, runFailed } from '../../../../common/run/report';
import { DEBUG_HOST, DEFAULT_DEBUG_PORT } from '../../../../common/run/debug-run';
import { runLayer } from '../../../../common/run/run-layer';
import type { BottomFill, RunRequest } from '../../../../common/run/types';
import { chooseTopMessage, SOLVER } from '../../analysis/model/top-message';
import type { CliCommand, CliIo } from '../io';
import { missingModule, moduleSearch, npyBottomShapes, withWorkspaceSysPath } from './run-layer-inputs';
import { chooseSchema } from './schema-choice';
import { modulesElsewhere } from '../../python/resolve-module';
import { netOfSolver } from './shapes-solver';

const USAGE = `Usage: caffe-prototxt run-layer NET.prototxt --layer NAME [--shape 2,3,32,32]... [--gradcheck]
                            [--python PATH] [--python-path DIR]... [--root DIR] [--phase TRAIN|TEST]
                            [--schema FILE] [--timeout SECONDS] [--json] [--debug [--debug-port N]]

Runs one Python layer of a net (setup, reshape, forward, backward) with random bottoms and reports
each top's shape, dtype and statistics, the time of each method and the bottom diffs. The bottom
shapes come from the net (Input, input_shape, DummyData and the standard layers before the layer);
--shape gives the others (as many as there are unknown bottoms, in order) or all of them. Given a
solver, the layer is looked for in the net the solver trains (tests, with --phase TEST).

Options:
  --layer NAME         the Python layer to run (required)
  --shape DIMS         a bottom shape, e.g. 2,3,32,32 (repeatable; "2,3,32,32; 2" gives two)
  --fill KIND          how bottoms are filled: random (seeded, the default), zeros, or a FILE.npy
                       (whose shape is the bottom's); once for all bottoms or once per bottom in order
  --gradcheck          also compare backward with central differences (step 1e-2, threshold 1e-3)
  --python PATH        the interpreter (default: the first of python3, python, /usr/bin/python3
                       that imports numpy)
  --python-path DIR    a folder the layer's module may be imported from (repeatable), searched first;
                       then PYTHONPATH, the net's folder, the folders the workspace's scripts put on
                       sys.path (as check finds them) and the net's parent folders up to the root
  --root DIR           the workspace root (default: the nearest folder above the current one with a
                       .git; for a net outside it, its own repository's, else the current folder when
                       it holds the net, else the net's folder; never a home folder or disk root)
  --phase TRAIN|TEST   the layer's phase (default: TRAIN when the net keeps the layer in TRAIN)
  --schema FILE        read the net with this caffe.proto (default: the caffe.proto of the Caffe
                       checkout the net belongs to, as check finds it, else the bundled BVLC schema);
                       bundled:NAME a schema shipped with the tool (see check --help)
  --pycaffe MODE       auto (default), always or never: run inside a real caffe.Net when pycaffe imports
  --timeout SECONDS    stop the run and every process it started after this long (default 60)
  --json               print the plan and the harness's result as JSON (shapes as plain lists)
  --debug              run under debugpy: print "debugger listening on ${DEBUG_HOST}:PORT" on stderr
                       and wait for a DAP client (VS Code, nvim-dap...) to attach there; the layer
                       runs once it has, breakpoints stop in the layer's code, and the report comes
                       when the run ends (no --timeout then; Ctrl+C stops it)
  --debug-port N       the port for --debug, on ${DEBUG_HOST} only (default ${DEFAULT_DEBUG_PORT}; 0: any free port)
  -h, --help           show this text

Exit status: 0 when the layer ran (and its gradients passed), 1 on an exception, a failed gradient
check, a timeout or no usable interpreter, 2 on bad usage (including an unusable --python).
`;

/** What to do when bottoms are unknown and no shape was given: the one option that helps. */
const SHAPE_USAGE =
  'Give each unknown bottom its shape with --shape, in order (e.g. --shape 2,3,32,32, once per bottom); ' +
  'caffe-prototxt run-layer --help says more.';

interface RunLayerCliArgs {
  net: string;
  layer: string;
  shapes: number[][];
  fills: BottomFill[];
  gradcheck: boolean;
  python?: string;
  phase?: Phase;
  pycaffe?: RunRequest['pycaffe'];
  timeoutSeconds: number;
  json: boolean;
  pythonPaths: string[];
  root?: string;
  schema?: string;
  /** The port to debug on (--debug); absent for a plain run. */
  debugPort?: number;
}

/** Parses the arguments; a string is the usage problem to report. */
export function parseRunLayerArgs(args: readonly string[]): RunLayerCliArgs | 'help' | string {
  let net: string | undefined;
  let layer: string | undefined;
  const out = {
    shapes: [] as number[][],
    fills: [] as BottomFill[],
    gradcheck: false,
    timeoutSeconds: 60,
    json: false,
    pythonPaths: [] as string[],
  };
  const extra: Partial<RunLayerCliArgs> = {};
  let debugPort: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string | undefined => inline ?? args[++i];
    if (flag === '-h' || flag === '--help') return 'help';
    if (flag === '--layer') {
      const v = value();
      if (!v) return '--layer needs a layer name';
      layer = v;
    } else if (flag === '--shape') {
      const v = value();
      if (v === undefined) return '--shape needs dimensions, e.g. --shape 2,3,32,32';
      const shapes = parseShapeList(v);
      if (typeof shapes === 'string') return `--shape: ${shapes}`;
      out.shapes.push(...shapes);
    } else if (flag === '--fill') {
      const v = value();
      if (v === 'random' || v === 'zeros') out.fills.push(v);
      else if (v !== undefined && /\.npy$/i.test(v)) out.fills.push({ npy: v });
      else return `--fill must be random, zeros or a .npy file, not ${v ?? 'nothing'}`;
    } else if (flag === '--gradcheck') {
      out.gradcheck = true;
    } else if (flag === '--json') {
      out.json = true;
    } else if (flag === '--python') {
      const v = value();
      if (!v) return '--python needs an interpreter path';
      extra.python = v;
    } else if (flag === '--python-path') {
      const v = value();
      if (!v) return '--python-path needs a folder';
      out.pythonPaths.push(v);
    } else if (flag === '--root') {
      const v = value();
      if (!v) return '--root needs a folder';
      extra.root = v;
    } else if (flag === '--schema') {
      const v = value();
      if (!v) return '--schema needs a file';
      extra.schema = v;
    } else if (flag === '--phase') {
      const v = value()?.toUpperCase();
      if (v !== 'TRAIN' && v !== 'TEST') return `--phase must be TRAIN or TEST, not ${v ?? 'nothing'}`;
      extra.phase = v;
    } else if (flag === '--pycaffe') {
      const v = value();
      if (v !== 'auto' && v !== 'always' && v !== 'never')
        return `--pycaffe must be auto, always or never, not ${v ?? 'nothing'}`;
      extra.pycaffe = v;
    } else if (flag === '--debug') {
      extra.debugPort ??= DEFAULT_DEBUG_PORT;
    } else if (flag === '--debug-port') {
      const v = value();
      const n = Number(v);
      if (v === undefined || !/^\d+$/.test(v) || n > 65535)
        return `--debug-port needs a port number (0-65535), not ${v ?? 'nothing'}`;
      debugPort = n;
    } else if (flag === '--timeout') {
      const v = value();
      const n = Number(v);
      if (v === undefined || v.trim() === '' || !Number.isFinite(n) || n <= 0)
        return `--timeout needs a positive number of seconds, not ${v ?? 'nothing'}`;
      out.timeoutSeconds = n;
    } else if (flag.startsWith('-') && flag !== '-') {
      return `unknown option ${flag}`;
    } else if (net === undefined) {
      net = arg;
    } else {
      return `one net file at a time (got ${net} and ${arg})`;
    }
  }
  if (net === undefined) return 'no net file given';
  if (layer === undefined) return 'no --layer given';
  if (debugPort !== undefined) {
    if (extra.debugPort === undefined) return '--debug-port goes with --debug';
    extra.debugPort = debugPort;
  }
  return { net, layer, ...out, ...extra };
}

export const runLayerCommand: CliCommand = {
  summary: 'run (and gradient-check) one Python layer of a net',
  usage: USAGE,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const args = parseRunLayerArgs(argv);
    if (args === 'help') {
      io.stdout(USAGE);
      return 0;
    }
    // A usage error prints the usage, unless `usage` says what to do in fewer words.
    const fail = (problem: string, code = 2, usage = USAGE): number => {
      io.stderr(`caffe-prototxt run-layer: ${problem}\n${code === 2 ? `\n${usage}` : ''}`);
      return code;
    };
    if (typeof args === 'string') return fail(args);

    let file = path.resolve(io.cwd, args.net);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      return fail(`cannot read ${args.net}: ${(error as Error).message}`);
    }
    const chosenSchema = chooseSchema(file, args.schema, io.cwd, args.root);
    if (typeof chosenSchema === 'string') return fail(chosenSchema);
    const schema = chosenSchema.schema;
    let doc = parse(text);
    if (chooseTopMessage(doc, [schema, ...chosenSchema.forks.map((f) => f.schema)]).name === SOLVER) {
      // A solver: the layer of the net it trains (or tests), in its own file or in net_param.
      const chosen = netOfSolver(doc.fields, file, io.cwd, args.phase);
      if (typeof chosen === 'string') return fail(`${args.net}: ${chosen}: no layer to run`, 1);
      io.stderr(`caffe-prototxt run-layer: ${args.net}: the layer of ${chosen.why}\n`);
      if (chosen.kind === 'file') {
        file = chosen.file;
        try {
          doc = parse(fs.readFileSync(file, 'utf8'));
        } catch (error) {
          return fail(`cannot read ${chosen.file}: ${(error as Error).message}`, 1);
        }
        if (chooseTopMessage(doc, [schema]).name === SOLVER) {
          return fail(
            `${path.relative(io.cwd, file)}, the net file of ${args.net}, holds a solver, not a net`,
            1,
          );
        }
      } else doc = chosen.doc;
    }
    const net = buildNet(doc, schema);
    const layer = findPythonLayer(net, args.layer, args.phase);
    if (typeof layer === 'string') return fail(`${args.net}: ${layer}`);
    const dir = path.dirname(file);
    const module = pythonParams(layer).module;
    const base = moduleSearch(file, io.cwd, args.root, args.pythonPaths);
    const { search, files } = module
      ? await withWorkspaceSysPath(base, [module])
      : { search: base, files: [] };
    const elsewhere = module ? modulesElsewhere(module, files) : [];
    const plan = planLayer(net, layer, {
      phase: args.phase,
      schema,
      resolution: { context: search, fileExists: (f) => fs.existsSync(f) },
    });
    if (typeof plan === 'string') return fail(`${args.net}: ${plan}`);
    // A .npy fill's shape is its bottom's: read (and checked) before anything runs.
    const fromNpy = npyBottomShapes(args.fills, plan.bottomNames.length, io.cwd);
    if (typeof fromNpy === 'string') return fail(fromNpy);
    const known = plan.bottomShapes.map((s, i) => fromNpy[i] ?? s);
    const shapes = completeShapes(known, args.shapes);
    if (typeof shapes === 'string') {
      // A layer of the same name kept in the other phase may have its bottoms known there.
      const other = plan.phase === 'TRAIN' ? 'TEST' : 'TRAIN';
      const twin = args.phase === undefined ? findPythonLayer(net, args.layer, other) : undefined;
      const hint =
        typeof twin === 'object' && twin !== layer
          ? `; the net has another "${args.layer}" layer, in ${other}: --phase ${other} runs that one`
          : '';
      const why = known.flatMap((s, i) =>
        s === null && plan.bottomNotes?.[i]
          ? [`  bottom #${i} ${plan.bottomNames[i]}: ${plan.bottomNotes[i]}`]
          : [],
      );
      return fail(
        `layer "${args.layer}" in ${plan.phase} (bottoms ${plan.bottomNames.join(', ') || 'none'}; known shapes ` +
          `${formatShapeList(known) || 'none'}): ${shapes}${hint}` +
          (why.length > 0 && args.shapes.length === 0 ? `\n${why.join('\n')}` : ''),
        2,
        args.shapes.length === 0 ? SHAPE_USAGE : USAGE,
      );
    }

    const found = await findPython({ explicit: args.python });
    if (!found.ok) return fail(found.message, args.python ? 2 : 1);
    io.stderr(`caffe-prototxt run-layer: ${found.message}\n`);

    const runArgs = runArgsFor(pathToFileURL(file).href, plan, args.gradcheck);
    const request = runRequestFor(runArgs, shapes, {
      gradcheck: args.gradcheck,
      pycaffe: args.pycaffe,
      fills: args.fills.map((f) => (typeof f === 'object' ? { npy: path.resolve(io.cwd, f.npy) } : f)),
    });
    if (args.fills.length > 1 && args.fills.length !== shapes.length) {
      return fail(
        `--fill was given ${args.fills.length} times for ${shapes.length} bottoms: give it once or once per bottom`,
      );
    }
    const onListening = ({ host, port }: { host: string; port: number }): void =>
      io.stderr(
        `debugger listening on ${host}:${port}\n` +
          'caffe-prototxt run-layer: waiting for a debugger to attach there (debugpy, "request": "attach")\n',
      );
    const controller = new AbortController();
    const onInterrupt = (): void => controller.abort();
    process.once('SIGINT', onInterrupt);
    let result;
    try {
      result = await runLayer(request, {
        python: found.python,
        cwd: dir,
        pythonPath: [...plan.searchPaths, ...search.extraPaths],
        timeoutMs: args.timeoutSeconds * 1000,
        signal: controller.signal,
        debug: args.debugPort === undefined ? undefined : { port: args.debugPort, onListening },
      });
    } finally {
      process.removeListener('SIGINT', onInterrupt);
    }
    const label = { ...runArgs, layerName: plan.layer.name };
    const missing = missingModule(result, plan, elsewhere, io.cwd);
    if (args.json) {
      const report = {
        net: args.net,
        layer: plan.layer.name,
        module: plan.module,
        layerClass: plan.layerClass,
        phase: plan.phase,
        bottomNames: plan.bottomNames,
        topNames: plan.topNames,
        bottomShapes: shapes,
        searchPaths: plan.searchPaths,
        python: found.python,
        passed: !runFailed(result),
        ...(missing ? { problem: missing } : {}),
        result,
      };
      io.stdout(prettyJson(report) + '\n');
    } else if (missing) {
      io.stderr(`caffe-prototxt run-layer: ${missing}\n`);
    } else {
      io.stdout(formatRunReport(result, label));
    }
    return runFailed(result) ? 1 : 0;
  },
};

/** JSON with two-space indentation and arrays of numbers on one line (`"shape": [2, 8, 16, 16]`). */
export function prettyJson(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => typeof v === 'number' || v === null))
      return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
    const inner = indent + '  ';
    return `[\n${value.map((v) => inner + prettyJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const inner = indent + '  ';
    const body = entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${prettyJson(v, inner)}`);
    return `{\n${body.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
