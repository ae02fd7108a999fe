import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DocumentStore } from '../../../../../server/src/documents';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver';
import { pythonQuickFixes } from '../../../../../server/src/features/code-actions/python-layer';
import { pythonClassLenses } from '../../../../../server/src/features/code-lens/python-file';
import { pythonLayerDiagnostics } from '../../../../../server/src/features/shared/python-layer-diagnostics';
import { toLspDiagnostics } from '../../../../../server/src/features/shared/lsp-diagnostics';
import { Cursor } from '../../../../../server/src/features/context';
import { prototxtDiagnostics } from '../../../../../server/src/features/diagnostics/gather';
import { pythonFileDiagnostics } from '../../../../../server/src/features/diagnostics/python-file';
import { pythonLayerReferences } from '../../../../../server/src/features/references/python-layer';
import { createPythonParser } from '../../../../../server/src/python/parser';
import type { DirectoryEntry } from '../../../../../server/src/python/file-system';
import { DEFAULT_SETTINGS } from '../../../../../server/src/settings';
import { Analyses } from '../../../../../server/src/workspace/analyses';
import { PythonWorkspace } from '../../../../../server/src/workspace/python-workspace';
import { memoryFileSystem } from '../../python/memory-fs';
import { has, SYSTEM_PYTHON } from '../../../../helpers/resources';
import { SolverUses } from '../../../../../server/src/workspace/solver-uses';
import { findPycaffe, runWithPycaffe, skipUnlessPycaffe } from '../../../../helpers/caffe-solver';

const ROOT = path.resolve('/ws');
const parser = createPythonParser();

/** A workspace over in-memory files; `mtimes` lets a test say a file changed on disk. */
async function workspace(files: Record<string, string>) {
  const abs: Record<string, string> = Object.fromEntries(
    Object.entries(files).map(([k, v]) => [path.join(ROOT, k), v]),
  );
  const mtimes = new Map<string, number>();
  let changes = 0;
  const changedFiles: (string[] | undefined)[] = [];
  const readDirectory = async (dir: string): Promise<DirectoryEntry[]> => {
    const entries = new Map<string, boolean>();
    for (const f of Object.keys(abs)) {
      const rel = path.relative(dir, f);
      if (rel.startsWith('..') || rel === '') continue;
      const [first, ...rest] = rel.split(path.sep);
      entries.set(first, (entries.get(first) ?? false) || rest.length > 0);
    }
    return [...entries].map(([name, isDirectory]) => ({ name, isDirectory }));
  };
  const python = new PythonWorkspace({
    createParser: () => parser,
    fs: memoryFileSystem(abs),
    readDirectory,
    mtime: async (f) => (f in abs ? (mtimes.get(f) ?? 1) : undefined),
    onChange: (files) => {
      changes++;
      changedFiles.push(files ? [...files] : undefined);
    },
  });
  await python.configure([ROOT], DEFAULT_SETTINGS);
  const documents = new DocumentStore();
  const analyses = new Analyses(documents);
  analyses.configure(DEFAULT_SETTINGS, [ROOT]);
  return { python, abs, mtimes, analyses, documents, changes: () => changes, changedFiles };
}

/** The quick fixes offered for `diagnostics` of the Python file `file`, opened with `source`. */
function quickFixesFor(
  ws: Awaited<ReturnType<typeof workspace>>,
  file: string,
  source: string,
  diagnostics: Awaited<ReturnType<typeof pythonFileDiagnostics>>,
) {
  const uri = pathToFileURL(file).toString();
  const input = ws.analyses.analyzedDoc(ws.documents.open(uri, 'python', 1, source));
  const context = { diagnostics };
  const actions = pythonQuickFixes(
    input,
    { textDocument: { uri }, range: diagnostics[0].range, context },
    ws.python,
  );
  return { uri, actions };
}

const NET = (cls: string, module = 'layers') =>
  `layer {\n  name: "a"\n  type: "Python"\n  top: "t"\n  python_param {\n    module: "${module}"\n    layer: "${cls}"\n  }\n}\n`;
/** The same layer with a bottom: Caffe calls its backward when it trains. */
const FED = (cls: string) => NET(cls).replace('  top: "t"', '  bottom: "x"\n  top: "t"');

const LAYERS = `import caffe

class Used(caffe.Layer):
    def setup(self, bottom, top):
        self.p = eval(self.param_str)

    def forward(self, bottom, top):
        pass

    def backward(self, bottom, propagate_down, top):
        pass


class Unused(caffe.Layer):
    pass


class Child(Used):
    def reshape(self, bottom, top):
        pass
`;

test('Python file: missing methods of a used layer, backward signature, eval(self.param_str)', async () => {
  const ws = await workspace({ 'layers.py': LAYERS, 'nets/a.prototxt': FED('Used') + NET('Child') });
  const ds = await pythonFileDiagnostics(path.join(ROOT, 'layers.py'), ws.python, ws.documents);
  const summary = ds.map((d) => [d.code, d.range.start.line]);
  assert.deepEqual(summary, [
    ['python-layer-missing-method', 2],
    ['python-backward-signature', 9],
    ['python-eval-param-str', 4],
  ]);
  assert.match(String(ds[0].message), /lacks reshape/);
  assert.match(
    String(ds[1].message),
    /\(self, bottom, propagate_down, top\): its bottom receives the tops and its top the bottoms\.$/,
  );
  assert.match(String(ds[2].message), /^eval\(self\.param_str\) runs/);
  // py-faster-rcnn's attribute is named as written.
  const underscored = await workspace({
    'layers.py': LAYERS.replace('eval(self.param_str)', 'eval(self.param_str_)'),
    'nets/a.prototxt': FED('Used') + NET('Child'),
  });
  const [evaluated] = (
    await pythonFileDiagnostics(path.join(ROOT, 'layers.py'), underscored.python, underscored.documents)
  ).filter((d) => d.code === 'python-eval-param-str');
  assert.match(String(evaluated?.message), /^eval\(self\.param_str_\) runs/);
});

