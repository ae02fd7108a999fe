// `caffe-prototxt plot-log LOG [-o curves.svg] [--json]`: the training loss, test outputs and learning
// rate of a `caffe train` log, as SVG plots or JSON.

import fs from 'node:fs';
import path from 'node:path';
import { logPanels } from '../../../../common/training/plot-panels';
import { renderPlot } from '../../../../common/training/plot-svg';
import { parseTrainLog, type TrainLog } from '../../../../common/training/train-log';
import type { CliCommand, CliIo } from '../io';
import { inputFile, readInput } from '../stdin';

const USAGE = `Usage: caffe-prototxt plot-log LOG [-o curves.svg] [--run N|all] [--smooth W] [--json]
       caffe train ... 2>&1 | caffe-prototxt plot-log - [-o curves.svg] [--smooth W] [--json]

Reads the log of a Caffe training run (what \`caffe train\` or a pycaffe solver prints through glog,
e.g. saved with \`caffe train ... 2>&1 | tee train.log\`) and plots, against the iteration: the
training loss, the train net's other outputs, every output of each test net, and the learning rate.
Today's log lines, older Caffe's and NVIDIA Caffe's are read; other lines are skipped. Given -,
the log is read from standard input to its end. A log of several runs (appended to by one training
after another; a run resumed from a snapshot goes on in its run) is plotted one run at a time, the
last by default.

Options:
  -o, --output FILE  write the plots as an SVG file (without -o and --json: to standard output)
  --run N|all        the run to plot of a log of several (from 1; default the last), or all of them
                     as one
  --smooth W         draw the loss and the outputs as an exponential moving average, W (0 to below
                     1) being the weight of the past (e.g. 0.9), over the logged values drawn faint;
                     the learning rate and --json are never smoothed (default 0: as logged)
  --json             print { "train": [{ "iter", "loss", "outputs": { name: value } }],
                     "test": [{ "iter", "net", "outputs": { name: value } }], "lr": [{ "iter", "lr" }],
                     "runs": [{ "train", "test", "lr", "name"? }] } of the whole log; "net" is the test
                     net's index, a test has "loss" with test_compute_loss, an output blob with several
                     values gives name[0], name[1], ...; a run gives the index of its first entry in
                     each list and the net's name when logged; nan and inf become null
  -h, --help         show this text

Exit status: 0 when the log was plotted, 1 when it cannot be read or has no training, test or
learning-rate lines, 2 on bad usage (standard input cannot be read here or is over 256 MB).
`;

interface PlotLogArgs {
  file: string;
  output?: string;
  json: boolean;
  smoothing: number;
  /** From 1; undefined for the last. */
  run?: number | 'all';
}

export function parsePlotLogArgs(
  args: readonly string[],
): PlotLogArgs | { help: true } | { problem: string } {
  let file: string | undefined;
  let output: string | undefined;
  let json = false;
  let smoothing = 0;
  let run: number | 'all' | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const [flag, inline] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    if (flag === '-h' || flag === '--help') return { help: true };
    if (flag === '--json' && inline === undefined) json = true;
    else if (flag === '-o' || flag === '--output') {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') return { problem: `${flag} needs a file name` };
      output = v;
    } else if (flag === '--run') {
      const v = inline ?? args[++i];
      const n = v !== undefined && /^\d+$/.test(v) ? Number(v) : NaN;
      if (v !== 'all' && !(n >= 1))
        return { problem: `--run needs a run number from 1, or all (got ${v ?? 'nothing'})` };
      run = v === 'all' ? 'all' : n;
    } else if (flag === '--smooth') {
      const v = inline ?? args[++i];
      const w = v === undefined || v.trim() === '' ? NaN : Number(v);
      if (!(w >= 0 && w < 1))
        return { problem: `--smooth needs a weight from 0 to below 1 (got ${v ?? 'nothing'})` };
      smoothing = w;
    } else if (flag.startsWith('-') && flag !== '-') return { problem: `unknown option ${arg}` };
    else if (file !== undefined) return { problem: `one log at a time (got ${file} and ${arg})` };
    else file = arg;
  }
  if (file === undefined) return { problem: 'no LOG given' };
  return {
    file,
    json,
    smoothing,
    ...(output !== undefined ? { output } : {}),
    ...(run !== undefined ? { run } : {}),
  };
}

