// `caffe-prototxt upgrade NET.prototxt [-o OUT | --in-place] [--indent N]`: a V1 or V0 net (or a solver
// with solver_type or an old embedded net) rewritten in the current format the way Caffe's upgrade tools
// map it, every comment kept (the editor's quick fix and its "Upgrade Net to the Current Format"
// command do the same).

import fs from 'node:fs';
import path from 'node:path';
import { indentUnit } from '../../analysis/transforms/format';
import { upgradeNet } from '../../analysis/transforms/upgrade';
import type { CliCommand, CliIo } from '../io';

const USAGE = `Usage: caffe-prototxt upgrade NET.prototxt [-o OUT.prototxt | --in-place] [--indent N]

Rewrites a net in Caffe's V1 (\`layers { type: CONVOLUTION }\`) or V0 format in the current format, as
Caffe's upgrade_net_proto_text maps it, keeping every comment. Given a solver, it rewrites
solver_type as type (upgrade_solver_proto_text) and upgrades the nets the solver holds (net_param,
train_net_param, test_net_param). The result goes to standard output, to OUT with -o, or back into the
file with --in-place; what was done is said on standard error.

Options:
  -o, --output FILE  write the upgraded net there
  --in-place         replace the file
  --indent N         spaces per level (default 2)
  -h, --help         show this text

Exit status: 0 when the file was upgraded (or needed nothing), 1 when it cannot be upgraded, 2 on bad
usage or a file that cannot be read.
`;

interface UpgradeArgs {
  file: string;
  output?: string;
  inPlace: boolean;
  indent: number;
}

function parseArgs(args: readonly string[]): UpgradeArgs | 'help' | string {
  let file: string | undefined;
  let output: string | undefined;
  let inPlace = false;
  let indent = 2;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-h' || a === '--help') return 'help';
    if (a === '-o' || a === '--output') {
      output = args[++i];
      if (!output) return `${a} needs a file`;
    } else if (a === '--in-place') inPlace = true;
    else if (a === '--indent') {
      const v = args[++i];
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 16)
        return `--indent takes a number of spaces from 0 to 16, not ${v ?? 'nothing'}`;
      indent = n;
    } else if (a.startsWith('-')) return `unknown option ${a}`;
    else if (file === undefined) file = a;
    else return `one net at a time (${file}, then ${a})`;
  }
  if (file === undefined) return 'no NET.prototxt given';
  if (inPlace && output !== undefined) return '-o and --in-place exclude each other';
  return { file, output, inPlace, indent };
}

export const upgradeCommand: CliCommand = {
  summary: 'rewrite a V1 or V0 net in the current format, keeping comments',
  usage: USAGE,
  run(argv: readonly string[], io: CliIo): number {
    const args = parseArgs(argv);
    if (args === 'help') {
      io.stdout(USAGE);
      return 0;
    }
    if (typeof args === 'string') {
      io.stderr(`caffe-prototxt upgrade: ${args}\n\n${USAGE}`);
      return 2;
    }
    const file = path.resolve(io.cwd, args.file);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      io.stderr(`caffe-prototxt upgrade: cannot read ${args.file}: ${(error as Error).message}\n`);
      return 2;
    }
    const outcome = upgradeNet(text, {
      indent: indentUnit(args.indent),
      eol: text.includes('\r\n') ? '\r\n' : '\n',
    });
    for (const problem of outcome.problems) io.stderr(`${args.file}: ${problem}\n`);
    io.stderr(`${args.file}: ${outcome.message}\n`);
    // Nothing to write: fine when the net is already current, a failure when it cannot be upgraded.
    if (outcome.text === undefined) return outcome.current ? 0 : 1;
    const target = args.inPlace
      ? file
      : args.output === undefined
        ? undefined
        : path.resolve(io.cwd, args.output);
    if (target === undefined) io.stdout(outcome.text);
    else fs.writeFileSync(target, outcome.text, 'utf8');
    return 0;
  },
};