test('a used layer whose setup, reshape and forward only index the tops: Caffe aborts at the first top read', async () => {
  const layer = (reshape: string, forward = 'top[0].data[...] = bottom[0].data') =>
    `import caffe\n\nclass L(caffe.Layer):\n    def setup(self, bottom, top):\n        assert len(top) == 1\n\n    def reshape(self, bottom, top):\n        ${reshape}\n\n    def forward(self, bottom, top):\n        ${forward}\n\n    def backward(self, top, propagate_down, bottom):\n        pass\n`;
  const found = async (source: string, net = NET('L')) => {
    const ws = await workspace({ 'layers.py': source, 'nets/a.prototxt': net });
    const ds = await pythonFileDiagnostics(path.join(ROOT, 'layers.py'), ws.python, ws.documents);
    return ds.filter((d) => d.code === 'python-top-not-reshaped');
  };
  const [never] = await found(layer('pass'));
  assert.ok(never);
  assert.equal(never.range.start.line, 6); // reshape's name
  assert.match(String(never.message), /^L never reshapes its tops .*"Check failed: data_"/);
  // Reshaped, or handed to code that may reshape it: nothing to say.
  assert.deepEqual(await found(layer('top[0].reshape(*bottom[0].data.shape)')), []);
  assert.deepEqual(await found(layer('pass', 'top[0].reshape(2, 3)')), []);
  assert.deepEqual(await found(layer('for t in top:\n            t.reshape(1)')), []);
  assert.deepEqual(await found(layer('self.shape_tops(bottom, top)')), []);
  // One top handed to a helper (textspotter's set_blob_data(top[0], ...)), or kept under another name.
  assert.deepEqual(await found(layer('set_blob_data(top[0], np.zeros((1, 4)))')), []);
  assert.deepEqual(await found(layer('blob = top[0]\n        blob.reshape(1)')), []);
  // A numpy reshape of a top's data is no reshape of the blob.
  assert.equal((await found(layer('top[0].data.reshape(-1)'))).length, 1);
  // A class no net uses is left alone (a base for others, perhaps).
  assert.deepEqual(await found(layer('pass'), NET('Other')), []);
});

const pycaffe = findPycaffe();

test(
  'real Caffe: a layer that never reshapes its tops aborts at the first top read; the warning says so',
  { skip: skipUnlessPycaffe(pycaffe) },
  async () => {
    const layer = (reshape: string) =>
      `import caffe\n\nclass Copy(caffe.Layer):\n    def setup(self, bottom, top):\n        pass\n\n    def reshape(self, bottom, top):\n        ${reshape}\n\n    def forward(self, bottom, top):\n        top[0].data[...] = bottom[0].data\n\n    def backward(self, top, propagate_down, bottom):\n        pass\n`;
    const net =
      'layer { name: "d" type: "Input" top: "data" input_param { shape { dim: 2 dim: 3 } } }\n' +
      'layer { name: "c" type: "Python" bottom: "data" top: "c" python_param { module: "copy_layer" layer: "Copy" } }\n';
    // In place (kaggle_statefarm's augmentation layer): the top is the data blob, shaped by its layer.
    const inPlace = net.replace('bottom: "data" top: "c"', 'bottom: "data" top: "data"');
    const run = (blob: string) =>
      `import caffe\nnet = caffe.Net("net.prototxt", caffe.TEST)\nnet.forward()\nprint("ran", net.blobs["${blob}"].data.shape)\n`;
    for (const [reshape, warned, text, blob] of [
      ['pass', true, net, 'c'],
      ['top[0].reshape(*bottom[0].data.shape)', false, net, 'c'],
      ['pass', false, inPlace, 'data'],
    ] as const) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'top-reshape-'));
      try {
        fs.writeFileSync(path.join(dir, 'copy_layer.py'), layer(reshape));
        fs.writeFileSync(path.join(dir, 'net.prototxt'), text);
        const caffe = runWithPycaffe(pycaffe.folder ?? '', run(blob), [], dir);
        const ws = await workspace({ 'copy_layer.py': layer(reshape), 'net.prototxt': text });
        const ds = await pythonFileDiagnostics(path.join(ROOT, 'copy_layer.py'), ws.python, ws.documents);
        const warning = ds.some((d) => d.code === 'python-top-not-reshaped');
        assert.equal(warning, warned, reshape);
        if (warned) {
          assert.notEqual(caffe.status, 0, caffe.out);
          assert.match(caffe.log, /Check failed: data_/);
        } else {
          assert.equal(caffe.status, 0, caffe.log.slice(-2000));
          assert.match(caffe.out, /ran \(2, 3\)/);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  },
);

test("backward: names are the author's, only the order and the count matter to Caffe", async () => {
  const backwardOf = async (signature: string) => {
    const source = `import caffe\n\nclass L(caffe.Layer):\n    def setup(self, bottom, top):\n        pass\n\n    def reshape(self, bottom, top):\n        pass\n\n    def forward(self, bottom, top):\n        pass\n\n    def backward${signature}:\n        pass\n`;
    const ws = await workspace({ 'layers.py': source, 'nets/a.prototxt': FED('L') });
    const ds = await pythonFileDiagnostics(path.join(ROOT, 'layers.py'), ws.python, ws.documents);
    return ds.filter((d) => d.code === 'python-backward-signature').map((d) => String(d.message));
  };
  // SEC's pylayers call it prop_down; others top_blobs and bottom_blobs.
  assert.deepEqual(await backwardOf('(self, top, prop_down, bottom)'), []);
  assert.deepEqual(await backwardOf('(self, tops, propagate, bottoms)'), []);
  assert.deepEqual(await backwardOf('(self, *args)'), []);
  // A parameter with a default may be left out; a fourth without one cannot.
  assert.deepEqual(await backwardOf('(self, top, propagate_down, bottom, scale=1.0)'), []);
  assert.deepEqual(await backwardOf('(self, top, *rest)'), []);
  assert.match(
    (await backwardOf('(self, top, propagate_down, bottom, scale)'))[0] ?? '',
    /TypeError \(4 required parameters after self, Caffe passes 3\)\.$/,
  );
  // The tutorial's two parameters: Caffe's call of three fails.
  assert.match(
    (await backwardOf('(self, bottom, top)'))[0] ?? '',
    /TypeError \(2 required parameters after self, Caffe passes 3\)\.$/,
  );
  assert.match((await backwardOf('(self, top, propagate_down)'))[0] ?? '', /TypeError/);
});

