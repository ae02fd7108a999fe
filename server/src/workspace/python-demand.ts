// A Python index built only as far as some Python layers need it (the CLI's check): the files the
// editor's index would hold are listed, but only these are analysed: the scripts that put folders on
// sys.path (found by their text), the modules the layers name, the Python files asked about, and
// whatever those import, transitively. Questions about these layers get the answers the whole index
// gives. A file whose analysis an earlier process kept for its current text (util/disk-cache) is not
// parsed again, and tree-sitter is loaded only when some file has to be parsed.

import * as path from 'node:path';
import { createExcludeFilter, createNodeFileSystem, type PythonFileSystem } from '../python/file-system';
import type { ModuleInfo } from '../python/module-info';
import { createPythonParser, type PythonParser } from '../python/parser';
import { reviveModuleInfo } from '../python/py-span';
import { importTargets, modulesElsewhere, packageInits, resolveModule } from '../python/resolve-module';
import { runsCaffeAsScript, SYS_PATH_HINT } from '../python/sys-path';
import { PythonIndex } from '../python/workspace-index';
import { resultCache, type DiskCache } from '../util/disk-cache';

export interface DemandOptions {
  fs: PythonFileSystem;
  /** The parser, asked for when the first file has to be parsed (once). */
  parser: () => Promise<PythonParser>;
  /** Analyses kept between processes. */
  results?: DiskCache;
  roots: readonly string[];
  /** Extra module folders, absolute (indexed like the roots). */
  extraPaths: readonly string[];
  exclude: readonly string[];
}

/**
 * The options of a demand index on the local disk: tree-sitter loaded only when a file has to be
 * parsed (analyses an earlier process kept for the same texts are read back instead).
 */
export function localDemand(roots: readonly string[], extraPaths: readonly string[]): DemandOptions {
  let loading: Promise<PythonParser> | undefined;
  return {
    fs: createNodeFileSystem(),
    parser: () => (loading ??= createPythonParser()),
    roots,
    extraPaths,
    exclude: [],
    results: resultCache(),
  };
}

/** A `module:` a layer names, and the folder of the prototxt naming it. */
export interface ModuleNeed {
  module: string;
  fromDir: string;
}

/** At most this many files are analysed, whatever the imports. */
const MAX_FILES = 5000;
/** Files analysed for a module that is not on the search path, to name the one to add. */
const MAX_ELSEWHERE = 3;

/**
 * The index of what `needs` and `files` (Python files, absolute) need, and every file the whole index
 * would hold (`listed`: a Python file outside it, e.g. in a virtualenv, is never analysed).
 */
export async function indexOnDemand(
  options: DemandOptions,
  needs: readonly ModuleNeed[],
  files: readonly string[],
): Promise<{ index: PythonIndex; listed: ReadonlySet<string> }> {
  const index = new PythonIndex({
    fs: options.fs,
    roots: options.roots,
    extraPaths: options.extraPaths,
    exclude: options.exclude,
  });
  const known = new Set<string>();
  for (const folder of indexedFolders(options)) {
    const filter = createExcludeFilter(folder, options.exclude);
    for (const f of await options.fs.listPythonFiles(folder, filter)) known.add(f);
  }
  const read = (file: string) => options.fs.readFile(file).catch(() => undefined);
  let parser: Promise<PythonParser> | undefined;
  const analyse = async (file: string, text: string): Promise<ModuleInfo> => {
    // A kept analysis has its spans as JSON: made spans again as it is checked.
    const kept = options.results?.get<ModuleInfo>(
      MODULE_KIND,
      file,
      text,
      (v) => isModuleInfo(v, file) && reviveModuleInfo(v as ModuleInfo),
    );
    if (kept) {
      index.adopt(kept);
      return kept;
    }
    index.useParser(await (parser ??= options.parser()));
    const info = index.update(file, text);
    options.results?.set(MODULE_KIND, file, text, info);
    return info;
  };
  // The sys.path scripts first, and the scripts that run Caffe (their folder is first on sys.path):
  // where modules resolve depends on them.
  for (const file of [...known].sort()) {
    const text = await read(file);
    if (text !== undefined && (SYS_PATH_HINT.test(text) || runsCaffeAsScript(text)))
      await analyse(file, text);
  }
  const exists = (f: string) => known.has(f);
  const queue: string[] = [];
  const want = (file: string | undefined) => {
    if (file !== undefined && known.has(file)) queue.push(file);
  };
  for (const need of needs) {
    const found = resolveModule(need.module.trim(), index.resolutionContext(need.fromDir), exists);
    want(found.file);
    // Python runs the packages' __init__.py first.
    if (found.file) packageInits(found.file, need.module.trim(), exists).forEach(want);
    found.others.forEach(want);
    // A module off the search path: its check names the file and the folder to add.
    if (!found.file) {
      for (const c of modulesElsewhere(need.module, known).slice(0, MAX_ELSEWHERE)) want(c.file);
      // And files named as its last part, one of which may define the class under that name alone.
      const parts = need.module.trim().split('.');
      const last = `${parts[parts.length - 1]}.py`;
      if (parts.length > 1)
        [...known]
          .filter((f) => path.basename(f) === last)
          .slice(0, MAX_ELSEWHERE)
          .forEach(want);
    }
  }
  files.forEach(want);
  const done = new Set<string>();
  while (queue.length > 0 && done.size < MAX_FILES) {
    const file = queue.shift() as string;
    if (done.has(file)) continue;
    done.add(file);
    let info = index.moduleInfo(file);
    if (!info) {
      const text = await read(file);
      if (text === undefined) continue;
      info = await analyse(file, text);
    }
    for (const b of info.imports) {
      for (const target of importTargets(file, b, index.resolutionContext(path.dirname(file)), exists))
        want(target);
    }
  }
  return { index, listed: known };
}

/** The kind of the Python analyses in the result cache. */
const MODULE_KIND = 'python-module';

/** Whether a kept value has the form of `file`'s ModuleInfo. */
function isModuleInfo(value: unknown, file: string): boolean {
  const v = value as Partial<ModuleInfo> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.file === file &&
    Array.isArray(v.imports) &&
    Array.isArray(v.classes) &&
    Array.isArray(v.sysPath) &&
    Array.isArray(v.syntaxErrors)
  );
}

function indexedFolders(options: DemandOptions): string[] {
  const out: string[] = [];
  for (const f of [...options.roots, ...options.extraPaths]) {
    const abs = path.resolve(f);
    if (!out.some((o) => abs === o || abs.startsWith(o + path.sep))) out.push(abs);
  }
  return out;
}
