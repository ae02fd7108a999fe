// The server never dies (issue 3, point 8): requests for documents that are not open, malformed
// params, documents of other languages and cancellation are all answered, and the server keeps
// answering afterwards; shutdown + exit ends the process with code 0.

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { CancellationTokenSource, ResponseError } from 'vscode-jsonrpc/node';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { generateNet } from '../../bench/generate-net';
import { startServer, type TestServer } from '../helpers/lsp-client';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server.stop();
});

const NET = `name: "n"
layer {
  name: "data"
  type: "Input"
  top: "data"
  input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } }
}
layer {
  name: "relu"
  type: "ReLU"
  bottom: "data"
  top: "data"
}
`;

const pos = (line: number, character: number) => ({ line, character });
const range = { start: pos(0, 0), end: pos(1, 0) };

/** Every document request the server announces, with params beyond textDocument. */
const REQUESTS: [string, Record<string, unknown>][] = [
  ['textDocument/hover', { position: pos(2, 4) }],
  ['textDocument/completion', { position: pos(2, 4) }],
  ['textDocument/definition', { position: pos(10, 12) }],
  ['textDocument/references', { position: pos(10, 12), context: { includeDeclaration: true } }],
  ['textDocument/prepareRename', { position: pos(10, 12) }],
  ['textDocument/rename', { position: pos(10, 12), newName: 'blob' }],
  ['textDocument/documentSymbol', {}],
  ['textDocument/foldingRange', {}],
  ['textDocument/selectionRange', { positions: [pos(2, 4)] }],
  ['textDocument/formatting', { options: { tabSize: 2, insertSpaces: true } }],
  ['textDocument/rangeFormatting', { range, options: { tabSize: 2, insertSpaces: true } }],
  ['textDocument/codeAction', { range, context: { diagnostics: [] } }],
  ['textDocument/codeLens', {}],
  ['textDocument/inlayHint', { range: { start: pos(0, 0), end: pos(14, 0) } }],
];

/** The answer to a request: its result, or the error response as a value. */
async function answer(method: string, params: unknown): Promise<unknown> {
  try {
    return await server.connection.sendRequest(method, params);
  } catch (e) {
    if (e instanceof ResponseError) return e;
    throw e;
  }
}

async function stillAlive(): Promise<void> {
  const uri = 'file:///virtual/alive.prototxt';
  server.open(uri, NET);
  const hover = (await server.connection.sendRequest('textDocument/hover', {
    textDocument: { uri },
    position: pos(9, 10),
  })) as Hover | null;
  assert.match((hover?.contents as MarkupContent).value, /ReLU/);
}

const isEmpty = (r: unknown) => r === null || (Array.isArray(r) && r.length === 0);

test('every request for a document that is not open is answered with null or an empty list', async () => {
  const textDocument = { uri: 'file:///virtual/never-opened.prototxt' };
  for (const [method, extra] of REQUESTS) {
    const r = await answer(method, { textDocument, ...extra });
    assert.ok(isEmpty(r), `${method}: ${JSON.stringify(r)}`);
  }
  await stillAlive();
});

test('malformed params get an error response or null, and the next request is still answered', async () => {
  const uri = 'file:///virtual/malformed.prototxt';
  server.open(uri, NET);
  const textDocument = { uri };
  const bad: [string, unknown][] = [];
  for (const [method, extra] of REQUESTS) {
    bad.push([method, extra]); // no textDocument
    bad.push([method, { ...extra, textDocument: { uri: 42 } }]);
    bad.push([method, { ...extra, textDocument: 'nope' }]);
  }
  const positional = REQUESTS.filter(([, extra]) => 'position' in extra).map(([method]) => method);
  for (const method of positional) {
    bad.push([method, { textDocument }]); // no position
    for (const position of ['2:4', pos(-1, 0), pos(0, -5), pos(1.5, NaN), null, {}, [1, 2]]) {
      bad.push([method, { textDocument, position }]);
    }
  }
  bad.push(['textDocument/selectionRange', { textDocument, positions: 'x' }]);
  bad.push(['textDocument/selectionRange', { textDocument, positions: [pos(-3, -3), pos(500, 0)] }]);
  bad.push(['textDocument/rangeFormatting', { textDocument, range: { start: pos(5, 0), end: pos(-1, 0) } }]);
  bad.push(['textDocument/rangeFormatting', { textDocument, range: null, options: null }]);
  bad.push(['textDocument/rename', { textDocument, position: pos(10, 12), newName: 17 }]);
  bad.push(['textDocument/codeAction', { textDocument, range, context: null }]);
  bad.push(['textDocument/inlayHint', { textDocument, range: 'all' }]);
  for (const [method, params] of bad) {
    const r = await answer(method, params);
    assert.ok(r instanceof ResponseError, `${method} ${JSON.stringify(params)} -> ${JSON.stringify(r)}`);
    assert.equal(r.code, -32602, `${method} ${JSON.stringify(params)} -> ${r.message}`); // InvalidParams
  }
  // Not an object at all: the wrapper's InvalidParams.
  const scalar = await answer('textDocument/hover', 7);
  assert.ok(scalar instanceof ResponseError && scalar.code === -32602, String(scalar));
  // The message names the culprit.
  const named = await answer('textDocument/hover', { textDocument, position: pos(-1, 0) });
  assert.match(
    String((named as ResponseError<unknown>).message),
    /position line must be a non-negative integer/,
  );
  await stillAlive();
});