test('backward of a class the nets use only as a source: information, as Caffe never calls it there', async () => {
  const source = (extra = '') =>
    `import caffe\n\nclass L(caffe.Layer):\n    def setup(self, bottom, top):\n        ${extra || 'pass'}\n\n    def reshape(self, bottom, top):\n        top[0].reshape(1)\n\n    def forward(self, bottom, top):\n        pass\n\n    def backward(self, bottom, top):\n        pass\n`;
  const found = async (py: string, net: string) => {
    const ws = await workspace({ 'layers.py': py, 'nets/a.prototxt': net });
    const ds = await pythonFileDiagnostics(path.join(ROOT, 'layers.py'), ws.python, ws.documents);
    return ds
      .filter((d) => d.code === 'python-backward-signature')
      .map((d) => ({ severity: d.severity, message: String(d.message) }));
  };
  // A data layer (no bottoms) without blobs, in a net without force_backward: never called.
  const [{ severity, message }] = await found(source(), NET('L'));
  assert.equal(severity, 3);
  assert.match(
    message,
    /TypeError \(2 required parameters after self, Caffe passes 3\)\. Caffe calls it only on a layer that needs gradients; the nets use L with no bottoms, no blobs to learn and no force_backward, so it is not called there\.$/,
  );
  // Called: a use with a bottom, a net with force_backward, a class with blobs to learn, no use at all.
  const warned = async (py: string, net: string) => (await found(py, net)).map((d) => d.severity);
  assert.deepEqual(await warned(source(), NET('L') + FED('L').replace('name: "a"', 'name: "b"')), [2]);
  assert.deepEqual(await warned(source(), `force_backward: true\n${NET('L')}`), [2]);
  assert.deepEqual(await warned(source('self.blobs.add_blob(3)'), NET('L')), [2]);
  assert.deepEqual(await warned(source(), NET('Other')), [2]);
  // Fed, but kept only in the TEST phase (caffe_GAN's GenLayer): backward never runs there.
  const testOnly = FED('L').replace('  top: "t"', '  top: "t"\n  include { phase: TEST }');
  const [test] = await found(source(), testOnly);
  assert.equal(test?.severity, 3);
  assert.match(
    test?.message ?? '',
    /Caffe calls it only while training; the nets use L only in TEST-phase layers/,
  );
  assert.deepEqual(await warned(source(), `force_backward: true\n${testOnly}`), [2]);
  const excluded = FED('L').replace('  top: "t"', '  top: "t"\n  exclude { phase: TRAIN }');
  assert.deepEqual(await warned(source(), excluded), [3]);
  // In TRAIN too, in another net: called.
  assert.deepEqual(await warned(source(), testOnly + FED('L').replace('name: "a"', 'name: "b"')), [2]);
});

test('references and lenses: prototxt layers on disk and open, cached by mtime', async () => {
  const ws = await workspace({
    'layers.py': LAYERS,
    'nets/a.prototxt': NET('Used'),
    'nets/b.pt': NET('Used') + NET('Unused'),
  });
  const pyUri = pathToFileURL(path.join(ROOT, 'layers.py')).toString();
  const py = ws.documents.open(pyUri, 'python', 1, LAYERS);
  const input = ws.analyses.analyzedDoc(py);
  const refs = await pythonLayerReferences(new Cursor(input, { line: 2, character: 8 }), false, {
    python: ws.python,
    documents: ws.documents,
    roots: [ROOT],
    solvers: new SolverUses(),
  });
  assert.deepEqual(
    refs!.map((r) => `${path.basename(new URL(r.uri).pathname)}:${r.range.start.line}`).sort(),
    ['a.prototxt:6', 'b.pt:6'],
  );
  const lenses = await pythonClassLenses(input, ws.python, ws.documents);
  assert.deepEqual(
    lenses.map((l) => l.command?.title),
    [
      '2 prototxt layers use this layer',
      '1 prototxt layer uses this layer',
      'No prototxt layer uses this layer',
    ],
  );
  // An open prototxt is newer than the disk.
  ws.documents.open(
    pathToFileURL(path.join(ROOT, 'nets/a.prototxt')).toString(),
    'prototxt',
    1,
    NET('Unused'),
  );
  const after = await pythonClassLenses(input, ws.python, ws.documents);
  assert.deepEqual(
    after.map((l) => l.command?.title),
    [
      '1 prototxt layer uses this layer',
      '2 prototxt layers use this layer',
      'No prototxt layer uses this layer',
    ],
  );
});

test('incremental: watched-file events and edits of open Python documents update the index', async () => {
  const ws = await workspace({ 'layers.py': LAYERS });
  const file = path.join(ROOT, 'extra.py');
  assert.equal(ws.python.index!.has(file), false);
  ws.abs[file] = 'import caffe\nclass Extra(caffe.Layer): pass\n';
  await ws.python.filesChanged([{ file, kind: 'created' }]);
  assert.ok(ws.python.index!.isLayerClass(file, 'Extra'));
  ws.python.pythonEdited(file, 'class Extra(object): pass\n');
  assert.equal(ws.python.index!.isLayerClass(file, 'Extra'), false);
  await ws.python.filesChanged([{ file, kind: 'deleted' }]);
  assert.equal(ws.python.index!.has(file), false);
  assert.ok(ws.changes() >= 3);
  // Each change names the file (the server forgets shapes learned from that module's layers).
  assert.deepEqual(ws.changedFiles.slice(-3), [[file], [file], [file]]);
});

