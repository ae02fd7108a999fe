import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeLens } from 'vscode-languageserver';
import { DocumentStore } from '../../../../../server/src/documents';
import { pythonFileLenses, pythonRunLenses } from '../../../../../server/src/features/code-lens/python-file';
import { Commands, type RunLayerArgs } from '../../../../../common/protocol';
import type { DirectoryEntry } from '../../../../../server/src/python/file-system';
import { createPythonParser } from '../../../../../server/src/python/parser';
import { DEFAULT_SETTINGS, type Settings } from '../../../../../server/src/settings';
import { Analyses } from '../../../../../server/src/workspace/analyses';
import { PythonWorkspace } from '../../../../../server/src/workspace/python-workspace';
import { memoryFileSystem } from '../../python/memory-fs';

const ROOT = path.resolve('/ws');
const parser = createPythonParser();

async function workspace(files: Record<string, string>, settings: Settings = DEFAULT_SETTINGS) {
  const abs = Object.fromEntries(Object.entries(files).map(([k, v]) => [path.join(ROOT, k), v]));
  const readDirectory = async (dir: string): Promise<DirectoryEntry[]> => {
    const entries = new Map<string, boolean>();
    for (const f of Object.keys(abs)) {
      const rel = path.relative(dir, f);
      if (rel === '' || rel.startsWith('..')) continue;
      const [first, ...rest] = rel.split(path.sep);
      entries.set(first, (entries.get(first) ?? false) || rest.length > 0);
    }
    return [...entries].map(([name, isDirectory]) => ({ name, isDirectory }));
  };
  const python = new PythonWorkspace({
    createParser: () => parser,
    fs: memoryFileSystem(abs),
    readDirectory,
    mtime: async (f) => (f in abs ? 1 : undefined),
  });
  await python.configure([ROOT], settings);
  const documents = new DocumentStore();
  const analyses = new Analyses(documents);
  analyses.configure(settings, [ROOT]);
  /** The feature input of a Python file of the workspace, opened as a document. */
  const pythonInput = (rel: string) => {
    const uri = pathToFileURL(path.join(ROOT, rel)).toString();
    return analyses.analyzedDoc(documents.open(uri, 'python', 1, abs[path.join(ROOT, rel)]));
  };
  return { python, documents, pythonInput };
}

const NET = (name: string, cls: string, module: string) =>
  `layer {\n  name: "${name}"\n  type: "Python"\n  bottom: "x"\n  top: "y"\n` +
  `  python_param {\n    module: "${module}"\n    layer: "${cls}"\n  }\n}\n`;

const LAYERS = `import caffe

class Used(caffe.Layer):
    def setup(self, bottom, top):
        pass


class Helper(object):
    pass


class Unused(caffe.Layer):
    pass
`;

const runArgs = (lens: CodeLens) => lens.command?.arguments?.[0] as RunLayerArgs;
const fileUri = (rel: string) => pathToFileURL(path.join(ROOT, rel)).toString();

test('Run and Debug above each layer class, with the prototxt layers using it and the defaults of a bare run', async () => {
  const ws = await workspace({
    'layers.py': LAYERS,
    'nets/a.prototxt': NET('first', 'Used', 'layers') + NET('other', 'Unused', 'elsewhere'),
    'nets/b.prototxt': NET('second', 'Used', 'layers'),
  });
  const input = ws.pythonInput('layers.py');
  const lenses = await pythonRunLenses(input, ws.python, ws.documents);
  assert.deepEqual(
    lenses.map((l) => [l.command?.title, l.command?.command, l.range.start.line]),
    [
      ['Run', Commands.runLayer, 2],
      ['Debug', Commands.debugLayer, 2],
      ['Run', Commands.runLayer, 11],
      ['Debug', Commands.debugLayer, 11],
    ],
  );
  const used = runArgs(lenses[0]);
  assert.deepEqual(runArgs(lenses[1]), used);
  assert.match(
    lenses[1].command?.tooltip ?? '',
    /^Debug layers\.Used as one of the 2 prototxt layers .*breakpoints/,
  );
  assert.deepEqual(used, {
    uri: input.doc.uri,
    module: 'layers',
    layerClass: 'Used',
    paramStr: '',
    phase: 'TRAIN',
    searchPaths: [ROOT],
    usages: [
      { uri: fileUri('nets/a.prototxt'), layerName: 'first', phase: 'TRAIN' },
      { uri: fileUri('nets/b.prototxt'), layerName: 'second', phase: 'TRAIN' },
    ],
  });
  assert.match(lenses[0].command?.tooltip ?? '', /one of the 2 prototxt layers using it, or with defaults/);
  const unused = runArgs(lenses[2]);
  assert.equal(unused.layerClass, 'Unused');
  assert.deepEqual(unused.usages, []);
  assert.match(
    lenses[2].command?.tooltip ?? '',
    /bottom shapes you give, an empty param_str and phase TRAIN/,
  );
});