test('positions past the end and reversed ranges are clamped, not errors', async () => {
  const uri = 'file:///virtual/clamp.prototxt';
  server.open(uri, NET);
  const textDocument = { uri };
  const far = { start: pos(9000, 3), end: pos(2, 9999) };
  const cases: [string, unknown][] = [
    ['textDocument/completion', { textDocument, position: pos(9999, 0) }],
    ['textDocument/completion', { textDocument, position: pos(2, 9999) }],
    ['textDocument/hover', { textDocument, position: pos(2 ** 40, 2 ** 40) }],
    ['textDocument/definition', { textDocument, position: pos(13, 0) }],
    ['textDocument/selectionRange', { textDocument, positions: [pos(500, 0), pos(0, 500)] }],
    [
      'textDocument/rangeFormatting',
      { textDocument, range: far, options: { tabSize: 2, insertSpaces: true } },
    ],
    ['textDocument/codeAction', { textDocument, range: far, context: { diagnostics: [] } }],
    ['textDocument/inlayHint', { textDocument, range: far }],
  ];
  for (const [method, params] of cases) {
    const r = await answer(method, params);
    assert.ok(!(r instanceof ResponseError), `${method} ${JSON.stringify(params)}: ${String(r)}`);
  }
  const completion = (await answer('textDocument/completion', cases[0][1])) as { items: unknown[] };
  assert.ok(completion.items.length > 0, 'completion at the end of the file proposes top-level fields');
});

test('a Python document and an unknown language get answers, never prototxt edits or a crash', async () => {
  const py = 'file:///virtual/layer.py';
  const pyText = 'import caffe\n\nclass L(caffe.Layer):\n    def setup(self, bottom, top):\n        pass\n';
  const other = 'file:///virtual/notes.txt';
  const otherText = 'layer {  name:"x"   }\nsome notes { not prototxt\n';
  server.open(py, pyText, 'python');
  server.open(other, otherText, 'plaintext');
  for (const uri of [py, other]) {
    for (const [method, extra] of REQUESTS) {
      const r = await answer(method, { textDocument: { uri }, ...extra });
      assert.ok(!(r instanceof ResponseError), `${uri} ${method}: ${String(r)}`);
      if (method.endsWith('ormatting') || method.endsWith('rename')) {
        assert.ok(isEmpty(r), `${uri} ${method} would edit a non-prototxt file: ${JSON.stringify(r)}`);
      }
    }
  }
  // Diagnostics for the unknown language: published, empty (it is not ours to check).
  assert.deepEqual(await server.diagnostics(other), []);
  await stillAlive();
});

test('cancelling in-flight requests on a big document answers each of them', async () => {
  const uri = 'file:///virtual/big-cancel.prototxt';
  const text = generateNet(3_000_000);
  server.open(uri, text);
  const line = Math.floor(text.split('\n').length / 2);
  const pending: Promise<unknown>[] = [];
  for (const method of ['textDocument/hover', 'textDocument/completion', 'textDocument/documentSymbol']) {
    const source = new CancellationTokenSource();
    const params = { textDocument: { uri }, position: pos(line, 4) };
    pending.push(
      server.connection.sendRequest(method, params, source.token).then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      ),
    );
    source.cancel();
  }
  for (const outcome of (await Promise.all(pending)) as { result?: unknown; error?: unknown }[]) {
    if ('error' in outcome) {
      assert.ok(outcome.error instanceof ResponseError, String(outcome.error));
      assert.equal(outcome.error.code, -32800, outcome.error.message); // RequestCancelled
    }
  }
  await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  await stillAlive();
});

test('malformed notifications are ignored and the server keeps answering', async () => {
  const uri = 'file:///virtual/notified.prototxt';
  server.open(uri, NET);
  const whole = { start: pos(-5, 0), end: pos(99, 0) };
  const notes: [string, unknown][] = [
    ['textDocument/didOpen', {}],
    ['textDocument/didOpen', { textDocument: { uri: 5 } }],
    ['textDocument/didChange', {}],
    ['textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: null }],
    [
      'textDocument/didChange',
      { textDocument: { uri, version: 3 }, contentChanges: [{ range: 'x', text: 'a' }] },
    ],
    [
      'textDocument/didChange',
      { textDocument: { uri, version: 4 }, contentChanges: [{ range: whole, text: 5 }] },
    ],
    [
      'textDocument/didChange',
      { textDocument: { uri: 'file:///virtual/closed.prototxt' }, contentChanges: [] },
    ],
    ['textDocument/didClose', {}],
    ['textDocument/didClose', { textDocument: { uri: 'file:///virtual/never.prototxt' } }],
    ['workspace/didChangeConfiguration', {}],
    ['workspace/didChangeConfiguration', { settings: { prototxt: { schema: { path: 17 }, format: null } } }],
    ['workspace/didChangeWatchedFiles', { changes: null }],
    [
      'workspace/didChangeWatchedFiles',
      {
        changes: [
          { uri: 5, type: 9 },
          { uri: 'file:///x/caffe.proto', type: 3 },
        ],
      },
    ],
    ['$/cancelRequest', { id: 'never-sent' }],
    ['$/setTrace', { value: 'nonsense' }],
  ];
  for (const [method, params] of notes) await server.connection.sendNotification(method, params);
  // A fresh document gets its diagnostics, so the notifications above have all been handled.
  const fresh = 'file:///virtual/after-notes.prototxt';
  server.open(fresh, 'layer { nme: "x" }\n');
  const diagnostics = await server.diagnostics(fresh);
  assert.ok(
    diagnostics.some((d) => d.code === 'unknown-field'),
    JSON.stringify(diagnostics),
  );
  await stillAlive();
});

test('shutdown then exit ends the process with code 0', async () => {
  const own = await startServer();
  const exited = new Promise<number | null>((resolve) => own.process.once('exit', (code) => resolve(code)));
  assert.equal(await own.connection.sendRequest('shutdown'), null);
  await own.connection.sendNotification('exit');
  assert.equal(await exited, 0);
  own.connection.dispose();
});
