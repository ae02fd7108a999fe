// A 20 MB real net (ResNet-152's deploy net repeated with unique names, valid under the bundled BVLC
// schema) in the language server as an editor runs it: first diagnostics after didOpen (target < 5 s),
// then one request of every method in the middle of the file (each < 200 ms); and `caffe-prototxt
// graph` on the same file as a whole process (< 20 s, peak RSS < 800 MB).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import type { CodeAction } from 'vscode-languageserver-protocol';
import type { Figure } from './figures';
import { startBenchServer, type BenchServer } from './lsp-process';
import { cliPath, runNodeWithPeakRss } from './processes';
import { repeatNet } from './real-nets';
import { RESNET_152 } from './resnet152-train-val';

const MB = 1024 * 1024;
/** A request that takes longer than this is given up (and the server with it: it is still busy). */
const REQUEST_LIMIT_MS = 60_000;
/** `graph` is stopped after this long (it is then reported at this time, with no peak RSS). */
const GRAPH_LIMIT_S = 150;

export function hugeNet(sizeMB = 20): string | undefined {
  if (!fs.existsSync(RESNET_152)) return undefined;
  return repeatNet(fs.readFileSync(RESNET_152, 'utf8'), { bytes: sizeMB * MB }).text;
}

export async function hugeNetFigures(log: (line: string) => void): Promise<Figure[]> {
  const text = hugeNet();
  if (!text) {
    log('huge net: ../shared/corpus is absent, skipped');
    return [];
  }
  const label = `ResNet-152 deploy ×N (${(Buffer.byteLength(text) / MB).toFixed(0)} MB, ${text.split('\n').length} lines)`;
  const figures = [...(await inServer(text, label, log)), ...graphCli(text, label, log)];
  return figures;
}

async function inServer(text: string, label: string, log: (line: string) => void): Promise<Figure[]> {
  const server = await startBenchServer();
  const figures: Figure[] = [];
  try {
    const uri = 'file:///bench/huge/net.prototxt';
    const sent = performance.now();
    server.open(uri, text);
    const at = await server.diagnosticsAt(uri, 1);
    figures.push({
      name: `server first diagnostics, ${label}`,
      value: (at - sent) / 1000,
      unit: 's',
      target: { value: 5 },
    });
    for (const [method, params] of requests(uri, text)) {
      const ms = await request(server, method, params);
      if (ms === undefined) {
        log(
          `huge net: ${method} gave no answer within ${REQUEST_LIMIT_MS / 1000} s; later requests not measured`,
        );
        figures.push({
          name: `server ${method}, ${label}`,
          value: REQUEST_LIMIT_MS,
          unit: 'ms',
          target: { value: 200 },
          note: 'no answer: given up',
        });
        break;
      }
      figures.push({ name: `server ${method}, ${label}`, value: ms, unit: 'ms', target: { value: 200 } });
    }
    const resolved = await resolveFreeze(server, uri, text);
    if (resolved)
      figures.push({
        name: `server codeAction/resolve of Freeze (once, when the action is chosen), ${label}`,
        value: resolved.ms,
        unit: 'ms',
        note: `${resolved.edits} edits`,
      });
    const memory = server.memory();
    if (memory)
      figures.push({
        name: `server RSS after the requests, ${label}`,
        value: memory.rssMB,
        unit: 'MB',
        note: `peak ${memory.peakMB.toFixed(0)} MB`,
      });
  } finally {
    if (server.process.exitCode === null) server.process.kill('SIGKILL');
    await server.stop();
  }
  return figures;
}

async function request(server: BenchServer, method: string, params: unknown): Promise<number | undefined> {
  const cancel = new CancellationTokenSource();
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const answered = await Promise.race([
    server.connection.sendRequest(method, params, cancel.token).then(() => true),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), REQUEST_LIMIT_MS))),
  ]);
  clearTimeout(timer);
  if (!answered) cancel.cancel();
  return answered ? performance.now() - t0 : undefined;
}

/**
 * The Freeze action's edit, which codeAction leaves to codeAction/resolve: the time of the resolve
 * (undefined when the action is not offered with data to resolve).
 */
async function resolveFreeze(
  server: BenchServer,
  uri: string,
  text: string,
): Promise<{ ms: number; edits: number } | undefined> {
  const params = requests(uri, text).find(([method]) => method === 'textDocument/codeAction')?.[1];
  const actions = (await server.connection.sendRequest('textDocument/codeAction', params)) as CodeAction[];
  const freeze = actions.find((a) => a.kind === 'refactor.rewrite.freezeLayers' && a.data !== undefined);
  if (!freeze) return undefined;
  const t0 = performance.now();
  const resolved = (await server.connection.sendRequest('codeAction/resolve', freeze)) as CodeAction;
  const ms = performance.now() - t0;
  return { ms, edits: Object.values(resolved.edit?.changes ?? {}).reduce((n, e) => n + e.length, 0) };
}

/** One request of every method, at a layer's `bottom:` value in the middle of the file. */
function requests(uri: string, text: string): [string, unknown][] {
  const textDocument = { uri };
  const before = text.slice(0, text.indexOf('bottom: "', text.length / 2) + 'bottom: "'.length + 1);
  const line = before.split('\n').length - 1;
  const position = { line, character: before.length - before.lastIndexOf('\n') - 1 };
  const range = { start: position, end: position };
  const around = (n: number) => ({
    start: { line: line - n / 2, character: 0 },
    end: { line: line + n / 2, character: 0 },
  });
  return [
    ['textDocument/hover', { textDocument, position }],
    ['textDocument/completion', { textDocument, position }],
    ['textDocument/definition', { textDocument, position }],
    ['textDocument/references', { textDocument, position, context: { includeDeclaration: true } }],
    ['textDocument/selectionRange', { textDocument, positions: [position] }],
    ['textDocument/inlayHint', { textDocument, range: around(60) }],
    ['textDocument/codeAction', { textDocument, range, context: { diagnostics: [] } }],
    [
      'textDocument/rangeFormatting',
      { textDocument, range: around(20), options: { tabSize: 2, insertSpaces: true } },
    ],
    ['textDocument/codeLens', { textDocument }],
    ['textDocument/foldingRange', { textDocument }],
    ['textDocument/documentSymbol', { textDocument }],
  ];
}

function graphCli(text: string, label: string, log: (line: string) => void): Figure[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-graph-'));
  try {
    const file = path.join(dir, 'net.prototxt');
    fs.writeFileSync(file, text);
    const run = runNodeWithPeakRss([cliPath, 'graph', file, '-o', path.join(dir, 'net.svg')], {
      timeoutSeconds: GRAPH_LIMIT_S,
    });
    if (run.status !== 0) log(`huge net: graph exited with ${run.status}: ${run.stderr.slice(0, 300)}`);
    else if (run.stderr.trim()) log(`huge net: graph said: ${run.stderr.trim().slice(0, 300)}`);
    return [
      {
        name: `graph (CLI, whole process), ${label}`,
        value: run.seconds,
        unit: 's',
        target: { value: 20 },
        note: run.status === 0 ? undefined : `exit ${run.status}`,
      },
      { name: `graph peak RSS, ${label}`, value: run.peakMB ?? NaN, unit: 'MB', target: { value: 800 } },
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