test('settings: extraPaths rebuild the index, other settings do not', async () => {
  const ws = await workspace({ 'layers.py': LAYERS });
  assert.equal(ws.python.needsBuild([ROOT], { ...DEFAULT_SETTINGS, format: { indent: 4 } }), false);
  const settings = { ...DEFAULT_SETTINGS, python: { ...DEFAULT_SETTINGS.python, extraPaths: ['lib'] } };
  assert.equal(ws.python.needsBuild([ROOT], settings), true);
  const building = ws.python.configure([ROOT], settings);
  assert.equal(ws.python.ready, false);
  await building;
  assert.equal(ws.python.ready, true);
  assert.equal(ws.python.index!.resolutionContext(ROOT).extraPaths[0], path.join(ROOT, 'lib'));
});

const PY2_LAYERS = `import caffe

class Old(caffe.Layer):
    def setup(self, bottom, top):
        print 'setting up', len(bottom)
        self.n = 10L

    def reshape(self, bottom, top):
        top[0].reshape(1)

    def forward(self, bottom, top):
        print >>sys.stderr, top[0].data.shape
`;

const python2Settings = {
  ...DEFAULT_SETTINGS,
  python: { ...DEFAULT_SETTINGS.python, interpreter: '/usr/bin/python2.7' },
};

test('Python 2 code in a layer module: a warning each, and a warning on the prototxt module that names it', async () => {
  const ws = await workspace({ 'layers.py': PY2_LAYERS, 'nets/a.prototxt': NET('Old') });
  const ds = await pythonFileDiagnostics(path.join(ROOT, 'layers.py'), ws.python, ws.documents);
  assert.deepEqual(
    ds.map((d) => [d.code, d.range.start.line, d.severity]),
    [
      ['python2-syntax', 4, 2],
      ['python2-syntax', 5, 2],
      ['python2-syntax', 11, 2],
    ],
  );
  assert.match(
    String(ds[0].message),
    /^Python 2 only: a print statement\. Python 3 cannot compile this file.*in Python 3: print\('setting up', len\(bottom\)\)\.$/,
  );
  assert.match(String(ds[2].message), /stops with a TypeError when the line runs/);

  const netUri = pathToFileURL(path.join(ROOT, 'nets/a.prototxt')).toString();
  const net = ws.analyses.analyzedDoc(ws.documents.open(netUri, 'prototxt', 1, NET('Old')));
  const onNet = pythonLayerDiagnostics(net, ws.python);
  assert.deepEqual(
    onNet.map((d) => [d.code, d.severity, net.doc.text.slice(d.start, d.end)]),
    [['python-module-python2', 'warning', '"layers"']],
  );
  assert.match(
    onNet[0].message,
    /^Module 'layers' is Python 2 code: layers\.py line 5 has a print statement \(and 1 more line that stops its import\)\. Python 3 cannot import it \(SyntaxError\)/,
  );

  // A code the settings leave out is not published (the cap counts what is).
  const published = (settings: typeof DEFAULT_SETTINGS) => {
    ws.analyses.configure(settings, [ROOT]);
    return prototxtDiagnostics(ws.analyses.analyzedDoc(ws.documents.get(netUri)!), ws.python).map(
      (d) => d.code,
    );
  };
  assert.ok(published(DEFAULT_SETTINGS).includes('python-module-python2'));
  assert.ok(
    !published({ ...DEFAULT_SETTINGS, diagnostics: { ignore: ['python-module-python2'] } }).includes(
      'python-module-python2',
    ),
  );
  ws.analyses.configure(DEFAULT_SETTINGS, [ROOT]);

  // Layer after layer of the same module (py-R-FCN's proposal layers): said once, at the first.
  const three = [1, 2, 3]
    .map((i) => NET('Old').replace('name: "a"', `name: "a${i}"`).replace('top: "t"', `top: "t${i}"`))
    .join('');
  const many = ws.analyses.analyzedDoc(
    ws.documents.open(pathToFileURL(path.join(ROOT, 'nets/many.prototxt')).toString(), 'prototxt', 1, three),
  );
  const folded = prototxtDiagnostics(many, ws.python).filter((d) => d.code === 'python-module-python2');
  assert.equal(folded.length, 1);
  assert.equal(folded[0].relatedInformation?.length, 2);
  assert.match(String(folded[0].message), /The same holds at 2 more places in this file/);

  // An interpreter named python2 runs such modules: nothing to say.
  const old = await pythonFileDiagnostics(
    path.join(ROOT, 'layers.py'),
    ws.python,
    ws.documents,
    python2Settings,
  );
  assert.deepEqual(old, []);
  ws.analyses.configure(python2Settings, [ROOT]);
  assert.deepEqual(pythonLayerDiagnostics(ws.analyses.analyzedDoc(ws.documents.get(netUri)!), ws.python), []);
});

