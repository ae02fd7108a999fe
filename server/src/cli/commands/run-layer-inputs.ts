// What `run-layer` checks and works out before Python starts: the shapes of the bottoms given as .npy
// files (a missing or unreadable file is a usage error, not a traceback from the harness), where the
// layer's module is looked for (as the editor looks: --python-path and PYTHONPATH, the net's folder,
// the folders the workspace's scripts put on sys.path, the net's parent folders up to the workspace
// root), and, when the run could not import the module, a message that says where it looked.

import fs from 'node:fs';
import path from 'node:path';
import type { BottomFill, RunResult } from '../../../../common/run/types';
import { npyShape } from '../../../../common/run/fill';
import type { ModuleElsewhere, ModuleResolutionContext } from '../../python/resolve-module';
import { indexOnDemand, localDemand } from '../../workspace/python-demand';
import type { LayerPlan } from '../../run/plan';
import { workspaceRootOf } from '../check-workspace';

/** A .npy header is far smaller than this. */
const HEADER_BYTES = 64 * 1024;

/**
 * The shape each bottom takes from its .npy fill (undefined for the other bottoms); a string names
 * the file that cannot be used and why. One fill given for several bottoms fills each of them.
 */
export function npyBottomShapes(
  fills: readonly BottomFill[],
  bottoms: number,
  cwd: string,
): (number[] | undefined)[] | string {
  const out: (number[] | undefined)[] = [];
  const read = new Map<string, number[] | string>();
  for (let i = 0; i < bottoms; i++) {
    const fill = fills.length === 1 ? fills[0] : fills[i];
    if (fill === undefined || typeof fill === 'string') {
      out.push(undefined);
      continue;
    }
    const file = path.resolve(cwd, fill.npy);
    let shape = read.get(file);
    if (shape === undefined) read.set(file, (shape = npyFileShape(file)));
    if (typeof shape === 'string') return `--fill ${fill.npy}: ${shape}`;
    out.push(shape);
  }
  return out;
}

function npyFileShape(file: string): number[] | string {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    if (!fs.fstatSync(fd).isFile()) return 'not a file';
    const bytes = Buffer.alloc(HEADER_BYTES);
    const n = fs.readSync(fd, bytes, 0, HEADER_BYTES, 0);
    const shape = npyShape(bytes.subarray(0, n));
    if (typeof shape === 'string') return shape;
    if (shape.length === 0) return 'it holds a single number (a 0-dimensional array), not a blob';
    if (shape.some((d) => d === 0)) return `its shape (${shape.join(', ')}) has an empty axis`;
    return shape;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? String(error)})`;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Where the layer's module is looked for, as the editor looks for it (without the workspace's scripts). */
export function moduleSearch(
  netFile: string,
  cwd: string,
  root: string | undefined,
  pythonPaths: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ModuleResolutionContext {
  const fromEnv = (env.PYTHONPATH ?? '').split(path.delimiter).filter((p) => p !== '');
  return {
    prototxtDir: path.dirname(netFile),
    workspaceRoots: [workspaceRootOf(netFile, cwd, root)],
    extraPaths: [...pythonPaths, ...fromEnv].map((p) => path.resolve(cwd, p)),
    sysPathFolders: [],
  };
}

/**
 * `search` with the folders the workspace's scripts put on sys.path (py-faster-rcnn's
 * `tools/_init_paths.py` adds `lib`), as `check` and the editor find them, and the Python files read
 * to find them and `modules` (with those that a module would be if their folder were searched, for
 * the message when it is not found: see modulesElsewhere).
 */
export async function withWorkspaceSysPath(
  search: ModuleResolutionContext,
  modules: readonly string[],
): Promise<{ search: ModuleResolutionContext; files: string[] }> {
  const { index } = await indexOnDemand(
    localDemand(search.workspaceRoots, search.extraPaths),
    modules.map((module) => ({ module, fromDir: search.prototxtDir })),
    [],
  );
  return {
    search: { ...search, sysPathFolders: index.sysPathFolders(), scriptFolders: index.scriptFolders() },
    files: index.files(),
  };
}

/**
 * A run that failed to import the layer's module, told in the user's words; undefined otherwise.
 * `elsewhere`: workspace files the module would be from another folder (the first is named).
 */
export function missingModule(
  result: RunResult,
  plan: LayerPlan,
  elsewhere: readonly ModuleElsewhere[] = [],
  cwd = process.cwd(),
): string | undefined {
  const error = result.error;
  if (!error || error.phase !== 'import' || !plan.moduleProblem) return undefined;
  if (error.type !== 'ModuleNotFoundError' && error.type !== 'ImportError') return undefined;
  const found = elsewhere[0];
  const advice = found
    ? `${path.relative(cwd, found.file) || found.file} is that module: add --python-path ` +
      `${path.relative(cwd, found.folder) || '.'} (or put its folder on PYTHONPATH).`
    : 'Add the folder that holds it with --python-path DIR (or PYTHONPATH), or run from the workspace with --root.';
  return `the layer's module could not be imported (${error.type}: ${error.message}): ${plan.moduleProblem}. ${advice}`;
}
