import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, TextDocumentEdit, TextEdit } from 'vscode-languageserver';
import { pythonQuickFixes } from '../../../../../server/src/features/code-actions/python-layer';
import { parseParamStr } from '../../../../../server/src/analysis/param-str/param-str';
import { featureInputFor } from '../../../../helpers/analyzed-document';
import { DocumentSnapshot } from '../../../../../server/src/documents';
import { inputAt, workspaceOf } from '../python-fixture';
import { Commands } from '../../../../../common/protocol';
import path from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { pythonLayerDiagnostics } from '../../../../../server/src/features/shared/python-layer-diagnostics';
import { createPythonParser } from '../../../../../server/src/python/parser';
import { DEFAULT_SETTINGS } from '../../../../../server/src/settings';
import { PythonWorkspace } from '../../../../../server/src/workspace/python-workspace';
import { tempDir } from '../../../../helpers/temp-dir';

const NET = 'voc-fcn32s/train.prototxt';
const layer = (body: string) =>
  `layer {\n  name: "x"\n  type: "Python"\n  top: "t"\n  python_param {\n${body}  }\n}\n`;

async function actionsFor(body: string, ws = 'fcn', rel = NET) {
  const { root, python } = await workspaceOf(ws);
  const { input } = inputAt(root, rel, `${layer(body)}<|>`);
  const range = { start: { line: 0, character: 0 }, end: input.doc.lines.positionAt(input.doc.text.length) };
  const actions = pythonQuickFixes(
    input,
    { textDocument: { uri: input.doc.uri }, range, context: { diagnostics: [] } },
    python,
  );
  return { input, actions };
}
const apply = (text: string, edits: TextEdit[]) =>
  TextDocument.applyEdits(TextDocument.create('file:///x', 'x', 1, text), edits);

test('did-you-mean on the class keeps the quotes', async () => {
  const { input, actions } = await actionsFor('    module: "voc_layers"\n    layer: "VOCSegDataLayr"\n');
  const change = actions.find((a) => a.title === "Change to 'VOCSegDataLayer'");
  assert.ok(change, actions.map((a) => a.title).join(' | '));
  const edits = change.edit!.changes![input.doc.uri];
  assert.match(apply(input.doc.text, edits), /layer: "VOCSegDataLayer"/);
});

test('create the missing class in its module: four methods and the param_str keys in its format', async () => {
  const { actions } = await actionsFor(
    `    module: "voc_layers"\n    layer: "NewLayer"\n    param_str: '{"seed": 1, "split": "val"}'\n`,
  );
  const create = actions.find((a) => a.title === 'Create class NewLayer in voc_layers.py');
  assert.ok(create, actions.map((a) => a.title).join(' | '));
  const [uri] = Object.keys(create.edit!.changes!);
  assert.match(uri, /fcn\/voc_layers\.py$/);
  const inserted = create.edit!.changes![uri].map((e) => e.newText).join('');
  assert.match(inserted, /^import json\n/);
  assert.match(inserted, /class NewLayer\(caffe\.Layer\):/);
  assert.match(inserted, /params = json\.loads\(self\.param_str\)/);
  assert.match(inserted, /self\.seed = params\["seed"\]/);
  assert.match(inserted, /def backward\(self, top, propagate_down, bottom\):/);
});

test('create the missing module beside the prototxt', async () => {
  const { actions } = await actionsFor(
    `    module: "new_layers"\n    layer: "Fresh"\n    param_str: "{'k': (1, 2)}"\n`,
  );
  const create = actions.find((a) => a.title.startsWith('Create module'));
  assert.ok(create, actions.map((a) => a.title).join(' | '));
  const [file, text] = create.edit!.documentChanges! as [{ kind: string; uri: string }, TextDocumentEdit];
  assert.equal(file.kind, 'create');
  assert.match(file.uri, /voc-fcn32s\/new_layers\.py$/);
  assert.match((text.edits[0] as TextEdit).newText, /import caffe\nimport ast\n/);
  assert.match((text.edits[0] as TextEdit).newText, /ast\.literal_eval\(self\.param_str\)/);
});

