// Finding the caffe.proto of the Caffe checkouts in a workspace, and the one a prototxt belongs to.
// Caffe keeps its schema at `src/caffe/proto/caffe.proto` under the checkout's root, and a prototxt
// takes the one of a Caffe root that is one of its folders or a direct child of one of them
// (`caffe-fast-rcnn/` beside `models/` in a py-faster-rcnn checkout) or, inside its own repository,
// anywhere below (`external/caffe` in R-FCN) but in another project that holds nets of its own (a
// monorepo's), never one from outside its own workspace root. A checkout beside the prototxt's
// folders counts only inside the prototxt's own repository: in a folder of several clones, one
// clone's Caffe fork is not the schema of its neighbours' nets. A caffe.proto elsewhere
// counts only for the prototxts below its own folder, inside their repository: a repository of new
// layers ships its changed caffe.proto beside the nets that use them (arcface-caffe), while a stray
// one in a test folder is no schema of the nets elsewhere.

import path from 'node:path';
import { compileGlob } from '../../../common/glob';
import { filesUnder } from '../util/walk';
import { isInside } from '../util/path-inside';

/** Where Caffe keeps its schema, below the checkout's root. */
export const CAFFE_PROTO_PATH = ['src', 'caffe', 'proto', 'caffe.proto'] as const;

/** Build output, caches and environments: never a checkout's schema. */
const SKIPPED_DIRS = new Set([
  '.hg',
  '.svn',
  'build',
  'dist',
  'out',
  '.build_release',
  '.build_debug',
  '__pycache__',
  '.venv',
  'venv',
  '.tox',
]);

export interface FindProtoOptions {
  /** Folder levels below the root to visit (default 12). */
  maxDepth?: number;
  /** Give up after this many folders (default 20000), so a huge workspace stays cheap. */
  maxDirs?: number;
  /** Give up after this many milliseconds (default 2000). */
  timeLimitMs?: number;
  /**
   * Globs of folders to leave out, relative to the root with '/' separators; a glob without '/'
   * matches a folder name at any depth (the setting prototxt.schema.exclude). Default: none.
   */
  exclude?: readonly string[];
}

/** The caffe.proto files under root (at Caffe's place or not), sorted; unreadable folders are skipped. */
export function findProtoFiles(root: string, options: FindProtoOptions = {}): string[] {
  const excluded = excludeMatcher(options.exclude ?? []);
  const found: string[] = [];
  const walk = filesUnder([root], {
    maxDirs: options.maxDirs ?? 20000,
    maxDepth: options.maxDepth ?? 12,
    deadline: Date.now() + (options.timeLimitMs ?? 2000),
    skipped: SKIPPED_DIRS,
    enter: (rel) => !excluded(rel),
  });
  for (const { file, name } of walk) {
    if (name === 'caffe.proto') found.push(file);
  }
  return found.sort();
}

/** The Caffe checkout's root of a proto at `<root>/src/caffe/proto/caffe.proto`; undefined elsewhere. */
export function caffeRootOf(proto: string): string | undefined {
  const parts = path.resolve(proto).split(path.sep);
  const tail = parts.slice(-CAFFE_PROTO_PATH.length);
  if (tail.length !== CAFFE_PROTO_PATH.length || tail.some((p, i) => p !== CAFFE_PROTO_PATH[i]))
    return undefined;
  return parts.slice(0, -CAFFE_PROTO_PATH.length).join(path.sep) || path.sep;
}

/**
 * The proto of the Caffe checkout a prototxt belongs to. A checkout counts when its root is one of the
 * prototxt's folders (up to `root`, the workspace root holding it), a direct child of one, or, inside
 * the prototxt's own repository (the nearest of its folders that `isRepositoryRoot` says holds one,
 * e.g. has `.git`), anywhere below (R-FCN's `external/caffe`) unless the folder holding it just below
 * the shared one holds nets of its own (`holdsNets`: a monorepo's other project); a direct child of a
 * folder above that repository does not count (a neighbouring clone). A caffe.proto not at Caffe's place counts when it
 * sits in one of the prototxt's folders, not above its repository. The nearest wins: the fewest levels
 * up from the prototxt to the folder shared with the checkout (or holding the proto), then the fewest
 * down to the checkout, then a checkout before a proto of the same folder, then path order. Before
 * all that, a checkout whose tools the scripts beside the prototxt run (`toolsRun`) is the one, when
 * they name one only. Undefined when none fits (or the prototxt is outside `root`).
 */
