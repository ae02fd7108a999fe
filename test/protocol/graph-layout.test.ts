// Graph requests against the built server: the Concat reproducers are answered, a layout runs beside
// other requests (a hover on another document is answered before it), and a newer graph request for a
// document drops the older one.

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { LSPErrorCodes } from 'vscode-languageserver-protocol';
import type { Hover } from 'vscode-languageserver-protocol';
import type { LaidOutGraph } from '../../common/graph/types';
import { startServer, type TestServer } from '../helpers/lsp-client';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server.stop();
});

const INPUT =
  'layer { name: "d" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }\n';

function fanIn(count: number): string {
  let text = INPUT;
  for (let i = 0; i < count; i++)
    text += `layer { name: "r${i}" type: "ReLU" bottom: "data" top: "r${i}" }\n`;
  const bottoms = Array.from({ length: count }, (_, i) => ` bottom: "r${i}"`).join('');
  return `${text}layer { name: "cat" type: "Concat"${bottoms} top: "out" }\n`;
}

const graph = (uri: string) =>
  server.connection.sendRequest('prototxt/graph', { uri, phase: 'TRAIN' }) as Promise<LaidOutGraph>;

test('a Concat of one blob 1,000 times (14 KB) and of 1,000 layers get their graphs', async () => {
  const same = 'file:///virtual/concat-same.prototxt';
  server.open(
    same,
    `${INPUT}layer { name: "cat" type: "Concat"${' bottom: "data"'.repeat(1000)} top: "out" }\n`,
  );
  const laidSame = await graph(same);
  assert.equal(laidSame.nodes.length, 2);
  assert.equal(laidSame.edges.length, 1000);
  const wide = 'file:///virtual/concat-wide.prototxt';
  server.open(wide, fanIn(1000));
  const laidWide = await graph(wide);
  assert.equal(laidWide.nodes.length, 1002);
  assert.match(laidWide.notes.join(' '), /too wide to lay out/);
});

test('while a graph is laid out, hovers on another document are answered one after another', async () => {
  const slow = 'file:///virtual/fan-80.prototxt';
  const other = 'file:///virtual/other.prototxt';
  server.open(slow, fanIn(80));
  server.open(other, INPUT);
  await graph(other); // the layout thread has started
  let laidOut = false;
  const laid = graph(slow).then(() => (laidOut = true));
  // On the server's own thread the layout would hold every hover after the first until it ends.
  let answered = 0;
  while (!laidOut && answered < 5) {
    const hover = (await server.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: other },
      position: { line: 0, character: 30 },
    })) as Hover | null;
    assert.ok(hover);
    if (!laidOut) answered++;
  }
  assert.equal(answered, 5);
  await laid;
});

test('a newer graph request for the same document drops the older one', async () => {
  const uri = 'file:///virtual/fan-80-again.prototxt';
  server.open(uri, fanIn(80));
  const first = graph(uri).then(
    () => 'answered',
    (e: { code?: number }) => e.code,
  );
  const second = await graph(uri);
  assert.equal(await first, LSPErrorCodes.ContentModified);
  assert.equal(second.nodes.length, 82);
});
