// The nets a solver trains and tests, and where the files it names are. Caffe opens `net`,
// `train_net` and `test_net` paths relative to the folder it is started in, which the solver does not
// record: the solver's own folder and the workspace roots are tried, in that order, and the answer says
// which one held the file. Pure apart from the `exists` callback the caller passes.

import path from 'node:path';
import type { FieldNode, Span } from '../parser/ast';
import { numberValue, repeatedValues, scalarText } from '../analysis/model/net-read';
import type { SolverStateFields } from '../analysis/model/net-state';

export type NetSource = 'net' | 'net_param' | 'train_net' | 'train_net_param' | 'test_net' | 'test_net_param';

export interface SolverNet {
  source: NetSource;
  field: FieldNode;
  /** The path as written (file fields only). */
  path?: string;
  /** The string value's span (file fields only). */
  pathSpan?: Span;
  /** Whether Caffe trains this net. */
  train: boolean;
  /** The test nets made from it, numbered as Caffe's log numbers them ("Testing net (#t)"). */
  testNets: number[];
}

const TRAIN_SOURCES: readonly NetSource[] = ['train_net_param', 'train_net', 'net_param', 'net'];
const FILE_SOURCES = new Set<NetSource>(['net', 'train_net', 'test_net']);

/**
 * Every net field of a solver with the phases Caffe uses it in: test nets are numbered
 * test_net_param entries first, then test_net files, then one instance of `net`/`net_param` for each
 * test_iter left over. (Caffe stops when more than one train net is given; each is marked here.)
 */
export function solverNets(solverFields: readonly FieldNode[]): SolverNet[] {
  const nets: SolverNet[] = [];
  for (const field of solverFields) {
    const source = field.name as NetSource;
    if (!TRAIN_SOURCES.includes(source) && source !== 'test_net' && source !== 'test_net_param') continue;
    const net: SolverNet = { source, field, train: TRAIN_SOURCES.includes(source), testNets: [] };
    if (FILE_SOURCES.has(source) && field.value?.kind === 'string') {
      net.path = scalarText(field.value);
      net.pathSpan = { start: field.value.start, end: field.value.end };
    } else if (FILE_SOURCES.has(source) || field.value?.kind !== 'message') continue;
    nets.push(net);
  }
  let id = 0;
  for (const source of ['test_net_param', 'test_net'] as const) {
    for (const net of nets) if (net.source === source) net.testNets.push(id++);
  }
  const testIters = solverFields.filter((f) => f.name === 'test_iter').length;
  const generic = nets.find((n) => n.source === 'net_param') ?? nets.find((n) => n.source === 'net');
  if (generic) while (id < testIters) generic.testNets.push(id++);
  return nets;
}

/**
 * The states a solver sets for its nets: `train_state` for the train net, the i-th `test_state` for
 * test net i (none for a test net past the last one).
 */
export function solverStates(solverFields: readonly FieldNode[]): {
  train: SolverStateFields;
  tests: SolverStateFields[];
} {
  const train = solverFields.find((f) => f.name === 'train_state');
  return {
    train: stateFields(train),
    tests: solverFields.filter((f) => f.name === 'test_state').map(stateFields),
  };
}

function stateFields(field: FieldNode | undefined): SolverStateFields {
  if (field?.value?.kind !== 'message') return { stages: [] };
  const fields = field.value.fields;
  const stages = repeatedValues(fields, 'stage')
    .map((v) => scalarText(v))
    .filter((s): s is string => s !== undefined);
  const level = numberValue(fields.find((f) => f.name === 'level')?.value);
  return level === undefined ? { stages } : { stages, level };
}

export type FoundIn =
  | 'absolute path'
  | 'solver folder'
  | 'folder above the solver'
  | 'script folder'
  | 'workspace root'
  | 'folder holding the workspace root';

/**
 * A folder Caffe is started in, as a script of the workspace shows: the script names the solver by a
 * path relative to its own folder (`caffe.SGDSolver('../solver.prototxt')` in tripletloss/train.py).
 */
export interface StartFolder {
  folder: string;
  /** The script, relative to its workspace root. */
  script: string;
}

export interface NetFileResolution {
  /** The files tried, in order. */
  candidates: string[];
  /**
   * The first that exists, and where it was found. `windows`: found only with each `\` of the path
   * read as a folder separator, as Caffe on Windows reads it (elsewhere it is part of a file name).
   * `script`: for a script's folder, that script.
   */
  found?: { file: string; in: FoundIn; root?: string; windows?: true; script?: string };
}

/**
 * Finds the file a solver's net path names: as given when absolute, else in the solver's folder, the
 * folders above it up to its workspace root (nearest first), the folders scripts start Caffe in
 * (`starts`), then each workspace root, and last the folder holding a workspace root when the path
 * starts with that root's own name (ENet's solvers name `ENet/prototxts/...`: Caffe started beside
 * the clone).
 */
