// `caffe-prototxt lr SOLVER [-o lr.svg] [--json] [--at N]... [--until N] [--schema FILE]`: the learning
// rate Caffe's SGD solver uses at each iteration, as a table, JSON or an SVG plot.

import fs from 'node:fs';
import path from 'node:path';
import {
  isLrPolicy,
  LR_POLICIES,
  makeSchedule,
  schedulePoints,
  type LrPoint,
  type LrSchedule,
} from '../../../../common/training/lr-schedule';
import { schedulePanel } from '../../../../common/training/plot-panels';
import { renderPlot } from '../../../../common/training/plot-svg';
import { analyze } from '../../analysis/analyze';
import { SOLVER } from '../../analysis/model/top-message';
import { parse } from '../../parser/parse';
import { describeSchedule, readSolverSchedule, type SolverSchedule } from '../../training/solver-params';
import { checkoutSolversOf } from '../../workspace/analyses';
import { workspaceRootOf } from '../check-workspace';
import { formatText, toCliDiagnostics } from '../format';
import type { CliCommand, CliIo } from '../io';
import { inputFile, readInput } from '../stdin';
import { chooseSchema } from './schema-choice';

const USAGE = `Usage: caffe-prototxt lr SOLVER.prototxt [-o lr.svg] [--json] [--at N]... [--until N]
                          [--schema FILE]
       caffe-prototxt lr [options] -

The learning rate Caffe's SGD solver (and Nesterov, AdaGrad, RMSProp, AdaDelta, Adam, which share it)
uses at each iteration, for every lr_policy (fixed, step, exp, inv, multistep, poly, sigmoid), computed
the way Caffe computes it: in single precision, the step of "step" by integer division, and at most one
"multistep" step per iteration. Rates are Caffe's floats written as their shortest decimal.

Without options it prints the rate at iteration 0 and at every step up to max_iter (for the smooth
policies, at every tenth of the run); with --at, the rate at each of those iterations instead. Given
-, it reads the solver from standard input.

Options:
  -o, --output FILE  draw the schedule from 0 to max_iter as an SVG file
  --json             print { "policy", "points": [{ "iter", "lr" }], "at": [{ "iter", "lr" }] }:
                     points holds both sides of every step plus an even sampling (at most 1,000), at
                     has one entry per --at; an lr is null where Caffe's formula gives no number
  --at N             also give the rate at iteration N (repeat for more)
  --until N          the last iteration of the points and the plot (default: max_iter)
  --schema FILE      the caffe.proto of the Caffe the solver is for (default: the caffe.proto of the
                     Caffe checkout the file belongs to, whose sources say which policies its solver
                     knows; else the bundled BVLC schema); bundled:NAME a schema shipped with the
                     tool (see check --help)
  -h, --help         show this text

Problems of the schedule (missing, contradictory or unused parameters) are printed to standard error.
Exit status: 0 when the schedule was printed, 1 when the file cannot be read, has syntax errors, holds
no solver, has a schedule Caffe would stop on (or no range to draw with -o), or has a policy only a
fork's solver knows (whose rates are not computed here), 2 on bad usage (or a --schema that cannot be
used; standard input cannot be read here or is over 256 MB).
`;

interface LrArgs {
  file: string;
  output?: string;
  json: boolean;
  at: number[];
  until?: number;
  schema?: string;
}

export function parseLrArgs(args: readonly string[]): LrArgs | { help: true } | { problem: string } {
  let file: string | undefined;
  let output: string | undefined;
  let json = false;
  let until: number | undefined;
  let schema: string | undefined;
  const at: number[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const [flag, inline] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    if (flag === '-h' || flag === '--help') return { help: true };
    if (flag === '--json' && inline === undefined) json = true;
    else if (flag === '-o' || flag === '--output') {
      const v = value();
      if (v === undefined || v === '') return { problem: `${flag} needs a file name` };
      output = v;
    } else if (flag === '--schema') {
      const v = value();
      if (v === undefined || v === '') return { problem: '--schema needs a file' };
      schema = v;
    } else if (flag === '--at' || flag === '--until') {
      const v = value();
      const n = iteration(v);
      if (n === undefined)
        return { problem: `${flag} needs an iteration (0 or more), not ${v ?? 'nothing'}` };
      if (flag === '--at') at.push(n);
      else until = n;
    } else if (flag.startsWith('-') && flag !== '-') return { problem: `unknown option ${arg}` };
    else if (file !== undefined) return { problem: `one solver at a time (got ${file} and ${arg})` };
    else file = arg;
  }
  if (file === undefined) return { problem: 'no SOLVER.prototxt given' };
  return {
    file,
    output,
    json,
    at,
    ...(until !== undefined ? { until } : {}),
    ...(schema !== undefined ? { schema } : {}),
  };
}

function iteration(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  const n = Number(text.trim());
  return Number.isSafeInteger(n) ? n : undefined;
}

export interface LrJson {
  policy: string;
  points: { iter: number; lr: number | null }[];
  at: { iter: number; lr: number | null }[];
}