test('Python 2 quick fixes: one line, or the whole file, written for Python 3', async () => {
  const ws = await workspace({ 'layers.py': PY2_LAYERS });
  const uri = pathToFileURL(path.join(ROOT, 'layers.py')).toString();
  const input = ws.analyses.analyzedDoc(ws.documents.open(uri, 'python', 1, PY2_LAYERS));
  const ds = await pythonFileDiagnostics(path.join(ROOT, 'layers.py'), ws.python, ws.documents);
  const ask = (diagnostics: typeof ds) =>
    pythonQuickFixes(
      input,
      { textDocument: { uri }, range: diagnostics[0].range, context: { diagnostics } },
      ws.python,
    );
  const one = ask([ds[0]]);
  assert.deepEqual(
    one.map((a) => a.title),
    [
      "Write it for Python 3: print('setting up', len(bottom))",
      "Write the file's Python 2 code for Python 3 (3 places)",
    ],
  );
  const edit = (a: (typeof one)[number]) =>
    TextDocument.applyEdits(TextDocument.create(uri, 'python', 1, PY2_LAYERS), a.edit!.changes![uri]);
  assert.match(edit(one[0]), / {8}print\('setting up', len\(bottom\)\)\n {8}self\.n = 10L\n/);
  const all = edit(one[1]);
  assert.match(all, /print\('setting up', len\(bottom\)\)\n {8}self\.n = 10\n/);
  assert.match(all, /print\(top\[0\]\.data\.shape, file=sys\.stderr\)\n$/);
  // A diagnostic of an older version that no construct of the document matches gets no fix.
  const stale = { ...ds[0], range: { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } } };
  assert.deepEqual(ask([stale]), []);
});

test('Python 2 code that a layer module runs: a package __init__.py, or a module it imports', async () => {
  const layer = (imports: string) =>
    `import caffe\n${imports}\n\nclass L(caffe.Layer):\n    def setup(self, bottom, top):\n        pass\n\n` +
    '    def reshape(self, bottom, top):\n        pass\n\n    def forward(self, bottom, top):\n        pass\n';
  const ws = await workspace({
    'pkg/__init__.py': 'print "loading pkg"\n',
    'pkg/layer.py': layer(''),
    'clean/__init__.py': '',
    'clean/layer.py': layer('from helpers.show import show'),
    'helpers/__init__.py': '',
    'helpers/show.py': 'def show(x):\n    print x\n',
    'nets/a.prototxt': NET('L', 'pkg.layer') + NET('L', 'clean.layer'),
  });
  const netUri = pathToFileURL(path.join(ROOT, 'nets/a.prototxt')).toString();
  const net = ws.analyses.analyzedDoc(
    ws.documents.open(netUri, 'prototxt', 1, NET('L', 'pkg.layer') + NET('L', 'clean.layer')),
  );
  const onNet = pythonLayerDiagnostics(net, ws.python);
  assert.deepEqual(
    onNet.map((d) => [d.code, net.doc.text.slice(d.start, d.end)]),
    [
      ['python-module-python2', '"pkg.layer"'],
      ['python-module-python2', '"clean.layer"'],
    ],
  );
  assert.match(
    onNet[0].message,
    /^Module 'pkg\.layer' runs Python 2 code when imported: pkg\/__init__\.py line 1 has a print statement\. /,
  );
  assert.match(
    onNet[1].message,
    /runs Python 2 code when imported: helpers\/show\.py line 2 has a print statement, reached through clean\/layer\.py -> helpers\/show\.py\. /,
  );
  // The helper holds no layer class; its Python 2 line is shown with its fix all the same.
  const helper = await pythonFileDiagnostics(path.join(ROOT, 'helpers/show.py'), ws.python, ws.documents);
  assert.deepEqual(
    helper.map((d) => [d.code, d.range.start.line]),
    [['python2-syntax', 1]],
  );
});

test('a Python 2 module import stops the import; xrange and iteritems fail only when their line runs', async () => {
  const body =
    '\n\nclass L(caffe.Layer):\n    def setup(self, bottom, top):\n        self.d = {}\n\n' +
    '    def reshape(self, bottom, top):\n        pass\n\n    def forward(self, bottom, top):\n' +
    '        for i in xrange(2):\n            for k, v in self.d.iteritems():\n                pass\n';
  const ws = await workspace({
    'pickled.py': `import caffe\nimport cPickle${body}`,
    'running.py': `import caffe${body}`,
    'nets/a.prototxt': NET('L', 'pickled') + NET('L', 'running'),
  });
  const ds = await pythonFileDiagnostics(path.join(ROOT, 'pickled.py'), ws.python, ws.documents);
  assert.deepEqual(
    ds.map((d) => [d.range.start.line, d.message]),
    [
      [
        1,
        'Python 2 only: an import of cPickle (pickle in Python 3). Python 3 has no such module, so importing ' +
          'the layer stops with a ModuleNotFoundError; in Python 3: pickle as cPickle.',
      ],
      [
        11,
        'Python 2 only: xrange, a builtin Python 3 lacks. Python 3 stops with a NameError when the line runs; ' +
          'in Python 3: range.',
      ],
      [
        12,
        'Python 2 only: dict.iteritems(), which Python 3 dicts lack. Python 3 stops with an AttributeError ' +
          'when the line runs; in Python 3: .items().',
      ],
    ],
  );
  const netUri = pathToFileURL(path.join(ROOT, 'nets/a.prototxt')).toString();
  const net = ws.analyses.analyzedDoc(
    ws.documents.open(netUri, 'prototxt', 1, NET('L', 'pickled') + NET('L', 'running')),
  );
  const onNet = pythonLayerDiagnostics(net, ws.python);
  // Only the import stops: the other module imports, and its lines fail when the layer runs.
  assert.deepEqual(
    onNet.map((d) => net.doc.text.slice(d.start, d.end)),
    ['"pickled"'],
  );
  assert.match(
    onNet[0].message,
    /pickled\.py line 2 has an import of cPickle \(pickle in Python 3\)\. Python 3 cannot import it \(ModuleNotFoundError\)/,
  );
});

