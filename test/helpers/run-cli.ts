// The command line run in process, its output collected: `stdin`, when given, is what standard input
// holds (read at most once per run, counted in `reads`); without it the command has no standard input.

import { runCli } from '../../server/src/cli/commands';

export interface CliRun {
  code: number;
  out: string;
  err: string;
  /** How many times standard input was read. */
  reads: number;
}

export async function runCliIn(
  cwd: string,
  argv: readonly string[],
  stdin?: string | Buffer,
): Promise<CliRun> {
  let out = '';
  let err = '';
  let reads = 0;
  const code = await runCli(argv, {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    cwd,
    ...(stdin === undefined
      ? {}
      : {
          readStdin: () => {
            reads++;
            return Promise.resolve(Buffer.from(stdin));
          },
        }),
  });
  return { code, out, err, reads };
}

/** `file code` for each line of `check`'s text report (the file as shown, the code in brackets). */
export function reportedCodes(out: string): string[] {
  return out
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => `${l.slice(0, l.indexOf(':'))} ${/\[([a-z0-9-]+)\]$/.exec(l)?.[1] ?? '?'}`);
}
