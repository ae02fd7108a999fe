// Standard input as the file a command reads: the PATH `-` (an editor's unsaved text, a net made by a
// script, `caffe train` piped into plot-log). For a prototxt, `--stdin-name PATH` says which file it
// stands for: its folder and workspace root decide the schema, a solver's relative net paths, files
// beside it; it is shown under that name, else as <stdin>.

import path from 'node:path';
import { MAX_FILE_BYTES, textOf, type ReadFile } from './check-files';

/** The PATH that stands for standard input. */
export const STDIN_PATH = '-';

/** Shown for standard input when no --stdin-name is given. */
export const STDIN_SHOWN = '<stdin>';

/** What reading standard input needs: where the command runs, and the reader (absent where there is none). */
export interface StdinSource {
  cwd: string;
  readStdin?(): Promise<Buffer>;
}

/** The problem with `--stdin-name` as given beside `stdinPaths` uses of `-` (undefined when fine). */
export function stdinUsageProblem(
  stdinPaths: number,
  stdinName: string | undefined,
  where: string,
): string | undefined {
  if (stdinPaths > 1) return 'standard input (-) can be given once';
  if (stdinName !== undefined && stdinPaths === 0)
    return `--stdin-name names what standard input stands for: give - ${where}`;
  if (stdinName?.endsWith('.py'))
    return 'standard input is read as a prototxt: --stdin-name cannot name a Python file';
  return undefined;
}

/** The text on standard input (absent when binary), or a sentence when it cannot be read. */
async function readStdinText(io: StdinSource): Promise<{ text?: string } | string> {
  if (!io.readStdin) return 'standard input cannot be read here';
  let bytes: Buffer;
  try {
    bytes = await io.readStdin();
  } catch (error) {
    return `cannot read standard input: ${messageOf(error)}`;
  }
  if (bytes.length > MAX_FILE_BYTES)
    return `standard input is larger than the ${MAX_FILE_BYTES / 1048576} MB a file may be`;
  return textOf(bytes);
}

/**
 * Standard input as the file `stdinName` names (else `<stdin>.prototxt` in the working folder), its
 * text absent when binary; a sentence when it cannot be read.
 */
export async function readStdinFile(
  stdinName: string | undefined,
  io: StdinSource,
): Promise<ReadFile | string> {
  const read = await readStdinText(io);
  return typeof read === 'string' ? read : { ...inputFile(STDIN_PATH, stdinName, io.cwd), ...read };
}

/**
 * The file the one input of a command stands for: `given`, or for `-` the file `stdinName` names
 * (else <stdin>); with the name it is shown under.
 */
export function inputFile(
  given: string,
  stdinName: string | undefined,
  cwd: string,
): { shown: string; absolute: string } {
  if (given !== STDIN_PATH) return { shown: given, absolute: path.resolve(cwd, given) };
  return {
    shown: stdinName ?? STDIN_SHOWN,
    absolute: path.resolve(cwd, stdinName ?? `${STDIN_SHOWN}.prototxt`),
  };
}

/**
 * The text of the one input a command reads: standard input for `-`, else the file at `absolute`; or
 * the sentence saying why not, and whether that is bad usage (standard input cannot be read here, or
 * is too large, as `check` has it) or a file that cannot be read (a binary one included).
 */
export async function readInput(
  given: string,
  absolute: string,
  io: StdinSource,
  readFile: (absolute: string) => Promise<string> | string,
  /** What the text should be, for the sentence about binary input. */
  expected = 'a prototxt',
): Promise<{ text: string } | { problem: string; usage: boolean }> {
  if (given !== STDIN_PATH) {
    try {
      return { text: await readFile(absolute) };
    } catch (error) {
      return { problem: `cannot read ${given}: ${messageOf(error)}`, usage: false };
    }
  }
  const read = await readStdinText(io);
  if (typeof read === 'string') return { problem: read, usage: true };
  if (read.text === undefined)
    return { problem: `standard input holds a binary file, not ${expected}`, usage: false };
  return { text: read.text };
}

/** `argv` without its `--stdin-name` option (when a command goes on to a file on disk). */
export function withoutStdinName(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--stdin-name') i++;
    else if (!argv[i].startsWith('--stdin-name=')) out.push(argv[i]);
  }
  return out;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
