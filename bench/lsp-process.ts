// The language server as an editor runs it: bin/language-server.js (the bundle through V8's code
// cache) under the server's Node flags, spoken to over stdio; times are taken from this side of the
// pipe, memory from /proc (Linux; absent elsewhere).

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type { InitializeParams, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { SERVER_NODE_FLAGS } from '../common/node-flags';
import { serverEntry } from './processes';

export interface BenchServer {
  connection: MessageConnection;
  process: ChildProcess;
  /** Milliseconds from spawn to the answer of `initialize`. */
  initializeMs: number;
  /** Resolves with the time (performance.now()) of the first diagnostics of `uri` at `version`. */
  diagnosticsAt(uri: string, version: number): Promise<number>;
  open(uri: string, text: string, languageId?: string): void;
  /** Resolves when the server ends its first work-done progress (the Python index is built). */
  firstProgressDone: Promise<void>;
  /** Resident and peak resident memory in MB, from /proc; undefined where there is none. */
  memory(): { rssMB: number; peakMB: number } | undefined;
  stop(): Promise<void>;
}

export function fileUri(file: string): string {
  return pathToFileURL(file).toString();
}

export interface BenchServerOptions {
  /** The workspace folder. */
  rootPath?: string;
  /** What the client answers for the `prototxt` settings section. */
  settings?: unknown;
}

export async function startBenchServer(options: BenchServerOptions = {}): Promise<BenchServer> {
  const { rootPath, settings } = options;
  const t0 = performance.now();
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, serverEntry, '--stdio'], {
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const connection = createMessageConnection(
    new StreamMessageReader(child.stdout!),
    new StreamMessageWriter(child.stdin!),
  );
  const seen = new Map<string, number>();
  const waiters = new Map<string, (at: number) => void>();
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    const key = `${p.uri}@${p.version ?? 0}`;
    const at = performance.now();
    if (!seen.has(key)) seen.set(key, at);
    waiters.get(key)?.(at);
    waiters.delete(key);
  });
  let progressDone: () => void = () => undefined;
  const firstProgressDone = new Promise<void>((resolve) => (progressDone = resolve));
  connection.onNotification('$/progress', (p: { value?: { kind?: string } }) => {
    if (p.value?.kind === 'end') progressDone();
  });
  connection.onNotification(() => undefined);
  connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) =>
    p.items.map((item) => (item.section === 'prototxt' ? (settings ?? null) : null)),
  );
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onRequest('workspace/codeLens/refresh', () => null);
  connection.onRequest('workspace/inlayHint/refresh', () => null);
  connection.listen();
  const rootUri = rootPath ? fileUri(rootPath) : null;
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri,
    workspaceFolders: rootUri ? [{ uri: rootUri, name: 'bench' }] : null,
    capabilities: {
      window: { workDoneProgress: true },
      workspace: { configuration: true, workspaceFolders: true },
      textDocument: {
        completion: { completionItem: { snippetSupport: true } },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        publishDiagnostics: { versionSupport: true },
        documentSymbol: { hierarchicalDocumentSymbolSupport: true },
        // As VS Code: code actions' edits are asked for by codeAction/resolve when one is chosen.
        codeAction: {
          codeActionLiteralSupport: { codeActionKind: { valueSet: [] } },
          resolveSupport: { properties: ['edit'] },
        },
        // As VS Code (editor.foldingMaximumRegions): it keeps the outermost 5,000 folding ranges.
        foldingRange: { rangeLimit: 5000, lineFoldingOnly: true },
      },
    },
  } satisfies InitializeParams);
  const initializeMs = performance.now() - t0;
  await connection.sendNotification('initialized', {});
  return {
    connection,
    process: child,
    initializeMs,
    firstProgressDone,
    diagnosticsAt(uri, version) {
      const key = `${uri}@${version}`;
      const at = seen.get(key);
      if (at !== undefined) return Promise.resolve(at);
      return new Promise((resolve) => waiters.set(key, resolve));
    },
    open(uri, text, languageId = 'prototxt') {
      void connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId, version: 1, text },
      });
    },
    memory: () => processMemory(child.pid),
    async stop() {
      try {
        await Promise.race([connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 5000))]);
        await connection.sendNotification('exit');
      } catch {
        // already gone
      }
      connection.dispose();
      if (child.exitCode === null && child.signalCode === null) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            child.kill('SIGKILL');
            resolve();
          }, 5000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
  };
}

/** VmRSS and VmHWM of a process, in MB. */
export function processMemory(pid: number | undefined): { rssMB: number; peakMB: number } | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMB: kb('VmRSS') / 1024, peakMB: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** Times one request, in milliseconds, with its answer. */
export async function timedRequest<T>(
  connection: MessageConnection,
  method: string,
  params: unknown,
): Promise<{ ms: number; result: T }> {
  const t0 = performance.now();
  const result = (await connection.sendRequest(method, params)) as T;
  return { ms: performance.now() - t0, result };
}
