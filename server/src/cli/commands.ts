// The subcommand table. Others add `run-layer`, `shapes`, `graph`... as one line each.

import { ownEntry } from '../../../common/tables';
import { checkCommand } from './commands/check';
import { graphCliCommand } from './commands/graph';
import { lrCommand } from './commands/lr';
import { plotLogCommand } from './commands/plot-log';
import { runLayerCommand } from './commands/run-layer';
import { shapesCommand } from './commands/shapes';
import { upgradeCommand } from './commands/upgrade';
import type { CliCommand, CliIo } from './io';
import { cliVersion } from './version';

export const COMMANDS: Readonly<Record<string, CliCommand>> = {
  check: checkCommand,
  'run-layer': runLayerCommand,
  graph: graphCliCommand,
  shapes: shapesCommand,
  lr: lrCommand,
  'plot-log': plotLogCommand,
  upgrade: upgradeCommand,
};

export function usage(): string {
  const lines = ['Usage: caffe-prototxt <command> [options]', '', 'Commands:'];
  for (const [name, command] of Object.entries(COMMANDS))
    lines.push(`  ${name.padEnd(10)} ${command.summary}`);
  lines.push(
    '',
    'Run `caffe-prototxt <command> --help` for the options of a command, `caffe-prototxt --version` for the version.',
  );
  return lines.join('\n') + '\n';
}

/** Runs the command line; returns the exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    io.stdout(`${cliVersion()}\n`);
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(usage());
    return name === undefined ? 2 : 0;
  }
  const command = ownEntry(COMMANDS, name);
  if (!command) {
    io.stderr(`caffe-prototxt: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    io.stderr(
      `caffe-prototxt ${name}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 2;
  }
}
