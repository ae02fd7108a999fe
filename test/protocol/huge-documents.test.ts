// Documents whose size or number of problems once stalled or broke the server: a 1 MB file with
// 166,000 problems and a 16 MB net edited keystroke by keystroke. Each gets the capped list of
// diagnostics (the first 1,000 and one that counts them all) for its latest version.

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { generateNet } from '../../bench/generate-net';
import { DEFAULT_MAX_DIAGNOSTICS } from '../../server/src/analysis/diagnostic-cap';
import { startServer, type TestServer } from '../helpers/lsp-client';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server.stop();
});

async function hoverOnSmallNet(): Promise<string | undefined> {
  const uri = 'file:///virtual/small.prototxt';
  server.open(uri, 'layer {\n  name: "data"\n  type: "Input"\n  top: "data"\n}\n');
  const hover = (await server.connection.sendRequest('textDocument/hover', {
    textDocument: { uri },
    position: { line: 2, character: 12 },
  })) as Hover | null;
  return (hover?.contents as MarkupContent | undefined)?.value;
}

test('a 1 MB file of 166,667 unknown fields publishes 1,001 diagnostics that count them all', async () => {
  const uri = 'file:///virtual/many-problems.prototxt';
  server.open(uri, 'zz: 1\n'.repeat(166_667));
  const diagnostics = await server.diagnostics(uri, (p) => p.version === 1);
  assert.equal(diagnostics.length, DEFAULT_MAX_DIAGNOSTICS + 1);
  assert.equal(diagnostics[0].code, 'unknown-field');
  const summary = diagnostics[DEFAULT_MAX_DIAGNOSTICS];
  assert.equal(summary.code, 'too-many-problems');
  assert.match(String(summary.message), /^166,667 problems in all; only the first 1,000 are listed/);
  assert.equal(summary.range.start.line, 1000);
  assert.match((await hoverOnSmallNet()) ?? '', /Input/);
});

test('keystrokes in a 16 MB net with 3,000 problems: the last version gets its capped diagnostics', async () => {
  const uri = 'file:///virtual/huge-edited.prototxt';
  const problems = Array.from(
    { length: 3000 },
    (_, i) => `layer { name: "u${i}" type: "ReLU" bottom: "missing${i}" top: "u${i}" }\n`,
  ).join('');
  const text = generateNet(16_000_000) + problems;
  server.open(uri, text);
  await server.diagnostics(uri, (p) => p.version === 1);
  const line = text.slice(0, text.indexOf('layer {', 8_000_000)).split('\n').length - 1;
  for (let version = 2; version <= 6; version++) {
    void server.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: ' ' }],
    });
  }
  const diagnostics = await server.diagnostics(uri, (p) => p.version === 6);
  assert.equal(diagnostics.length, DEFAULT_MAX_DIAGNOSTICS + 1);
  assert.ok(diagnostics.slice(0, 1000).every((d) => d.code === 'undefined-bottom'));
  assert.match(String(diagnostics[1000].message), /^3,000 problems in all/);
  assert.match((await hoverOnSmallNet()) ?? '', /Input/);
  assert.equal(server.process.exitCode, null);
});
