// prototxt/pythonLayerShapes over JSON-RPC against the built server (run `npm run build` first): learned
// Python layer tops reach inlay hints, diagnostics, code lenses and the graph, and stop applying when
// an edit upstream changes the layer's bottoms.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeLens, Diagnostic, InlayHint } from 'vscode-languageserver-protocol';
import { startServer, type TestServer } from '../helpers/lsp-client';

const URI = 'file:///virtual/learn.prototxt';

function net(batch: number): string {
  return `name: "learn"
layer { name: "in" type: "Input" top: "data" input_param { shape { dim: ${batch} dim: 3 dim: 4 dim: 4 } } }
layer { name: "py" type: "Python" bottom: "data" top: "feat" python_param { module: "m" layer: "Flat" } }
layer { name: "ip" type: "InnerProduct" bottom: "feat" top: "ip" inner_product_param { num_output: 5 } }
layer { name: "sum" type: "Eltwise" bottom: "ip" bottom: "feat" top: "sum" }
`;
}

const WHOLE = { start: { line: 0, character: 0 }, end: { line: 99, character: 0 } };
let server: TestServer;
const refreshes: string[] = [];

before(async () => {
  server = await startServer({
    configuration: (section) => (section === 'prototxt' ? { inlayHints: { shapes: true } } : null),
    capabilities: {
      workspace: {
        configuration: true,
        inlayHint: { refreshSupport: true },
        codeLens: { refreshSupport: true },
      },
      textDocument: { publishDiagnostics: { versionSupport: true } },
    },
  });
  server.connection.onRequest('workspace/inlayHint/refresh', () => {
    refreshes.push('inlayHint');
    return null;
  });
  server.connection.onRequest('workspace/codeLens/refresh', () => {
    refreshes.push('codeLens');
    return null;
  });
});
after(async () => {
  await server.stop();
});

async function hintLabels(): Promise<string[]> {
  const hints = (await server.connection.sendRequest('textDocument/inlayHint', {
    textDocument: { uri: URI },
    range: WHOLE,
  })) as InlayHint[];
  return hints.map((h) => String(h.label));
}

const isMismatch = (d: Diagnostic) => d.code === 'shape-mismatch';

test('learned tops of a Python layer give shapes to the layers after it, until its bottoms change', async () => {
  server.open(URI, net(2));
  const first = await server.diagnostics(URI);
  assert.ok(!first.some(isMismatch));
  assert.deepEqual(await hintLabels(), ['2×3×4×4'], 'nothing known after the Python layer');

  const result = await server.connection.sendRequest('prototxt/pythonLayerShapes', {
    uri: URI,
    layerName: 'py',
    phase: 'TRAIN',
    bottomShapes: [[2, 3, 4, 4]],
    topShapes: [[2, 48]],
    module: 'm',
    layerClass: 'Flat',
  });
  assert.deepEqual(result, { accepted: true });
  // The net sets no phase: TEST is inferred too, and was not learned.
  const train = await hintLabels();
  assert.ok(train.includes('TRAIN 2×48 · TEST ?'), train.join(' | '));
  assert.ok(train.includes('TRAIN 2×5 · TEST ?'), train.join(' | '));
  assert.deepEqual(refreshes, ['inlayHint', 'codeLens']);

  // Diagnostics are published again: the Eltwise of ip (2×5) and feat (2×48) disagree.
  const again = await server.diagnostics(URI, (p) => p.diagnostics.some(isMismatch));
  assert.equal(again.filter(isMismatch).length, 1);

  const graph = (await server.connection.sendRequest('prototxt/graph', { uri: URI, phase: 'TRAIN' })) as {
    nodes: { name: string; tops: { shape: string | null }[] }[];
  };
  assert.equal(graph.nodes.find((n) => n.name === 'ip')?.tops[0]?.shape, '2×5');

  // An edit upstream changes the batch: the run with batch 2 no longer applies.
  void server.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri: URI, version: 2 },
    contentChanges: [{ text: net(7) }],
  });
  await server.diagnostics(URI, (p) => p.version === 2);
  assert.deepEqual(await hintLabels(), ['7×3×4×4']);
});

test('the Infer top shapes lens carries the bottoms of each phase', async () => {
  const uri = 'file:///virtual/lens.prototxt';
  server.open(uri, net(3));
  await server.diagnostics(uri);
  const lenses = (await server.connection.sendRequest('textDocument/codeLens', {
    textDocument: { uri },
  })) as CodeLens[];
  const infer = lenses.filter((l) => l.command?.command === 'prototxt.inferPythonShapes');
  assert.equal(infer.length, 1);
  assert.deepEqual((infer[0].command?.arguments?.[0] as { phases: unknown }).phases, [
    { phase: 'TRAIN', bottomShapes: [[3, 3, 4, 4]] },
    { phase: 'TEST', bottomShapes: [[3, 3, 4, 4]] },
  ]);
});

test('malformed shapes are refused with the reason and the server keeps answering', async () => {
  // No parameters at all: the server's request guard answers InvalidParams.
  await assert.rejects(server.connection.sendRequest('prototxt/pythonLayerShapes', null), { code: -32602 });
  const bad = [
    { uri: URI },
    { uri: URI, layerName: 'py', phase: 'TRAIN', bottomShapes: [[-1]], topShapes: [] },
    { uri: URI, layerName: 'py', phase: 'VAL', bottomShapes: [], topShapes: [] },
  ];
  for (const params of bad) {
    const r = (await server.connection.sendRequest('prototxt/pythonLayerShapes', params)) as {
      accepted: boolean;
      message?: string;
    };
    assert.equal(r.accepted, false, JSON.stringify(params));
    assert.ok(r.message);
  }
  assert.ok((await hintLabels()).length > 0);
});