export function nearestProto(
  prototxtPath: string,
  protos: readonly string[],
  root?: string,
  isRepositoryRoot: (dir: string) => boolean = () => false,
  /** Whether `folder` holds nets outside the checkout at `except` (see `projectOfItsOwn`). */
  holdsNets: (folder: string, except: string) => boolean = () => false,
  /** The checkouts the scripts of a folder may run Caffe's tools from (see `toolCheckouts`). */
  toolsRun: (folder: string, top: string | undefined) => readonly (readonly string[])[] = () => [],
): string | undefined {
  const file = path.resolve(prototxtPath);
  const top = root === undefined ? undefined : path.resolve(root);
  if (top !== undefined && !isInside(file, top)) return undefined;
  const run = checkoutRun(toolsRun(path.dirname(file), top), protos, top);
  if (run !== undefined) return run;
  // The prototxt's folders, nearest first, down to the workspace root: folder -> levels up.
  const folders = new Map<string, number>();
  let repository = Infinity;
  for (let dir = path.dirname(file), depth = 0; ; dir = path.dirname(dir), depth++) {
    folders.set(dir, depth);
    if (repository === Infinity && isRepositoryRoot(dir)) repository = depth;
    if (dir === top || path.dirname(dir) === dir) break;
  }
  let best: { proto: string; up: number; down: number; loose: boolean } | undefined;
  for (const proto of protos) {
    const caffe = caffeRootOf(proto);
    const loose = caffe === undefined;
    let up: number | undefined;
    let down = 0;
    if (loose) {
      // Not at Caffe's place: only in one of the prototxt's folders, not above its repository.
      up = folders.get(path.dirname(path.resolve(proto)));
      if (up === undefined || (repository !== Infinity && up > repository)) continue;
    } else {
      if (top !== undefined && !isInside(caffe, top)) continue;
      const shared = sharedFolder(caffe, folders);
      if (!shared) continue;
      ({ up, down } = shared);
      // Beside the prototxt's folders: not above its repository. Further below: only inside it, and
      // not inside a project of its own beside the prototxt's (a monorepo's other project).
      if (down === 1 && up > repository) continue;
      if (down > 1 && (repository === Infinity || up > repository)) continue;
      if (down > 1 && holdsNets(projectFolder(caffe, down), caffe)) continue;
    }
    // The nearest folder first, then the fewest levels down, then a checkout before a loose proto.
    const nearer =
      !best ||
      up < best.up ||
      (up === best.up &&
        (down < best.down ||
          (down === best.down &&
            (best.loose && !loose ? true : best.loose === loose && proto < best.proto))));
    if (nearer) best = { proto, up, down, loose };
  }
  return best?.proto;
}

/**
 * The proto of the one checkout whose tools the scripts beside the prototxt run (each tool path's
 * nearest reading that is a checkout of `protos`); undefined when they name none, or several.
 */
function checkoutRun(
  runs: readonly (readonly string[])[],
  protos: readonly string[],
  top: string | undefined,
): string | undefined {
  if (runs.length === 0) return undefined;
  const byRoot = new Map<string, string>();
  for (const proto of protos) {
    const caffe = caffeRootOf(proto);
    if (caffe !== undefined && (top === undefined || isInside(caffe, top))) byRoot.set(caffe, proto);
  }
  const chosen = new Set<string>();
  for (const candidates of runs) {
    const hit = candidates.find((c) => byRoot.has(c));
    if (hit !== undefined) chosen.add(hit);
  }
  return chosen.size === 1 ? byRoot.get([...chosen][0]) : undefined;
}

/** The folder just below the one shared with the prototxt, on the way down to the checkout `caffe`. */
function projectFolder(caffe: string, down: number): string {
  let dir = caffe;
  for (let i = 1; i < down; i++) dir = path.dirname(dir);
  return dir;
}

/**
 * Whether `folder` holds a prototxt outside the checkout at `checkout` (a few levels down at most): a
 * project of its own, whose Caffe is not the schema of the nets beside it (rcnn-optimize's
 * ristretto_rfcn/ with its models/ and caffe/), unlike a folder that only holds a Caffe (R-FCN's
 * external/caffe).
 */
export function projectOfItsOwn(folder: string, checkout: string): boolean {
  const walk = filesUnder([folder], {
    maxDirs: 500,
    maxDepth: 3,
    enter: (rel) => !isInside(path.join(folder, rel), checkout),
  });
  for (const { name } of walk) if (name.endsWith('.prototxt')) return true;
  return false;
}

/** The nearest of the prototxt's `folders` holding `caffe`: levels up to it and down from it. */
function sharedFolder(
  caffe: string,
  folders: ReadonlyMap<string, number>,
): { up: number; down: number } | undefined {
  for (let dir = caffe, down = 0; ; dir = path.dirname(dir), down++) {
    const up = folders.get(dir);
    if (up !== undefined) return { up, down };
    if (path.dirname(dir) === dir) return undefined;
  }
}

function excludeMatcher(globs: readonly string[]): (relativeFolder: string) => boolean {
  const matchers = globs
    .map((g) => g.trim().replace(/\\/g, '/').replace(/^\.\//, '').replace(/^\//, '').replace(/\/$/, ''))
    .filter((g) => g !== '')
    .map((g) => compileGlob(g.includes('/') ? g : `**/${g}`, { withContents: true }));
  return (rel) => matchers.some((m) => m(rel));
}
