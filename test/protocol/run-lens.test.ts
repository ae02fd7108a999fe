import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CodeLens } from 'vscode-languageserver';
import { fileUri, repoRoot, startServer, type TestServer } from '../helpers/lsp-client';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'layers');
let server: TestServer;
before(async () => {
  server = await startServer({ rootPath: repoRoot });
});
after(async () => {
  await server.stop();
});

test('the server announces code lenses', () => {
  assert.deepEqual(server.initializeResult.capabilities.codeLensProvider, { resolveProvider: false });
});

test('textDocument/codeLens: Run layer and Check gradients above each Python layer', async () => {
  const file = path.join(fixtures, 'layers.prototxt');
  const uri = fileUri(file);
  server.open(uri, readFileSync(file, 'utf8'));
  const lenses = await server.connection.sendRequest<CodeLens[]>('textDocument/codeLens', {
    textDocument: { uri },
  });
  // 18 run lenses (Run layer, Check gradients, Debug layer on each of 6 layers), and Infer top shapes
  // above the 3 layers whose bottoms are all known.
  assert.equal(lenses.length, 21);
  assert.equal(lenses.filter((l) => l.command?.command === 'prototxt.inferPythonShapes').length, 3);
  const first = lenses[0];
  assert.equal(first.command?.command, 'prototxt.runLayer');
  assert.equal(lenses[1].command?.command, 'prototxt.checkGradients');
  assert.equal(lenses[2].command?.command, 'prototxt.debugLayer');
  const args = first.command?.arguments?.[0] as {
    layerName: string;
    bottomShapes: number[][];
    searchPaths: string[];
  };
  assert.equal(args.layerName, 'scale');
  assert.deepEqual(args.bottomShapes, [[2, 3, 4, 5]]);
  assert.deepEqual(args.searchPaths, [fixtures]);
});

test('a document that is not open gets no lenses', async () => {
  const lenses = await server.connection.sendRequest<CodeLens[]>('textDocument/codeLens', {
    textDocument: { uri: 'file:///nowhere/x.prototxt' },
  });
  assert.deepEqual(lenses, []);
});
