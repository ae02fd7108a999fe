// textDocument/inlayHint over JSON-RPC against the built server (run `npm run build` first).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { InlayHint } from 'vscode-languageserver-protocol';
import { startServer, type TestServer } from '../helpers/lsp-client';

const NET = `name: "tiny"
layer { name: "train" type: "Input" top: "data" include { phase: TRAIN }
  input_param { shape { dim: 64 dim: 3 dim: 32 dim: 32 } } }
layer { name: "test" type: "Input" top: "data" include { phase: TEST }
  input_param { shape { dim: 1 dim: 3 dim: 32 dim: 32 } } }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv"
  convolution_param { num_output: 8 kernel_size: 5 } }
layer { name: "py" type: "Python" bottom: "conv" top: "py" python_param { module: "m" layer: "L" } }
`;

const WHOLE = { start: { line: 0, character: 0 }, end: { line: 99, character: 0 } };

/** The LSP position just after the n-th occurrence of `needle` in NET. */
function endOf(needle: string, n: number): { line: number; character: number } {
  const lines = NET.split('\n');
  let seen = 0;
  for (let line = 0; line < lines.length; line++) {
    const at = lines[line].indexOf(needle);
    if (at >= 0 && seen++ === n) return { line, character: at + needle.length };
  }
  throw new Error(`${needle} #${n} not in NET`);
}

let server: TestServer;
before(async () => {
  server = await startServer({
    configuration: (section) => (section === 'prototxt' ? { inlayHints: { shapes: true } } : null),
  });
});
after(async () => {
  await server.stop();
});

async function inlayHints(uri: string, range = WHOLE): Promise<InlayHint[]> {
  return (await server.connection.sendRequest('textDocument/inlayHint', {
    textDocument: { uri },
    range,
  })) as InlayHint[];
}

test('initialize announces the inlay hint provider', () => {
  assert.equal(server.initializeResult.capabilities.inlayHintProvider, true);
});

test('shapes after each top, per phase when they differ, none for the Python layer', async () => {
  const uri = 'file:///virtual/tiny.prototxt';
  server.open(uri, NET);
  await server.diagnostics(uri);
  const hints = await inlayHints(uri);
  assert.deepEqual(
    hints.map((h) => [h.position, h.label]),
    [
      [endOf('top: "data"', 0), '64×3×32×32'],
      [endOf('top: "data"', 1), '1×3×32×32'],
      [endOf('top: "conv"', 0), 'TRAIN 64×8×28×28 · TEST 1×8×28×28'],
    ],
  );
  assert.equal(hints[0].kind, 1);
});

test('only the requested range', async () => {
  const uri = 'file:///virtual/range.prototxt';
  server.open(uri, NET);
  await server.diagnostics(uri);
  const hints = await inlayHints(uri, { start: { line: 3, character: 0 }, end: { line: 4, character: 0 } });
  assert.deepEqual(
    hints.map((h) => h.label),
    ['1×3×32×32'],
  );
});

test('a document that is not open gets an empty list, not an error', async () => {
  assert.deepEqual(await inlayHints('file:///virtual/never-opened.prototxt'), []);
});
