// What a CLI command may touch besides the file system: its output streams and working folder.

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  /** Everything on standard input, for a PATH given as `-`; absent where there is none to read. */
  readStdin?(): Promise<Buffer>;
}

/** A subcommand: arguments after its name in, exit code out (0 ok, 1 problems found, 2 bad usage). */
export interface CliCommand {
  summary: string;
  usage: string;
  run(args: readonly string[], io: CliIo): Promise<number> | number;
}