test('yaml.load without a Loader: a warning with its two fixes; none under Python 2', async () => {
  const source =
    'import caffe\nimport yaml\n\nclass L(caffe.Layer):\n    def setup(self, bottom, top):\n' +
    '        self.params = yaml.load(self.param_str)\n';
  const ws = await workspace({ 'layers.py': source });
  const file = path.join(ROOT, 'layers.py');
  const ds = await pythonFileDiagnostics(file, ws.python, ws.documents);
  assert.deepEqual(
    ds.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character]),
    [['python-yaml-load', 5, 22, 31]],
  );
  // The net: Caffe sets the layer up when it builds the net, and stops there.
  const netUri = pathToFileURL(path.join(ROOT, 'a.prototxt')).toString();
  const net = ws.analyses.analyzedDoc(ws.documents.open(netUri, 'prototxt', 1, NET('L')));
  const onNet = pythonLayerDiagnostics(net, ws.python);
  assert.deepEqual(
    onNet.map((d) => [d.code, d.severity, net.doc.text.slice(d.start, d.end)]),
    [['python-yaml-load', 'warning', '"L"']],
  );
  assert.match(
    onNet[0].message,
    /^L reads param_str with yaml\.load\(\) without a Loader \(layers\.py line 6\)/,
  );
  assert.match(
    String(ds[0].message),
    /^yaml\.load\(\) without a Loader: PyYAML 6 and later stop with a TypeError/,
  );
  const { uri, actions } = quickFixesFor(ws, file, source, ds);
  const apply = (i: number) =>
    TextDocument.applyEdits(TextDocument.create(uri, 'python', 1, source), actions[i].edit!.changes![uri]);
  assert.deepEqual(
    actions.map((a) => a.title),
    ['Use yaml.safe_load', 'Give Loader=yaml.FullLoader (reads !!python/tuple too)'],
  );
  assert.match(apply(0), /self\.params = yaml\.safe_load\(self\.param_str\)\n$/);
  assert.match(apply(1), /self\.params = yaml\.load\(self\.param_str, Loader=yaml\.FullLoader\)\n$/);
  ws.python.pythonMajor = 2;
  const underPython2 = await pythonFileDiagnostics(file, ws.python, ws.documents);
  assert.deepEqual(
    underPython2.filter((d) => d.code === 'python-yaml-load'),
    [],
  );
  assert.deepEqual(pythonLayerDiagnostics(net, ws.python), []);
});

test('yaml.load in a module only Python 2 imports: the net tells the Python 2 code, the file still the call', async () => {
  const source =
    'import caffe\nimport yaml\n\nclass L(caffe.Layer):\n    def setup(self, bottom, top):\n' +
    '        print "setting up"\n        self.params = yaml.load(self.param_str)\n';
  const ws = await workspace({ 'layers.py': source });
  const netUri = pathToFileURL(path.join(ROOT, 'a.prototxt')).toString();
  const net = ws.analyses.analyzedDoc(ws.documents.open(netUri, 'prototxt', 1, NET('L')));
  // PyYAML 6 needs Python 3, which cannot import the module: its yaml.load is no failure there yet.
  assert.deepEqual(
    pythonLayerDiagnostics(net, ws.python).map((d) => d.code),
    ['python-module-python2'],
  );
  const inFile = await pythonFileDiagnostics(path.join(ROOT, 'layers.py'), ws.python, ws.documents);
  assert.ok(inFile.some((d) => d.code === 'python-yaml-load'));
});

test('yaml.load in the setup a layer inherits is told on the net; not when the layer has its own setup', async () => {
  const base =
    'import caffe\nimport yaml\n\nclass Base(caffe.Layer):\n    def setup(self, bottom, top):\n' +
    '        self.params = yaml.load(self.param_str)\n';
  const layers =
    'from base import Base\n\nclass Inherits(Base):\n    def forward(self, bottom, top):\n        pass\n\n' +
    'class Own(Base):\n    def setup(self, bottom, top):\n        self.params = {}\n';
  const ws = await workspace({ 'base.py': base, 'layers.py': layers });
  const text = NET('Inherits') + NET('Own');
  const netUri = pathToFileURL(path.join(ROOT, 'a.prototxt')).toString();
  const net = ws.analyses.analyzedDoc(ws.documents.open(netUri, 'prototxt', 1, text));
  const onNet = pythonLayerDiagnostics(net, ws.python);
  assert.deepEqual(
    onNet.map((d) => [d.code, net.doc.text.slice(d.start, d.end)]),
    [['python-yaml-load', '"Inherits"']],
  );
  assert.match(
    onNet[0].message,
    /^Inherits reads param_str with yaml\.load\(\) without a Loader \(Base\.setup, base\.py line 6\)/,
  );
});