test('rewrite param_str into the format the class reads', async () => {
  const { input, actions } = await actionsFor(
    `    module: "mypkg.layers.clustering"\n    layer: "ClusterDetections"\n    param_str: "{'threshold': 0.5, 'gridbox_type': (1,)}"\n`,
    'package',
    'models/detectnet/deploy.prototxt',
  );
  const rewrite = actions.find((a) => a.title.startsWith('Rewrite param_str as JSON'));
  assert.ok(rewrite, actions.map((a) => a.title).join(' | '));
  const out = apply(input.doc.text, rewrite.edit!.changes![input.doc.uri]);
  const literal = /param_str: "((?:[^"\\]|\\.)*)"/.exec(out)![1].replace(/\\"/g, '"');
  assert.deepEqual(parseParamStr(literal, 'json').problems, []);
  assert.equal(literal, '{"threshold": 0.5, "gridbox_type": [1]}');
});

test('eval(self.param_str) -> ast.literal_eval with import ast, or json.loads', () => {
  const text =
    'import caffe\n\nclass L(caffe.Layer):\n    def setup(self, bottom, top):\n        p = eval(self.param_str)\n';
  const input = featureInputFor(text, { uri: 'file:///w/l.py' });
  const doc = new DocumentSnapshot('file:///w/l.py', 1, 'python', text);
  const line = 4;
  const diag = {
    range: { start: { line, character: 12 }, end: { line, character: 33 } },
    message: '',
    code: 'python-eval-param-str',
  };
  const actions: CodeAction[] = pythonQuickFixes(
    { ...input, doc },
    { textDocument: { uri: doc.uri }, range: diag.range, context: { diagnostics: [diag] } },
    undefined as never,
  );
  assert.deepEqual(
    actions.map((a) => a.title),
    ['Use ast.literal_eval', 'Use json.loads'],
  );
  const out = apply(text, actions[0].edit!.changes!['file:///w/l.py']);
  assert.match(out, /^import ast\nimport caffe/);
  assert.match(out, /p = ast\.literal_eval\(self\.param_str\)/);
});

test('a module off the search path: add its folder to extraPaths, for clients that run the command', async () => {
  const { root, python } = await workspaceOf('package');
  const { input } = inputAt(
    root,
    'models/net.prototxt',
    `${layer('    module: "clustering"\n    layer: "ClusterDetections"\n')}<|>`,
  );
  const range = { start: { line: 0, character: 0 }, end: input.doc.lines.positionAt(input.doc.text.length) };
  const params = { textDocument: { uri: input.doc.uri }, range, context: { diagnostics: [] } };
  const titles = (actions: CodeAction[]) => actions.map((a) => a.title);
  // Other editors get the module quick fixes they can apply, not a command they lack.
  assert.deepEqual(titles(pythonQuickFixes(input, params, python)), [
    'Create module clustering.py with class ClusterDetections',
  ]);
  const ours = { ...input, client: { ...input.client, commands: [Commands.addPythonPath] } };
  const [add, ...rest] = pythonQuickFixes(ours, params, python);
  assert.equal(add.title, 'Add mypkg/layers to prototxt.python.extraPaths');
  assert.equal(add.isPreferred, true);
  assert.deepEqual(add.command, {
    title: add.title,
    command: Commands.addPythonPath,
    arguments: [{ folder: path.join(root, 'mypkg', 'layers'), uri: input.doc.uri }],
  });
  assert.deepEqual(titles(rest), ['Create module clustering.py with class ClusterDetections']);
});

