// Starts the built language server over stdio and speaks JSON-RPC to it, as any editor would.

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type {
  CompletionItem,
  CompletionList,
  Diagnostic,
  InitializeParams,
  InitializeResult,
  Location,
  Position,
  PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol';

export { repoRoot } from './paths';
import { repoRoot } from './paths';
export const serverPath = path.join(repoRoot, 'dist', 'server.js');

export interface TestServer {
  connection: MessageConnection;
  process: ChildProcess;
  initializeResult: InitializeResult;
  /** Resolves with the first diagnostics published for `uri` that satisfy `accept`. */
  diagnostics(uri: string, accept?: (p: PublishDiagnosticsParams) => boolean): Promise<Diagnostic[]>;
  open(uri: string, text: string, languageId?: string, version?: number): void;
  stop(): Promise<void>;
  stderr: () => string;
}

export interface StartOptions {
  rootPath?: string;
  initializationOptions?: unknown;
  capabilities?: InitializeParams['capabilities'];
  /** Answers `workspace/configuration` requests; absent = the client does not support them. */
  configuration?: (section: string | undefined, scopeUri: string | undefined) => unknown;
  /** The script node runs (default dist/server.js), e.g. bin/language-server.js as VS Code starts it. */
  entry?: string;
  /** Extra environment for the server process. */
  env?: NodeJS.ProcessEnv;
}

export function fileUri(p: string): string {
  return pathToFileURL(p).toString();
}

export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  if (!existsSync(serverPath)) throw new Error(`${serverPath} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, [options.entry ?? serverPath, '--stdio'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const connection = createMessageConnection(
    new StreamMessageReader(child.stdout!),
    new StreamMessageWriter(child.stdin!),
  );
  const published = new Map<string, PublishDiagnosticsParams[]>();
  const waiters: {
    uri: string;
    accept: (p: PublishDiagnosticsParams) => boolean;
    resolve: (d: Diagnostic[]) => void;
  }[] = [];
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    const list = published.get(p.uri) ?? [];
    list.push(p);
    published.set(p.uri, list);
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i];
      if (w.uri === p.uri && w.accept(p)) {
        waiters.splice(i, 1);
        w.resolve(p.diagnostics);
      }
    }
  });
  connection.onNotification(() => undefined);
  connection.onRequest(
    'workspace/configuration',
    (params: { items: { section?: string; scopeUri?: string }[] }) =>
      params.items.map((item) => options.configuration?.(item.section, item.scopeUri) ?? null),
  );
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.listen();

  const rootUri = options.rootPath ? fileUri(options.rootPath) : null;
  const initializeResult = (await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri,
    workspaceFolders: options.rootPath ? [{ uri: rootUri!, name: path.basename(options.rootPath) }] : null,
    capabilities: options.capabilities ?? {
      workspace: { configuration: options.configuration !== undefined, workspaceFolders: true },
      textDocument: {
        completion: { completionItem: { snippetSupport: true } },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        publishDiagnostics: { versionSupport: true },
      },
    },
    initializationOptions: options.initializationOptions,
  } satisfies InitializeParams)) as InitializeResult;
  await connection.sendNotification('initialized', {});

  return {
    connection,
    process: child,
    initializeResult,
    stderr: () => stderr,
    diagnostics(uri, accept = () => true) {
      const seen = published.get(uri)?.find(accept);
      if (seen) return Promise.resolve(seen.diagnostics);
      return new Promise((resolve) => waiters.push({ uri, accept, resolve }));
    },
    open(uri, text, languageId = 'prototxt', version = 1) {
      void connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId, version, text },
      });
    },
    async stop() {
      try {
        await Promise.race([connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
        await connection.sendNotification('exit');
      } catch {
        // the process may already be gone
      }
      connection.dispose();
      if (child.exitCode === null) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            child.kill('SIGKILL');
            resolve();
          }, 3000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
  };
}

/** The labels `textDocument/completion` offers at `position`. */
export async function completionLabels(s: TestServer, uri: string, position: Position): Promise<string[]> {
  const list = (await s.connection.sendRequest('textDocument/completion', {
    textDocument: { uri },
    position,
  })) as CompletionList | CompletionItem[] | null;
  return (Array.isArray(list) ? list : (list?.items ?? [])).map((i) => i.label);
}

/** `[uri, line]` of each location `textDocument/definition` answers at `position`. */
export async function definitionTargets(
  s: TestServer,
  uri: string,
  position: Position,
): Promise<[string, number][]> {
  const found = (await s.connection.sendRequest('textDocument/definition', {
    textDocument: { uri },
    position,
  })) as Location[] | null;
  return (found ?? []).map((l) => [l.uri, l.range.start.line]);
}
