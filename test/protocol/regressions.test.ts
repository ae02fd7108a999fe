// Inputs that once took the server down or stalled it, replayed against the built server: each must be
// answered, and the server must keep answering afterwards.

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ResponseError } from 'vscode-jsonrpc/node';
import type { Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { fileUri, startServer, type TestServer } from '../helpers/lsp-client';

let server: TestServer;
let root: string;
before(async () => {
  // An empty workspace: the crash needed no Python files at all.
  root = mkdtempSync(path.join(os.tmpdir(), 'caffe-regressions-'));
  server = await startServer({ rootPath: root });
});
after(async () => {
  await server.stop();
  rmSync(root, { recursive: true, force: true });
});

const pythonLayer = (paramStr: string) => `layer {
  name: "data"
  type: "Input"
  top: "data"
  input_param { shape { dim: 1 dim: 3 } }
}
layer {
  name: "py"
  type: "Python"
  bottom: "data"
  top: "out"
  python_param { module: "my_layers" layer: "MyLayer" param_str: "${paramStr}" }
}
`;

const message = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);

async function alive(): Promise<void> {
  const uri = fileUri(path.join(root, 'alive.prototxt'));
  server.open(uri, pythonLayer('{}'));
  const hover = (await server.connection.sendRequest('textDocument/hover', {
    textDocument: { uri },
    position: { line: 2, character: 10 },
  })) as Hover | null;
  assert.match((hover?.contents as MarkupContent).value, /Input/);
  assert.equal(server.process.exitCode, null, `the server exited:\n${server.stderr()}`);
}

for (const [name, nested] of [
  ['[', '['.repeat(1000)],
  ['{', '{'.repeat(1000)],
  ['- ', '- '.repeat(1000)],
] as const) {
  test(`a param_str nested 1,000 deep with "${name}" gets one diagnostic and leaves the server running`, async () => {
    const uri = fileUri(path.join(root, `nested-${encodeURIComponent(name.trim())}.prototxt`));
    server.open(uri, pythonLayer(nested));
    const diags = await server.diagnostics(uri, (p) => p.diagnostics.some((d) => /nested/i.test(message(d))));
    const nestedDiags = diags.filter((d) => /nested/i.test(message(d)));
    assert.ok(nestedDiags.length >= 1);
    assert.ok(!diags.some((d) => /call stack/i.test(message(d))), JSON.stringify(diags));
    // The string sits on line 11 (0-based); the problem is placed inside it.
    assert.equal(nestedDiags[0].range.start.line, 11);
    for (const method of ['textDocument/hover', 'textDocument/codeAction', 'textDocument/completion']) {
      const position = { line: 11, character: 80 };
      const range = { start: position, end: position };
      const result: unknown = await server.connection
        .sendRequest(method, { textDocument: { uri }, position, range, context: { diagnostics: diags } })
        .catch((e: unknown) => e);
      assert.ok(!(result instanceof ResponseError), `${method}: ${String(result)}`);
    }
    await alive();
  });
}
