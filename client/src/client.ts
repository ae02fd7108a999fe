// The LanguageClient: the bundled server (dist/server.js) over IPC, for prototxt and Python files.
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { SERVER_NODE_FLAGS } from '../../common/node-flags';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  Commands,
  SchemaStatusNotification,
  ShapesChangedNotification,
  type SchemaStatusParams,
  type ShapesChangedParams,
} from '../../common/protocol';
import { config } from './config';

export class ServerClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private startFailure: string | undefined;
  /** The last params of each notification sent through `notify`, sent again to a restarted server. */
  private readonly kept = new Map<string, unknown>();
  /** Python, proto and prototxt file events for the server's workspace index (one watcher for all restarts). */
  private readonly watcher = vscode.workspace.createFileSystemWatcher('**/*.{py,proto,prototxt,pt}');

  constructor(
    private readonly extension: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
    private readonly onSchemaStatus: (params: SchemaStatusParams) => void,
    private readonly onShapesChanged: (uri: string) => void = () => undefined,
  ) {}

  get running(): boolean {
    return this.client?.isRunning() ?? false;
  }

  /** Why the server is not running, when it failed to start. */
  get failure(): string | undefined {
    return this.startFailure;
  }

  async start(): Promise<void> {
    // The bundle, loaded through V8's code cache (bin/language-server.js); debugging loads it plainly.
    const bundle = this.extension.asAbsolutePath('dist/server.js');
    const serverModule = this.extension.asAbsolutePath('bin/language-server.js');
    if (!existsSync(bundle)) {
      this.fail(`The language server is missing (${bundle}); run "npm run build" in the extension folder.`);
      return;
    }
    const serverOptions: ServerOptions = {
      run: {
        module: serverModule,
        transport: TransportKind.ipc,
        options: { execArgv: [...SERVER_NODE_FLAGS] },
      },
      debug: {
        module: bundle,
        transport: TransportKind.ipc,
        options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6010'] },
      },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'prototxt' },
        { scheme: 'untitled', language: 'prototxt' },
        { scheme: 'file', language: 'python' },
      ],
      outputChannel: this.output,
      traceOutputChannel: this.output,
      // The commands the server's code actions may run here.
      initializationOptions: {
        settings: config.serverSettings(),
        commands: [Commands.addPythonPath, Commands.useBundledSchema],
      },
      synchronize: { configurationSection: 'prototxt', fileEvents: this.watcher },
    };
    // The client id `prototxt` makes vscode-languageclient honour `prototxt.trace.server`.
    const client = new LanguageClient(
      'prototxt',
      'Caffe Prototxt Language Server',
      serverOptions,
      clientOptions,
    );
    client.onNotification(SchemaStatusNotification, (params: SchemaStatusParams) =>
      this.onSchemaStatus(params),
    );
    client.onNotification(ShapesChangedNotification, (params: ShapesChangedParams) =>
      this.onShapesChanged(params.uri),
    );
    this.client = client;
    try {
      await client.start();
      this.startFailure = undefined;
      for (const [method, params] of this.kept) void client.sendNotification(method, params);
    } catch (error) {
      this.fail(`The language server failed to start: ${describe(error)}`);
    }
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client?.isRunning()) await client.stop();
    else await client?.dispose();
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Sends a custom request; rejects with a readable message when the server is not running. */
  async request<R>(method: string, params: unknown): Promise<R> {
    if (!this.client?.isRunning()) {
      throw new Error(this.startFailure ?? 'The Caffe language server is not running.');
    }
    return this.client.sendRequest<R>(method, params);
  }

  /** Sends a notification now when the server runs, and again to every server started later. */
  notify(method: string, params: unknown): void {
    this.kept.set(method, params);
    if (this.client?.isRunning()) void this.client.sendNotification(method, params);
  }

  dispose(): void {
    this.watcher.dispose();
    void this.stop();
  }

  private fail(message: string): void {
    this.startFailure = message;
    this.output.appendLine(message);
    void vscode.window.showErrorMessage(message, 'Show Output').then((pick) => {
      if (pick) this.output.show(true);
    });
  }
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