test("the net's Python 2 warning: one fix writes every module the layer's import runs for Python 3", async (t) => {
  const layer = (imports: string, body: string) =>
    `import caffe\n${imports}\n\nclass L(caffe.Layer):\n    def setup(self, bottom, top):\n        ${body}\n\n` +
    '    def reshape(self, bottom, top):\n        pass\n\n    def forward(self, bottom, top):\n        pass\n';
  const files: Record<string, string> = {
    'pkg/__init__.py': 'print "loading pkg"\n',
    'pkg/layer.py': layer('import cPickle\nfrom helpers.show import show', 'self.n = [i for i in xrange(3)]'),
    'helpers/__init__.py': '',
    'helpers/show.py':
      'import sys\n\ndef show(d):\n    for k, v in d.iteritems():\n        if v <> 0:\n            print >>sys.stderr, k, v\n',
    'helpers/unused.py': 'print "never imported by the layer"\n',
    'nets/a.prototxt': NET('L', 'pkg.layer'),
  };
  const ws = await workspace(files);
  const netUri = pathToFileURL(path.join(ROOT, 'nets/a.prototxt')).toString();
  const input = ws.analyses.analyzedDoc(ws.documents.open(netUri, 'prototxt', 1, files['nets/a.prototxt']));
  const warning = toLspDiagnostics(netUri, input.doc.lines, pythonLayerDiagnostics(input, ws.python)).find(
    (d) => d.code === 'python-module-python2',
  );
  assert.ok(warning);
  const actions = pythonQuickFixes(
    input,
    { textDocument: { uri: netUri }, range: warning.range, context: { diagnostics: [warning] } },
    ws.python,
  );
  assert.deepEqual(
    actions.map((a) => a.title),
    ["Write the Python 2 code this layer's import runs for Python 3 (6 places in 3 files)"],
  );
  const changes = actions[0].edit?.changes ?? {};
  const rel = (uri: string) => path.relative(ROOT, new URL(uri).pathname).split(path.sep).join('/');
  assert.deepEqual(Object.keys(changes).map(rel).sort(), [
    'helpers/show.py',
    'pkg/__init__.py',
    'pkg/layer.py',
  ]);
  const written = Object.fromEntries(
    Object.entries(changes).map(([uri, edits]) => {
      const before = files[rel(uri)];
      return [rel(uri), TextDocument.applyEdits(TextDocument.create(uri, 'python', 1, before), edits)];
    }),
  );
  assert.equal(written['pkg/__init__.py'], 'print("loading pkg")\n');
  assert.match(
    written['helpers/show.py'],
    /for k, v in d\.items\(\):\n {8}if v != 0:\n {12}print\(k, v, file=sys\.stderr\)\n/,
  );
  // What has no Python 3 form (a tuple parameter), or sits inside what the fix rewrites, is counted.
  const rest = await workspace({
    ...files,
    'helpers/show.py': `${files['helpers/show.py']}\nfirst = lambda (a, b): a\nprint 10L\n`,
  });
  const restInput = rest.analyses.analyzedDoc(
    rest.documents.open(netUri, 'prototxt', 1, files['nets/a.prototxt']),
  );
  const restWarning = toLspDiagnostics(
    netUri,
    restInput.doc.lines,
    pythonLayerDiagnostics(restInput, rest.python),
  )[0];
  assert.deepEqual(
    pythonQuickFixes(
      restInput,
      { textDocument: { uri: netUri }, range: restWarning.range, context: { diagnostics: [restWarning] } },
      rest.python,
    ).map((a) => a.title),
    [
      "Write the Python 2 code this layer's import runs for Python 3 (7 places in 3 files; 2 more remain after it)",
    ],
  );
  // Python 3 itself compiles what the fix wrote (and would not have compiled what was there).
  if (!has(t, 'python')) return;
  for (const [name, text] of Object.entries(written)) {
    const compile = (source: string) =>
      spawnSync(SYSTEM_PYTHON, ['-c', 'import sys; compile(sys.stdin.read(), "f", "exec")'], {
        input: source,
        encoding: 'utf8',
      }).status;
    assert.equal(compile(text), 0, `${name} does not compile:\n${text}`);
  }
  assert.notEqual(
    spawnSync(SYSTEM_PYTHON, ['-c', 'import sys; compile(sys.stdin.read(), "f", "exec")'], {
      input: files['helpers/show.py'],
    }).status,
    0,
  );
});

test('an import the interpreter lacks: told at its line, with the package that provides a known module', async () => {
  const source = 'import caffe\nimport cv2\nimport json\nimport absent_helper_zz\n';
  const ws = await workspace({ 'layers.py': source });
  const file = path.join(ROOT, 'layers.py');
  const missing = async () =>
    (await pythonFileDiagnostics(file, ws.python, ws.documents)).filter(
      (d) => d.code === 'python-import-missing',
    );
  assert.deepEqual(await missing(), []);
  ws.python.installedModules = { names: new Set(['caffe', 'json']), label: '/usr/bin/python3', major: 3 };
  const told = await missing();
  assert.deepEqual(
    told.map((d) => d.range.start.line),
    [1, 3],
  );
  assert.match(
    String(told[0].message),
    /^No module named 'cv2': this line imports 'cv2', which is neither installed for \/usr\/bin\/python3 nor on the workspace's search path, so importing this file stops here\. Install it for \/usr\/bin\/python3 \(pip package opencv-python, or Debian's python3-opencv\), or add its folder/,
  );
  assert.match(String(told[1].message), /\. Install it for \/usr\/bin\/python3, or add its folder/);
  ws.python.installedModules = { names: new Set(['caffe', 'json']), label: 'python2.7', major: 2 };
  assert.match(
    String((await missing())[0].message),
    /Install it for python2\.7 \(pip package opencv-python\), or/,
  );
});

test('a sys.path entry written with ~: told in the file, fixed with os.path.expanduser, as Python itself shows', async (t) => {
  const source = "import sys\nsys.path.insert(0, '~/caffe/python')\nimport helper\n";
  const ws = await workspace({ 'tools/run.py': source });
  const file = path.join(ROOT, 'tools/run.py');
  const ds = (await pythonFileDiagnostics(file, ws.python, ws.documents)).filter(
    (d) => d.code === 'python-sys-path-tilde',
  );
  assert.deepEqual(
    ds.map((d) => [d.range.start.line, d.range.start.character, d.range.end.character]),
    [[1, 19, 35]],
  );
  assert.match(
    String(ds[0].message),
    /^Python does not expand ~ in sys\.path: '~\/caffe\/python' names a folder called "~" under the folder Python is started in, not the home folder.* Write os\.path\.expanduser\('~\/caffe\/python'\)\.$/,
  );
  const { uri, actions } = quickFixesFor(ws, file, source, ds);
  assert.deepEqual(
    actions.map((a) => a.title),
    ['Expand ~ with os.path.expanduser'],
  );
  const fixed = TextDocument.applyEdits(
    TextDocument.create(uri, 'python', 1, source),
    actions[0].edit!.changes![uri],
  );
  assert.equal(
    fixed,
    "import os\nimport sys\nsys.path.insert(0, os.path.expanduser('~/caffe/python'))\nimport helper\n",
  );
  // Once fixed, nothing is told.
  const after = await workspace({ 'tools/run.py': fixed });
  assert.deepEqual(
    (await pythonFileDiagnostics(file, after.python, after.documents)).filter(
      (d) => d.code === 'python-sys-path-tilde',
    ),
    [],
  );
  // Python itself: with a home holding caffe/python/helper.py, the import fails as written and works fixed.
  if (!has(t, 'python')) return;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tilde-home-'));
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'tilde-cwd-'));
  try {
    fs.mkdirSync(path.join(home, 'caffe', 'python'), { recursive: true });
    fs.writeFileSync(path.join(home, 'caffe', 'python', 'helper.py'), 'VALUE = 1\n');
    const run = (text: string) =>
      spawnSync(SYSTEM_PYTHON, ['-c', text], { cwd, env: { ...process.env, HOME: home }, encoding: 'utf8' });
    const asWritten = run(source);
    assert.notEqual(asWritten.status, 0);
    assert.match(asWritten.stderr, /No module named 'helper'/);
    assert.equal(run(fixed).status, 0);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(cwd, { recursive: true, force: true });
  }
});