export const plotLogCommand: CliCommand = {
  summary: 'plot the loss, test outputs and learning rate of a training log',
  usage: USAGE,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const args = parsePlotLogArgs(argv);
    if ('help' in args) {
      io.stdout(USAGE);
      return 0;
    }
    if ('problem' in args) {
      io.stderr(`caffe-prototxt plot-log: ${args.problem}\n\n${USAGE}`);
      return 2;
    }
    const { shown, absolute } = inputFile(args.file, undefined, io.cwd);
    const input = await readInput(args.file, absolute, io, (f) => fs.readFileSync(f, 'utf8'), 'a log');
    if ('problem' in input) {
      io.stderr(`caffe-prototxt plot-log: ${input.problem}\n`);
      return input.usage ? 2 : 1;
    }
    const log = parseTrainLog(input.text);
    if (log.train.length + log.test.length + log.lr.length === 0) {
      io.stderr(`${shown}: no training, test or learning-rate lines of a Caffe log found\n`);
      return 1;
    }
    // JSON writes NaN and the infinities as null.
    if (args.json) io.stdout(`${JSON.stringify(log, null, 2)}\n`);
    if (args.output === undefined && args.json) return 0;
    const runs = log.runs.length;
    if (typeof args.run === 'number' && args.run > runs) {
      io.stderr(`${shown}: the log holds ${plural(runs, 'run')}, not ${args.run}\n`);
      return 1;
    }
    const index = typeof args.run === 'number' ? args.run - 1 : runs - 1;
    const which = runs > 1 && args.run !== 'all' ? runLabel(log, index) : undefined;
    const panels = logPanels(log, {
      smoothing: args.smoothing,
      run: args.run === 'all' ? 'all' : index,
    });
    const title = which ? `${path.basename(shown)}: ${which}` : path.basename(shown);
    const svg = `${renderPlot(panels, { title, xLabel: 'iteration', background: true })}\n`;

    if (args.output === undefined || args.output === '-') {
      io.stdout(svg);
      return 0;
    }
    try {
      fs.writeFileSync(path.resolve(io.cwd, args.output), svg);
    } catch (error) {
      io.stderr(`caffe-prototxt plot-log: cannot write ${args.output}: ${(error as Error).message}\n`);
      return 1;
    }
    const plotted = which ? `; plotted ${which} (--run N for another, --run all for all)` : '';
    io.stderr(`${args.output}: ${summary(log)}${plotted}\n`);
    return 0;
  },
};

/** "12 displayed iterations (0 to 11), 6 tests of 2 test nets, 12 learning rates". */
export function summary(log: TrainLog): string {
  const parts: string[] = [];
  if (log.train.length > 0) {
    let first = Infinity;
    let last = -Infinity;
    for (const t of log.train) {
      first = Math.min(first, t.iter);
      last = Math.max(last, t.iter);
    }
    parts.push(`${plural(log.train.length, 'displayed iteration')} (${first} to ${last})`);
  }
  if (log.test.length > 0) {
    const nets = new Set(log.test.map((t) => t.net)).size;
    parts.push(`${plural(log.test.length, 'test')} of ${plural(nets, 'test net')}`);
  }
  if (log.lr.length > 0) parts.push(plural(log.lr.length, 'learning rate'));
  if (log.runs.length > 1) parts.push(`in ${plural(log.runs.length, 'run')}`);
  return parts.join(', ');
}

/** "run 3 of 12 (CUHK01)": one run of a log of several, with its net's name when logged. */
export function runLabel(log: TrainLog, index: number): string {
  const name = log.runs[index]?.name;
  return `run ${index + 1} of ${log.runs.length}${name ? ` (${name})` : ''}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