export function resolveNetFile(
  written: string,
  solverFile: string,
  workspaceRoots: readonly string[],
  exists: (file: string) => boolean,
  starts: readonly StartFolder[] = [],
): NetFileResolution {
  if (written.trim() === '') return { candidates: [] };
  const asWritten = resolveAsWritten(written, solverFile, workspaceRoots, exists, starts);
  // `.\models\net.prototxt`, written for Caffe on Windows: where `\` is no separator (path.sep is
  // `/`), the same places are tried with it read as one when the path as written is found nowhere.
  const slashed = written.replace(/\\/g, '/');
  if (asWritten.found || path.sep !== '/' || slashed === written || WINDOWS_DRIVE.test(written))
    return asWritten;
  const windows = resolveAsWritten(slashed, solverFile, workspaceRoots, exists, starts);
  const candidates = [...new Set([...asWritten.candidates, ...windows.candidates])];
  return windows.found ? { candidates, found: { ...windows.found, windows: true } } : { candidates };
}

/** What a message adds for a path found with its `\` read as separators (`found.windows`). */
export const WINDOWS_READING = ', reading each \\ as a folder separator as Caffe on Windows does';

/** `C:\...` or `C:/...`: a path absolute on Windows, which names no file of this machine. */
export const WINDOWS_DRIVE = /^[A-Za-z]:[\\/]/;

function resolveAsWritten(
  written: string,
  solverFile: string,
  workspaceRoots: readonly string[],
  exists: (file: string) => boolean,
  starts: readonly StartFolder[],
): NetFileResolution {
  // A Windows drive path (`F:/GitRepository/...`) names the drive of the machine it was written on.
  const drive = WINDOWS_DRIVE.test(written);
  const tries: { file: string; in: FoundIn; root?: string; script?: string }[] =
    path.isAbsolute(written) || drive
      ? [{ file: drive ? written : path.normalize(written), in: 'absolute path' }]
      : [
          { file: path.resolve(path.dirname(solverFile), written), in: 'solver folder' },
          // Caffe may be started from any folder between the solver's and the root (a notebook in
          // examples/ trains examples/mnist/solver.prototxt with paths relative to examples/).
          ...foldersAbove(solverFile, workspaceRoots).map((dir) => ({
            file: path.resolve(dir, written),
            in: 'folder above the solver' as const,
          })),
          ...starts.map((s) => ({
            file: path.resolve(s.folder, written),
            in: 'script folder' as const,
            script: s.script,
          })),
          ...workspaceRoots.map((root) => ({
            file: path.resolve(root, written),
            in: 'workspace root' as const,
            root,
          })),
          ...workspaceRoots
            .filter((root) => firstPart(written) === path.basename(path.resolve(root)))
            .map((root) => ({
              file: path.resolve(path.dirname(path.resolve(root)), written),
              in: 'folder holding the workspace root' as const,
              root,
            })),
        ];
  const candidates = [...new Set(tries.map((t) => t.file))];
  const found = tries.find((t) => exists(t.file));
  return found ? { candidates, found } : { candidates };
}

/** Places a message names one by one; past that, how many more were tried. */
const LISTED_CANDIDATES = 6;

/**
 * The places tried, for a message: each of them when there are few, else the first ones (the solver's
 * folder and those nearest it) and how many more (a workspace of many roots tries each).
 */
export function triedPlaces(
  candidates: readonly string[],
  show: (file: string) => string = (f) => f,
): string {
  if (candidates.length <= LISTED_CANDIDATES) return candidates.map(show).join(', ');
  const rest = candidates.length - (LISTED_CANDIDATES - 1);
  return `${candidates
    .slice(0, LISTED_CANDIDATES - 1)
    .map(show)
    .join(', ')} and ${rest} more places (each workspace root)`;
}

/** The first folder a relative path names ('ENet' of 'ENet/prototxts/x.prototxt'; '' for a lone name). */
function firstPart(written: string): string {
  const parts = written.split(/[\\/]/);
  return parts.length > 1 ? parts[0] : '';
}

/** The folders strictly between the solver's folder and the workspace root that holds it, nearest first. */
function foldersAbove(solverFile: string, roots: readonly string[]): string[] {
  const dir = path.dirname(path.resolve(solverFile));
  const root = roots.map((r) => path.resolve(r)).find((r) => dir.startsWith(r + path.sep));
  const out: string[] = [];
  if (!root) return out;
  for (let d = path.dirname(dir); d !== root && d.startsWith(root + path.sep); d = path.dirname(d))
    out.push(d);
  return out;
}