test("a package's module importing its siblings by bare name: told at each import, made relative by the fixes", async (t) => {
  const anchor =
    'from generate_anchors import (generate_anchors,\n                              scales)\n' +
    'import generate_anchors as ga\nimport os, generate_anchors\nimport caffe\n\n\n' +
    'class AnchorLayer(caffe.Layer):\n    def setup(self, bottom, top):\n        self.a = generate_anchors()\n\n' +
    '    def reshape(self, bottom, top):\n        top[0].reshape(1)\n\n    def forward(self, bottom, top):\n' +
    '        pass\n';
  const files = {
    'rpn/__init__.py': '',
    'rpn/generate_anchors.py': 'def generate_anchors():\n    return []\n\n\nscales = [8, 16]\n',
    'rpn/anchor_layer.py': anchor,
    'train.prototxt': NET('AnchorLayer', 'rpn.anchor_layer'),
  };
  const ws = await workspace(files);
  const file = path.join(ROOT, 'rpn/anchor_layer.py');
  const ds = await pythonFileDiagnostics(file, ws.python, ws.documents);
  assert.deepEqual(
    ds.map((d) => [d.code, d.range.start.line, d.range.end.line]),
    [
      ['python2-relative-import', 0, 1],
      ['python2-relative-import', 2, 2],
      ['python2-relative-import', 3, 3],
    ],
  );
  assert.equal(
    ds[1].message,
    "Only Python 2 finds 'generate_anchors' here: it is rpn/generate_anchors.py, which Python 2 reads relative " +
      "to this module's package as nets import it ('rpn.anchor_layer'); Python 3 looks for a top-level " +
      "'generate_anchors' and stops: No module named 'generate_anchors'. Write from . import generate_anchors, " +
      'which both read.',
  );
  // In the Python file: each statement made relative; `import os, generate_anchors` is left to the author.
  const { uri, actions } = quickFixesFor(ws, file, anchor, ds);
  assert.deepEqual(
    actions.map((a) => a.title),
    [
      'Import it relatively: from .generate_anchors import (generate_anchors...',
      'Import it relatively: from . import generate_anchors as ga',
    ],
  );
  const apply = (text: string, edits: TextEdit[]) =>
    TextDocument.applyEdits(TextDocument.create(uri, 'python', 1, text), edits);
  assert.match(
    apply(anchor, actions[1].edit!.changes![uri]),
    /\nfrom \. import generate_anchors as ga\nimport os, /,
  );
  // On the net: every statement the fix can write, in the module's file, at once.
  const netUri = pathToFileURL(path.join(ROOT, 'train.prototxt')).toString();
  const net = ws.analyses.analyzedDoc(ws.documents.open(netUri, 'prototxt', 1, files['train.prototxt']));
  const onNet = pythonLayerDiagnostics(net, ws.python);
  assert.deepEqual(
    onNet.map((d) => d.code),
    ['python2-relative-import'],
  );
  const lsp = toLspDiagnostics(netUri, net.doc.lines, onNet);
  const netFixes = pythonQuickFixes(
    net,
    { textDocument: { uri: netUri }, range: lsp[0].range, context: { diagnostics: lsp } },
    ws.python,
  );
  assert.deepEqual(
    netFixes.map((a) => a.title),
    ["Import the package's modules relatively in anchor_layer.py (2 places; 1 more to write by hand)"],
  );
  const fixed = apply(anchor, netFixes[0].edit!.changes![uri]).replace(
    'import os, generate_anchors',
    'import os\nfrom . import generate_anchors',
  );
  assert.match(
    fixed,
    /^from \.generate_anchors import \(generate_anchors,\n {30}scales\)\nfrom \. import generate_anchors as ga\n/,
  );
  // A net naming the module without its package imports it from its own folder: nothing to say.
  const flat = await workspace({ ...files, 'train.prototxt': NET('AnchorLayer', 'anchor_layer') });
  assert.deepEqual(await pythonFileDiagnostics(file, flat.python, flat.documents), []);
  // Python 2 reads them all as they are.
  assert.deepEqual(await pythonFileDiagnostics(file, ws.python, ws.documents, python2Settings), []);
  // Python 3 itself: the module as written stops at its first import; as fixed, it imports.
  if (!has(t, 'python')) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relative-import-'));
  try {
    const stub = 'class Layer(object):\n    pass\n';
    const importIt = (text: string) => {
      fs.mkdirSync(path.join(dir, 'rpn'), { recursive: true });
      for (const [rel, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, rel), content);
      fs.writeFileSync(path.join(dir, 'rpn/anchor_layer.py'), text);
      fs.writeFileSync(path.join(dir, 'caffe.py'), stub);
      return spawnSync(SYSTEM_PYTHON, ['-c', 'import rpn.anchor_layer'], { cwd: dir, encoding: 'utf8' });
    };
    assert.match(importIt(anchor).stderr, /ModuleNotFoundError: No module named 'generate_anchors'/);
    const after = importIt(fixed);
    assert.equal(after.status, 0, after.stderr);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