test('a layer name used once per phase: each usage says its phase, as its own lens runs it', async () => {
  const phased = (phase: string) => (net: string) =>
    net.replace('  top: "y"\n', `  top: "y"\n  include { phase: ${phase} }\n`);
  const ws = await workspace({
    'layers.py': LAYERS,
    'net.prototxt':
      phased('TRAIN')(NET('proposal', 'Used', 'layers')) + phased('TEST')(NET('proposal', 'Used', 'layers')),
  });
  const [used] = (await pythonRunLenses(ws.pythonInput('layers.py'), ws.python, ws.documents)).map(runArgs);
  assert.deepEqual(used.usages, [
    { uri: fileUri('net.prototxt'), layerName: 'proposal', phase: 'TRAIN' },
    { uri: fileUri('net.prototxt'), layerName: 'proposal', phase: 'TEST' },
  ]);
});

test('the file lenses: on each class line the usage count, then Run and Debug', async () => {
  const ws = await workspace({ 'layers.py': LAYERS, 'a.prototxt': NET('first', 'Used', 'layers') });
  // Both kinds of lens need the prototxts' uses: they are read once per request.
  const read = ws.python.prototxtUses.bind(ws.python);
  let reads = 0;
  ws.python.prototxtUses = (open) => {
    reads++;
    return read(open);
  };
  const lenses = await pythonFileLenses(ws.pythonInput('layers.py'), ws.python, ws.documents);
  assert.deepEqual(
    lenses.map((l) => [l.range.start.line, l.command?.title]),
    [
      [2, '1 prototxt layer uses this layer'],
      [2, 'Run'],
      [2, 'Debug'],
      [11, 'No prototxt layer uses this layer'],
      [11, 'Run'],
      [11, 'Debug'],
    ],
  );
  assert.equal(reads, 1);
});

test('the module name: as the prototxts import it, else from the extra paths, else from the root', async () => {
  const files = {
    'lib/pkg/__init__.py': '',
    'lib/pkg/mod.py': LAYERS,
    'lib/nets/x.prototxt': NET('a', 'Used', 'pkg.mod'),
  };
  // The prototxt in lib/nets imports it as pkg.mod (found from lib/): that name, imported from lib/.
  const ws = await workspace(files);
  // Each class has Run then Debug, with the same arguments.
  const [used, , unused] = (
    await pythonRunLenses(ws.pythonInput('lib/pkg/mod.py'), ws.python, ws.documents)
  ).map(runArgs);
  assert.equal(used.module, 'pkg.mod');
  assert.deepEqual(used.searchPaths, [path.join(ROOT, 'lib')]);
  assert.deepEqual(used.usages, [{ uri: fileUri('lib/nets/x.prototxt'), layerName: 'a', phase: 'TRAIN' }]);
  // No prototxt uses Unused: from the workspace root it is lib.pkg.mod.
  assert.equal(unused.module, 'lib.pkg.mod');
  assert.deepEqual(unused.searchPaths, [ROOT]);

  // With lib/ among the extra paths, the unused class imports as pkg.mod from there.
  const settings = { ...DEFAULT_SETTINGS, python: { ...DEFAULT_SETTINGS.python, extraPaths: ['lib'] } };
  const withExtra = await workspace(files, settings);
  const lenses = await pythonRunLenses(
    withExtra.pythonInput('lib/pkg/mod.py'),
    withExtra.python,
    withExtra.documents,
  );
  assert.equal(runArgs(lenses[1]).module, 'pkg.mod');
  assert.deepEqual(runArgs(lenses[1]).searchPaths, [path.join(ROOT, 'lib')]);
});

test('a folder that is no Python identifier: the module is imported from its own folder', async () => {
  const ws = await workspace({ 'my-layers/scale.py': LAYERS });
  const [args] = (await pythonRunLenses(ws.pythonInput('my-layers/scale.py'), ws.python, ws.documents)).map(
    runArgs,
  );
  assert.equal(args.module, 'scale');
  assert.deepEqual(args.searchPaths, [path.join(ROOT, 'my-layers')]);
});

test('no Run lens in a file without layer classes, nor before the index is built', async () => {
  const ws = await workspace({ 'helpers.py': 'class Helper(object):\n    pass\n', 'layers.py': LAYERS });
  assert.deepEqual(await pythonRunLenses(ws.pythonInput('helpers.py'), ws.python, ws.documents), []);
  const fresh = new PythonWorkspace({ createParser: () => parser, fs: memoryFileSystem({}) });
  assert.deepEqual(await pythonRunLenses(ws.pythonInput('layers.py'), fresh, ws.documents), []);
});