export const lrCommand: CliCommand = {
  summary: 'print or plot the learning rate of a solver at each iteration',
  usage: USAGE,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const args = parseLrArgs(argv);
    if ('help' in args) {
      io.stdout(USAGE);
      return 0;
    }
    if ('problem' in args) {
      io.stderr(`caffe-prototxt lr: ${args.problem}\n\n${USAGE}`);
      return 2;
    }
    const file = inputFile(args.file, undefined, io.cwd);
    const chosen = chooseSchema(file.absolute, args.schema, io.cwd);
    if (typeof chosen === 'string') {
      io.stderr(`caffe-prototxt lr: ${chosen}\n`);
      return 2;
    }
    const input = await readInput(args.file, file.absolute, io, (f) => fs.readFileSync(f, 'utf8'));
    if ('problem' in input) {
      io.stderr(`caffe-prototxt lr: ${input.problem}\n`);
      return input.usage ? 2 : 1;
    }
    const text = input.text;
    const ast = parse(text);
    const checkoutSolvers = checkoutSolversOf(chosen, [workspaceRootOf(file.absolute, io.cwd)]);
    const analysis = analyze(text, ast, {
      schema: chosen.schema,
      schemaKind: chosen.kind,
      forks: chosen.forks,
      ...(checkoutSolvers ? { checkoutSolvers } : {}),
    });
    const shown = analysis.diagnostics.filter((d) => d.code === 'syntax' || d.code === 'lr-schedule');
    if (shown.length > 0)
      io.stderr(formatText({ path: file.shown, diagnostics: toCliDiagnostics(text, shown) }));
    if (analysis.topMessage.name !== SOLVER) {
      io.stderr(
        `${file.shown}: holds a ${analysis.topMessage.name}, not a solver: no learning rate to show\n`,
      );
      return 1;
    }
    const solver = readSolverSchedule(ast.fields);
    if (solver.unreadable.length > 0) {
      io.stderr(`${file.shown}: cannot read ${solver.unreadable.join(', ')} (values of the wrong kind)\n`);
      return 1;
    }
    const { schedule, problems } = makeSchedule(solver.input);
    if (!schedule) {
      const policy = solver.input.lrPolicy;
      const forkPolicy = shown.every((d) => d.code !== 'lr-schedule' || d.severity !== 'error');
      if (policy !== undefined && !isLrPolicy(policy) && forkPolicy) {
        // Known to the checkout's solver (no diagnostic), or maybe to a fork's (a warning said so).
        const whose = checkoutSolvers?.lrPolicies?.has(policy)
          ? `is one the solver of the Caffe checkout at ${checkoutSolvers.label} knows, not BVLC Caffe's`
          : "is not BVLC Caffe's";
        io.stderr(
          `${file.shown}: lr_policy "${policy}" ${whose}: its rates are not computed here (only ` +
            `${listPolicies()})\n`,
        );
        return 1;
      }
      // The check names no missing lr_policy in a solver that names no net; say it here.
      if (shown.every((d) => d.code !== 'lr-schedule')) {
        for (const p of problems) io.stderr(`${file.shown}: ${p.severity}: ${p.message}\n`);
        if (problems.length === 0) io.stderr(`${file.shown}: no lr_policy is set\n`);
      }
      return 1;
    }
    const syntaxErrors = shown.some((d) => d.code === 'syntax' && d.severity === 'error');
    const code = print(schedule, solver, { ...args, file: file.shown }, io);
    return syntaxErrors ? Math.max(code, 1) : code;
  },
};

function print(schedule: LrSchedule, solver: SolverSchedule, args: LrArgs, io: CliIo): number {
  const maxIter = solver.input.maxIter ?? 0;
  const end = args.until ?? (maxIter > 0 ? maxIter : undefined);
  if (end === undefined) {
    io.stderr(`${args.file}: max_iter is not set, so there is no range to sample; give --until N\n`);
    if (args.output !== undefined) return 1;
  }
  const points = end !== undefined ? schedulePoints(schedule, end) : [];
  const at = args.at.map((iter) => ({ iter, lr: schedule.rateAt(iter) }));
  if (args.output !== undefined && end !== undefined) {
    const svg = renderPlot([schedulePanel(schedule.policy, points)], {
      title: `${path.basename(args.file)}: ${describeSchedule(solver)}`,
      xLabel: 'iteration',
      background: true,
    });
    try {
      fs.writeFileSync(path.resolve(io.cwd, args.output), `${svg}\n`);
    } catch (error) {
      io.stderr(`caffe-prototxt lr: cannot write ${args.output}: ${(error as Error).message}\n`);
      return 1;
    }
    io.stderr(
      `${args.output}: lr_policy "${schedule.policy}" over iterations 0 to ${end} (${points.length} points)\n`,
    );
  }
  if (args.json) {
    // JSON writes a rate that is not a number (poly past max_iter) as null.
    const json: LrJson = { policy: schedule.policy, points, at };
    io.stdout(`${JSON.stringify(json, null, 2)}\n`);
  } else if (args.output === undefined) {
    io.stdout(table(schedule, solver, end, at, args.file));
  }
  return 0;
}

function table(
  schedule: LrSchedule,
  solver: SolverSchedule,
  end: number | undefined,
  at: readonly LrPoint[],
  file: string,
): string {
  const rows: LrPoint[] = [];
  if (at.length === 0) {
    const iters = new Set<number>([0]);
    if (end !== undefined) {
      const jumps = schedule.jumpsUpTo(end);
      const smooth = ['exp', 'inv', 'poly', 'sigmoid'].includes(schedule.policy);
      if (smooth) for (let k = 1; k <= 10; k++) iters.add(Math.round((k * end) / 10));
      else for (const j of jumps) iters.add(j);
    }
    for (const iter of [...iters].sort((a, b) => a - b)) rows.push({ iter, lr: schedule.rateAt(iter) });
  } else rows.push(...at);
  const width = Math.max('iteration'.length, ...rows.map((r) => String(r.iter).length));
  const lines = [`${file}: ${describeSchedule(solver)}`, `${'iteration'.padEnd(width)}  lr`];
  for (const r of rows)
    lines.push(`${String(r.iter).padEnd(width)}  ${Number.isFinite(r.lr) ? r.lr : 'not a number'}`);
  return lines.join('\n') + '\n';
}

/** BVLC's policies, which this command computes. */
function listPolicies(): string {
  return LR_POLICIES.map((p) => `"${p}"`).join(', ');
}