test('an import the interpreter lacks but the workspace has off the search path: add that folder', async () => {
  const root = tempDir('missing-import-fix-');
  mkdirSync(path.join(root, 'nets'));
  mkdirSync(path.join(root, 'lib'));
  writeFileSync(
    path.join(root, 'nets', 'box_layer.py'),
    'import caffe\nfrom boxutils import clip\n\nclass Boxes(caffe.Layer):\n    def setup(self, bottom, top):\n        pass\n',
  );
  writeFileSync(path.join(root, 'lib', 'boxutils.py'), 'def clip(x):\n    return x\n');
  const python = new PythonWorkspace({ createParser: () => createPythonParser() });
  await python.configure([root], DEFAULT_SETTINGS);
  python.installedModules = { names: new Set(['caffe', 'os']), label: '/usr/bin/python3' };
  const { input } = inputAt(
    root,
    'nets/net.prototxt',
    `${layer('    module: "box_layer"\n    layer: "Boxes"\n')}<|>`,
  );
  const found = pythonLayerDiagnostics(input, python);
  assert.deepEqual(
    found.map((d) => d.code),
    ['python-import-missing'],
  );
  assert.match(
    found[0].message,
    /nets\/box_layer\.py line 2 imports 'boxutils', which is neither installed for \/usr\/bin\/python3 nor on the workspace's search path\. Caffe stops at this layer: No module named 'boxutils'\. The workspace has it in lib, which is not searched: add that folder/,
  );
  const range = { start: { line: 0, character: 0 }, end: input.doc.lines.positionAt(input.doc.text.length) };
  const params = { textDocument: { uri: input.doc.uri }, range, context: { diagnostics: [] } };
  const ours = { ...input, client: { ...input.client, commands: [Commands.addPythonPath] } };
  const [add] = pythonQuickFixes(ours, params, python);
  assert.equal(add.title, 'Add lib to prototxt.python.extraPaths');
  assert.deepEqual(add.command?.arguments, [{ folder: path.join(root, 'lib'), uri: input.doc.uri }]);
  // With the folder searched, the import is found: nothing to say.
  await python.configure([root], {
    ...DEFAULT_SETTINGS,
    python: { ...DEFAULT_SETTINGS.python, extraPaths: [path.join(root, 'lib')] },
  });
  python.installedModules = { names: new Set(['caffe', 'os']), label: '/usr/bin/python3' };
  assert.deepEqual(
    pythonLayerDiagnostics(
      inputAt(root, 'nets/net.prototxt', `${layer('    module: "box_layer"\n    layer: "Boxes"\n')}<|>`)
        .input,
      python,
    ),
    [],
  );
});

test('a Cython module not built: told on the net until the build puts the module in its package', async () => {
  const root = tempDir('unbuilt-');
  mkdirSync(path.join(root, 'lib', 'utils'), { recursive: true });
  writeFileSync(path.join(root, 'lib', 'utils', '__init__.py'), '');
  writeFileSync(path.join(root, 'lib', 'utils', 'bbox.pyx'), 'def overlaps(a, b):\n    return 0\n');
  writeFileSync(
    path.join(root, 'lib', 'setup.py'),
    'ext = Extension("utils.cython_bbox", ["utils/bbox.pyx"])\n',
  );
  writeFileSync(
    path.join(root, 'lib', 'box_layer.py'),
    'import caffe\nfrom utils.cython_bbox import overlaps\n\nclass Boxes(caffe.Layer):\n    pass\n',
  );
  const python = new PythonWorkspace({ createParser: () => createPythonParser() });
  const settings = {
    ...DEFAULT_SETTINGS,
    python: { ...DEFAULT_SETTINGS.python, extraPaths: [path.join(root, 'lib')] },
  };
  await python.configure([root], settings);
  const net = () =>
    pythonLayerDiagnostics(
      inputAt(root, 'net.prototxt', `${layer('    module: "box_layer"\n    layer: "Boxes"\n')}<|>`).input,
      python,
    );
  const before = net();
  assert.deepEqual(
    before.map((d) => d.code),
    ['python-import-missing'],
  );
  assert.match(
    before[0].message,
    /imports 'utils\.cython_bbox', an extension module lib\/setup\.py builds \(not built yet\)/,
  );
  // The same workspace, no Python file changed: the folder's new entry is seen.
  writeFileSync(path.join(root, 'lib', 'utils', 'cython_bbox.cpython-311-x86_64-linux-gnu.so'), '');
  assert.deepEqual(net(), []);
});
