// A `Run` code lens above each layer class of a Python file. Its arguments name the module (as the
// prototxts that use the class import it, else as it imports from the resolution roots), the class and
// the prototxt layers that use it; the client asks which of them to run, or runs the class with
// defaults (asked bottom shapes, empty param_str, TRAIN).

import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeLens } from 'vscode-languageserver';
import type { DocumentStore } from '../../documents';
import { layerKept } from '../../analysis/model/net-filter';
import type { ClassInfo } from '../../python/module-info';
import { checkModuleName, moduleNamesFor } from '../../python/resolve-module';
import type { PythonIndex } from '../../python/workspace-index';
import { Commands, type RunLayerArgs, type RunLayerUsage } from '../../../../common/protocol';
import { importRoot } from '../../run/plan';
import type { PrototxtUses, PythonWorkspace } from '../../workspace/python-workspace';
import type { AnalyzedDocument } from '../context';
import { layerClassesOf, openPrototxts, type UsesSource } from '../shared/python-classes';

/** Every lens of a Python document: above each layer class, how many prototxt layers use it, then `Run`. */
export async function pythonFileLenses(
  input: AnalyzedDocument,
  python: PythonWorkspace,
  documents: DocumentStore,
): Promise<CodeLens[]> {
  // Both kinds of lens read the same prototxt uses: read once.
  let read: Promise<PrototxtUses[]> | undefined;
  const uses: UsesSource = () => (read ??= python.prototxtUses(openPrototxts(documents)));
  const [usage, run] = await Promise.all([
    pythonClassLenses(input, python, documents, uses),
    pythonRunLenses(input, python, documents, uses),
  ]);
  const line = (l: CodeLens) => l.range.start.line;
  // A stable sort: on each class line the usage count comes before Run.
  return [...usage, ...run].sort((a, b) => line(a) - line(b));
}

/** The `Run` lens of each layer class of a Python document; none before the index is built. */
export async function pythonRunLenses(
  input: AnalyzedDocument,
  python: PythonWorkspace,
  documents: DocumentStore,
  uses: UsesSource = () => python.prototxtUses(openPrototxts(documents)),
): Promise<CodeLens[]> {
  const found = await layerClassesOf(input, python, uses);
  if (!found) return [];
  const { file, index, classes, all } = found;
  const lenses: CodeLens[] = [];
  for (const cls of classes) {
    const args = pythonRunArgs(input.doc.uri, file, cls, python, index, all);
    if (!args) continue;
    const n = args.usages?.length ?? 0;
    const tooltip =
      n === 0
        ? `Run ${args.module}.${cls.name} with bottom shapes you give, an empty param_str and phase TRAIN`
        : `Run ${args.module}.${cls.name} as one of the ${n} prototxt layer${n === 1 ? '' : 's'} using it, ` +
          'or with defaults';
    lenses.push(
      {
        range: cls.nameSpan.range,
        command: { title: 'Run', tooltip, command: Commands.runLayer, arguments: [args] },
      },
      {
        range: cls.nameSpan.range,
        command: {
          title: 'Debug',
          tooltip: `${tooltip.replace(/^Run/, 'Debug')}: breakpoints in its methods stop`,
          command: Commands.debugLayer,
          arguments: [args],
        },
      },
    );
  }
  return lenses;
}

/**
 * The run arguments of one class of `file`: its usages in `all`, the module name, and the folders to
 * import it from. Undefined when the file cannot be imported under any valid module name.
 */
export function pythonRunArgs(
  uri: string,
  file: string,
  cls: ClassInfo,
  python: PythonWorkspace,
  index: PythonIndex,
  all: readonly PrototxtUses[],
): RunLayerArgs | undefined {
  const uses = python.usesOfClass(all, file, cls.name);
  const usages: RunLayerUsage[] = uses.map(({ file: f, use }) => ({
    uri: pathToFileURL(f.file).toString(),
    layerName: use.layer.name,
    // As the layer's lens chooses it: TRAIN when the layer's rules keep it there.
    phase: layerKept(use.layer, 'TRAIN', 0, []) ? 'TRAIN' : 'TEST',
  }));
  const module = moduleNameOf(
    file,
    index,
    uses.map((u) => u.use.module?.value.trim() ?? ''),
  );
  if (!module) return undefined;
  const root = importRoot(module, file);
  const sysPath = [...index.sysPathFolders(), ...index.scriptFolders()].filter(
    (f) => path.resolve(f) !== path.resolve(root),
  );
  return {
    uri,
    module,
    layerClass: cls.name,
    paramStr: '',
    phase: 'TRAIN',
    searchPaths: [root, ...sysPath],
    usages,
  };
}

/**
 * The dotted name to import `file` by: the one most of its prototxt usages write (they import it so),
 * else the first valid name from the extra paths, the workspace's sys.path folders and the workspace
 * roots in that order, else its bare file name (imported from its own folder).
 */
export function moduleNameOf(
  file: string,
  index: PythonIndex,
  usedNames: readonly string[],
): string | undefined {
  const counts = new Map<string, number>();
  for (const name of usedNames) {
    if (name === '' || checkModuleName(name) || !importsAs(name, file)) continue;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const used = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (used) return used;
  const ctx = index.resolutionContext(path.dirname(file));
  for (const folder of [
    ...ctx.extraPaths,
    ...ctx.sysPathFolders,
    ...(ctx.scriptFolders ?? []),
    ...ctx.workspaceRoots,
  ]) {
    const [name] = moduleNamesFor(file, [folder]);
    if (name) return name;
  }
  return moduleNamesFor(file, [path.dirname(file)])[0];
}

/** Whether `dotted` names `file` (its last parts are the file's path without `.py`). */
function importsAs(dotted: string, file: string): boolean {
  const parts = dotted.split('.');
  const base = path.basename(file, '.py');
  const tail = base === '__init__' ? [] : [base];
  let dir = path.dirname(file);
  const fromPath: string[] = [...tail];
  while (fromPath.length < parts.length && path.dirname(dir) !== dir) {
    fromPath.unshift(path.basename(dir));
    dir = path.dirname(dir);
  }
  return fromPath.length === parts.length && fromPath.every((p, i) => p === parts[i]);
}

/** One lens above each layer class of a Python document: how many prototxt layers use it. */
export async function pythonClassLenses(
  input: AnalyzedDocument,
  python: PythonWorkspace,
  documents: DocumentStore,
  uses: UsesSource = () => python.prototxtUses(openPrototxts(documents)),
): Promise<CodeLens[]> {
  const found = await layerClassesOf(input, python, uses);
  if (!found) return [];
  const { file, classes, all } = found;
  return classes.map((cls) => {
    const uses = python.usesOfClass(all, file, cls.name);
    const n = uses.length;
    const title =
      n === 0
        ? 'No prototxt layer uses this layer'
        : `${n} prototxt layer${n === 1 ? '' : 's'} use${n === 1 ? 's' : ''} this layer`;
    if (n === 0) return { range: cls.nameSpan.range, command: { title, command: '' } };
    const locations = uses.map(({ file, use }) => ({
      uri: pathToFileURL(file.file).toString(),
      range: file.lines.rangeOf(
        (use.layer.nameSpan ?? use.layer.node).start,
        (use.layer.nameSpan ?? use.layer.node).end,
      ),
    }));
    const args = [input.doc.uri, cls.nameSpan.range.start, locations];
    return {
      range: cls.nameSpan.range,
      command: { title, command: Commands.showReferences, arguments: args },
    };
  });
}
