// A request about a Python layer made while the workspace's first Python index is still being built
// waits for it (a few seconds at most) instead of answering empty: go to definition right after the
// editor opens a net lands on the class.

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Location } from 'vscode-languageserver-protocol';
import { fileUri, startServer, type TestServer } from '../helpers/lsp-client';

let root: string;
let server: TestServer;

const NET = `layer {
  name: "data"
  type: "Input"
  top: "data"
  input_param { shape { dim: 2 dim: 3 } }
}
layer {
  name: "py"
  type: "Python"
  bottom: "data"
  top: "out"
  python_param { module: "layers.target" layer: "Target" }
}
`;

before(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'caffe-index-wait-'));
  // Enough modules that the index is not built by the time the first request arrives.
  mkdirSync(path.join(root, 'layers'));
  writeFileSync(path.join(root, 'layers', '__init__.py'), '');
  for (let i = 0; i < 600; i++) {
    const body = Array.from(
      { length: 20 },
      (_, k) => `    def m${k}(self, x):\n        return x + ${k}\n`,
    ).join('');
    writeFileSync(path.join(root, 'layers', `helper_${i}.py`), `class Helper${i}(object):\n${body}`);
  }
  writeFileSync(
    path.join(root, 'layers', 'target.py'),
    'import caffe\n\n\nclass Target(caffe.Layer):\n    def setup(self, bottom, top):\n        pass\n',
  );
  writeFileSync(path.join(root, 'net.prototxt'), NET);
  server = await startServer({ rootPath: root });
});

after(async () => {
  await server.stop();
  rmSync(root, { recursive: true, force: true });
});

test('definition on layer: asked before the index is built is answered once it is', async () => {
  const uri = fileUri(path.join(root, 'net.prototxt'));
  server.open(uri, NET);
  const line = NET.split('\n').findIndex((l) => l.includes('layer: "Target"'));
  const character = NET.split('\n')[line].indexOf('Target') + 2;
  const found = (await server.connection.sendRequest('textDocument/definition', {
    textDocument: { uri },
    position: { line, character },
  })) as Location[] | null;
  assert.ok(found && found.length === 1, JSON.stringify(found));
  assert.ok(found[0].uri.endsWith('/layers/target.py'), found[0].uri);
  assert.equal(found[0].range.start.line, 3);
});
