import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CompletionList, Location } from 'vscode-languageserver';
import { fileUri, repoRoot, startServer, type TestServer } from '../helpers/lsp-client';

const root = path.join(repoRoot, 'test/fixtures/python-workspaces/faster-rcnn');
const netFile = path.join(root, 'models/pascal_voc/VGG16/faster_rcnn_end2end/train.prototxt');
const pyFile = path.join(root, 'lib/rpn/proposal_layer.py');
const scratch = path.join(root, 'models/scratch.prototxt');

let server: TestServer;
before(async () => {
  server = await startServer({ rootPath: root });
  // A layer whose class is missing: its diagnostic appears once the index is ready.
  server.open(
    fileUri(scratch),
    'layer {\n  name: "p"\n  type: "Python"\n  top: "t"\n  python_param {\n    module: "rpn.proposal_layer"\n    layer: "ProposalLayr"\n    param_str: "\'feat_stride\': 16"\n  }\n}\n',
  );
  await server.diagnostics(fileUri(scratch), (p) =>
    p.diagnostics.some((d) => d.code === 'python-class-not-found'),
  );
});
after(async () => {
  await server.stop();
});

const positionOf = (text: string, needle: string, shift = 1) => {
  const at = text.indexOf(needle) + shift;
  const before = text.slice(0, at).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
};

test('diagnostics: the missing class is an error with did-you-mean', async () => {
  const ds = await server.diagnostics(fileUri(scratch), (p) => p.diagnostics.length > 0);
  const d = ds.find((x) => x.code === 'python-class-not-found');
  assert.ok(d, JSON.stringify(ds));
  assert.deepEqual(d.range.start, { line: 6, character: 11 });
  assert.match(String(d.message), /Did you mean "ProposalLayer"/);
});

test('definition: layer: "ProposalLayer" lands on the class in another file', async () => {
  const text = readFileSync(netFile, 'utf8');
  server.open(fileUri(netFile), text);
  const result = (await server.connection.sendRequest('textDocument/definition', {
    textDocument: { uri: fileUri(netFile) },
    position: positionOf(text, "'ProposalLayer'", 3),
  })) as Location[];
  assert.equal(result.length, 1);
  assert.equal(result[0].uri, fileUri(pyFile));
  assert.deepEqual(result[0].range.start, { line: 7, character: 6 });
});

test('references on the class in the Python file list the prototxt layers, also in files not open', async () => {
  const text = readFileSync(pyFile, 'utf8');
  server.open(fileUri(pyFile), text, 'python');
  const refs = (await server.connection.sendRequest('textDocument/references', {
    textDocument: { uri: fileUri(pyFile) },
    position: positionOf(text, 'ProposalLayer'),
    context: { includeDeclaration: false },
  })) as Location[];
  const where = refs
    .map((r) => `${path.relative(root, new URL(r.uri).pathname)}:${r.range.start.line}`)
    .sort();
  assert.deepEqual(where, ['models/pascal_voc/VGG16/faster_rcnn_end2end/train.prototxt:18']);
  const lenses = (await server.connection.sendRequest('textDocument/codeLens', {
    textDocument: { uri: fileUri(pyFile) },
  })) as { command?: { title: string } }[];
  assert.deepEqual(
    lenses.map((l) => l.command?.title),
    ['1 prototxt layer uses this layer', 'Run', 'Debug'],
  );
});

test('completion: module values from the index, param_str keys with defaults', async () => {
  const text =
    'layer {\n  name: "p"\n  type: "Python"\n  python_param {\n    module: "rpn.proposal_layer"\n    layer: "ProposalLayer"\n    param_str: "feat_stride: 16, "\n  }\n}\n';
  const uri = fileUri(path.join(root, 'models/complete.prototxt'));
  server.open(uri, text);
  const modules = (await server.connection.sendRequest('textDocument/completion', {
    textDocument: { uri },
    position: positionOf(text, '"rpn.proposal_layer"'),
  })) as CompletionList;
  const labels = modules.items.map((i) => i.label);
  assert.ok(labels.includes('rpn.proposal_layer'), labels.join(', '));
  assert.ok(labels.includes('roi_data_layer.layer'), labels.join(', '));
  const keys = (await server.connection.sendRequest('textDocument/completion', {
    textDocument: { uri },
    position: positionOf(text, '16, "', 4),
  })) as CompletionList;
  const scales = keys.items.find((i) => i.label === 'scales');
  assert.ok(scales, JSON.stringify(keys.items.map((i) => i.label)));
  assert.equal((scales.textEdit as { newText: string }).newText, 'scales: !!python/tuple [8, 16, 32]');
});
