// Server memory: RSS with a 2,000-file Python workspace indexed and ten large real nets open (each of
// the ten largest corpus nets repeated to 1 MB), then an edit session on ResNet-152's train_val: 1,800
// one-character edits (30 minutes at one edit a second, sent as fast as the server answers), each
// followed by the requests VS Code sends after an edit (outline, folding, inlay hints of the viewport,
// code lenses) and, every fifth edit, a hover and a completion. RSS is sampled through the session;
// growth is the last quarter's highest RSS against the second quarter's (the first quarter warms up).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Figure } from './figures';
import { fileUri, startBenchServer, type BenchServer } from './lsp-process';
import { largestNetFiles, repeatNet } from './real-nets';
import { resnet152TrainVal } from './resnet152-train-val';

const MB = 1024 * 1024;
const PYTHON_FILES = 2000;
/** RSS budget for the server with the workspace and the ten nets open. */
export const RSS_BUDGET_MB = 600;

export async function memoryFigures(log: (line: string) => void, edits = 1800): Promise<Figure[]> {
  const nets = largestNetFiles(10);
  const trainVal = resnet152TrainVal();
  if (nets.length === 0 || !trainVal) {
    log('memory: ../shared/corpus is absent, skipped');
    return [];
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-memory-'));
  writePythonWorkspace(root, PYTHON_FILES);
  const server = await startBenchServer({ rootPath: root });
  try {
    await server.firstProgressDone;
    const indexed = server.memory();
    const uris: string[] = [];
    for (const [i, net] of nets.entries()) {
      const uri = fileUri(path.join(root, `net${i}.prototxt`));
      server.open(uri, repeatNet(net.text, { bytes: MB }).text);
      uris.push(uri);
    }
    for (const uri of uris) await server.diagnosticsAt(uri, 1);
    // What the editor asks of each open net when it shows it.
    for (const uri of uris) await viewRequests(server, uri);
    const open = server.memory();
    const uri = fileUri(path.join(root, 'train_val.prototxt'));
    server.open(uri, trainVal);
    await server.diagnosticsAt(uri, 1);
    const samples = await editSession(server, uri, trainVal, edits);
    const q = Math.floor(samples.length / 4);
    const second = Math.max(...samples.slice(q, 2 * q));
    const last = Math.max(...samples.slice(3 * q));
    const figures: Figure[] = [];
    if (indexed && open) {
      figures.push({
        name: `server RSS, ${PYTHON_FILES}-file Python workspace indexed`,
        value: indexed.rssMB,
        unit: 'MB',
      });
      figures.push({
        name: `server RSS, same + ten large real nets open (${nets.length} × 1 MB)`,
        value: open.rssMB,
        unit: 'MB',
        target: { value: RSS_BUDGET_MB },
        note: `peak ${open.peakMB.toFixed(0)} MB`,
      });
    }
    figures.push({
      name: `server RSS growth over an edit session (${edits} edits with their requests, ~${Math.round(edits / 60)} min at one edit a second)`,
      value: last - second,
      unit: 'MB',
      target: { value: Math.round(Math.max(10, 0.05 * second)) },
      note: `highest RSS, 2nd quarter ${second.toFixed(0)} MB, last quarter ${last.toFixed(0)} MB`,
    });
    return figures;
  } finally {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

async function viewRequests(server: BenchServer, uri: string): Promise<void> {
  const textDocument = { uri };
  const range = { start: { line: 0, character: 0 }, end: { line: 60, character: 0 } };
  await server.connection.sendRequest('textDocument/documentSymbol', { textDocument });
  await server.connection.sendRequest('textDocument/foldingRange', { textDocument });
  await server.connection.sendRequest('textDocument/inlayHint', { textDocument, range });
  await server.connection.sendRequest('textDocument/codeLens', { textDocument });
}

/** One-character edits spread over the file, inserted then deleted; RSS (MB) sampled every 10 edits. */
async function editSession(server: BenchServer, uri: string, text: string, edits: number): Promise<number[]> {
  const spots = [...text.matchAll(/name: "/g)].map((m) => m.index + m[0].length);
  const lineOf = (offset: number) => {
    const before = text.slice(0, offset);
    const line = before.split('\n').length - 1;
    return { line, character: offset - before.lastIndexOf('\n') - 1 };
  };
  const samples: number[] = [];
  let version = 1;
  for (let i = 0; i < edits; i++) {
    const spot = lineOf(spots[Math.floor(i / 2) % spots.length]);
    const insert = i % 2 === 0;
    const range = insert
      ? { start: spot, end: spot }
      : { start: spot, end: { ...spot, character: spot.character + 1 } };
    void server.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: ++version },
      contentChanges: [{ range, text: insert ? 'x' : '' }],
    });
    const textDocument = { uri };
    const viewport = {
      start: { line: Math.max(0, spot.line - 30), character: 0 },
      end: { line: spot.line + 30, character: 0 },
    };
    await server.connection.sendRequest('textDocument/documentSymbol', { textDocument });
    await server.connection.sendRequest('textDocument/foldingRange', { textDocument });
    await server.connection.sendRequest('textDocument/inlayHint', { textDocument, range: viewport });
    await server.connection.sendRequest('textDocument/codeLens', { textDocument });
    if (i % 5 === 0) {
      await server.connection.sendRequest('textDocument/hover', { textDocument, position: spot });
      await server.connection.sendRequest('textDocument/completion', { textDocument, position: spot });
    }
    if (i % 10 === 9) samples.push(server.memory()?.rssMB ?? NaN);
  }
  return samples;
}

/** `count` Python files in packages of 100: caffe.Layer classes reading their param_str. */
function writePythonWorkspace(root: string, count: number): void {
  for (let i = 0; i < count; i++) {
    const dir = path.join(root, 'lib', `pkg${Math.floor(i / 100)}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, `layer_${i}.py`),
      `import caffe
import numpy as np
import yaml


class Layer${i}(caffe.Layer):
    """Generated layer ${i}."""

    def setup(self, bottom, top):
        params = yaml.safe_load(self.param_str)
        self.scale = params.get('scale', ${(i % 7) + 1})

    def reshape(self, bottom, top):
        top[0].reshape(*bottom[0].data.shape)

    def forward(self, bottom, top):
        top[0].data[...] = bottom[0].data * self.scale

    def backward(self, top, propagate_down, bottom):
        if propagate_down[0]:
            bottom[0].diff[...] = top[0].diff * self.scale
`,
    );
  }
}
