// `caffe-prototxt upgrade NET.prototxt [-o OUT | --in-place] [--indent N] [--schema FILE]`: a V1 or V0
// net (or a solver with solver_type or an old embedded net) rewritten in the current format the way
// Caffe's upgrade tools map it, every comment kept (the editor's quick fix and its "Upgrade Net to the
// Current Format" command do the same).

import fs from 'node:fs';
import path from 'node:path';
import { indentUnit } from '../../analysis/transforms/format';
import { upgradeNet } from '../../analysis/transforms/upgrade';
import { parse } from '../../parser/parse';
import { notPrototxtLine } from '../format';
import type { CliCommand, CliIo } from '../io';
import { inputFile, readInput, STDIN_PATH } from '../stdin';
import { chooseSchema } from './schema-choice';

const USAGE = `Usage: caffe-prototxt upgrade NET.prototxt [-o OUT.prototxt | --in-place] [--indent N]
                              [--schema FILE]
       caffe-prototxt upgrade [-o OUT.prototxt] [--indent N] [--schema FILE] -

Rewrites a net in Caffe's V1 (\`layers { type: CONVOLUTION }\`) or V0 format in the current format, as
Caffe's upgrade_net_proto_text maps it, keeping every comment. Given a solver, it rewrites
solver_type as type (upgrade_solver_proto_text) and upgrades the nets the solver holds (net_param,
train_net_param, test_net_param). The result goes to standard output, to OUT with -o, or back into the
file with --in-place; what was done is said on standard error. A file already in the current format is
written out as it is (to standard output or OUT; --in-place leaves it alone). Given -, the net is
read from standard input. What the Caffe the net is written for lacks stays as it is: under a
caffe.proto without the Input layer (py-faster-rcnn's Caffe) the legacy inputs, without the string
solver type (SegNet's) solver_type.

Options:
  -o, --output FILE  write the upgraded net there (- for standard output)
  --in-place         replace the file
  --indent N         spaces per level (default 2)
  --schema FILE      the caffe.proto of the Caffe the net is for (default: the caffe.proto of the
                     Caffe checkout the file belongs to, as check finds it, else the bundled BVLC
                     schema); bundled:NAME a schema shipped with the tool (see check --help)
  -h, --help         show this text

Exit status: 0 when the file was upgraded (or needed nothing); 1 when it cannot be upgraded, the
result cannot be written, or a part of it has no place in the current format (a V0 field Caffe drops,
a V1 type it has no name for: the rest is upgraded and written, that part kept as written and named
on standard error; Caffe's upgrade_net_proto_text fails on it too); 2 on bad usage or a file that
cannot be read.
`;

interface UpgradeArgs {
  file: string;
  output?: string;
  inPlace: boolean;
  indent: number;
  schema?: string;
}

function parseArgs(args: readonly string[]): UpgradeArgs | 'help' | string {
  let file: string | undefined;
  let output: string | undefined;
  let inPlace = false;
  let indent = 2;
  let schema: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-h' || a === '--help') return 'help';
    if (a === '-o' || a === '--output') {
      output = args[++i];
      if (!output) return `${a} needs a file`;
    } else if (a === '--in-place') inPlace = true;
    else if (a === '--schema') {
      schema = args[++i];
      if (!schema) return '--schema needs a file';
    } else if (a === '--indent') {
      const v = args[++i];
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 16)
        return `--indent takes a number of spaces from 0 to 16, not ${v ?? 'nothing'}`;
      indent = n;
    } else if (a.startsWith('-') && a !== STDIN_PATH) return `unknown option ${a}`;
    else if (file === undefined) file = a;
    else return `one net at a time (${file}, then ${a})`;
  }
  if (file === undefined) return 'no NET.prototxt given';
  if (inPlace && output !== undefined) return '-o and --in-place exclude each other';
  if (inPlace && file === STDIN_PATH) return '--in-place needs a file, not standard input (-)';
  return { file, output, inPlace, indent, ...(schema !== undefined ? { schema } : {}) };
}

export const upgradeCommand: CliCommand = {
  summary: 'rewrite a V1 or V0 net in the current format, keeping comments',
  usage: USAGE,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv);
    if (args === 'help') {
      io.stdout(USAGE);
      return 0;
    }
    if (typeof args === 'string') {
      io.stderr(`caffe-prototxt upgrade: ${args}\n\n${USAGE}`);
      return 2;
    }
    const { shown, absolute: file } = inputFile(args.file, undefined, io.cwd);
    const input = await readInput(args.file, file, io, (f) => fs.readFileSync(f, 'utf8'));
    if ('problem' in input) {
      io.stderr(`caffe-prototxt upgrade: ${input.problem}\n`);
      return 2;
    }
    const text = input.text;
    const schema = chooseSchema(file, args.schema, io.cwd);
    if (typeof schema === 'string') {
      io.stderr(`caffe-prototxt upgrade: ${schema}\n`);
      return 2;
    }
    const outcome = upgradeNet(
      text,
      { indent: indentUnit(args.indent), eol: text.includes('\r\n') ? '\r\n' : '\n' },
      schema.schema,
    );
    for (const problem of outcome.problems) io.stderr(`${shown}: ${problem}\n`);
    const failed = outcome.text === undefined && !outcome.current;
    // A YAML or JSON file named like a prototxt: what it is, rather than its syntax errors.
    const foreign = failed ? notPrototxtLine(shown, text, parse(text)) : undefined;
    io.stderr(foreign ?? `${shown}: ${outcome.message}\n`);
    if (failed) return 1;
    // A current net is written out as it is (a script piping nets through gets every one back); in
    // place there is nothing to change.
    if (outcome.text === undefined && args.inPlace) return 0;
    const upgraded = outcome.text ?? text;
    const target = args.inPlace
      ? file
      : args.output === undefined || args.output === '-'
        ? undefined
        : path.resolve(io.cwd, args.output);
    // Written either way, but not a net Caffe reads as it is: a failure for a script to see.
    const status = outcome.problems.length > 0 ? 1 : 0;
    if (target === undefined) {
      io.stdout(upgraded);
      return status;
    }
    try {
      fs.writeFileSync(target, upgraded, 'utf8');
    } catch (error) {
      io.stderr(
        `caffe-prototxt upgrade: cannot write ${args.inPlace ? shown : args.output}: ${(error as Error).message}\n`,
      );
      return 1;
    }
    return status;
  },
};
