// Entry point: build the context, register the command table, start the language server.
import * as vscode from 'vscode';
import { ServerClient } from './client';
import { registerCommands } from './commands';
import { registerLayerDebugging } from './debug-layer';
import { refreshGraph } from './graph-view';
import type { Ctx } from './context';
import { watchInstalledLayerTypes } from './installed-types';
import { watchSolverFiles } from './solver-files';
import { SchemaStatusBar } from './status';

let server: ServerClient | undefined;

export async function activate(extension: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Caffe Prototxt', { log: true });
  // The status bar exists before the server reports anything: notifications start after start().
  const running = new ServerClient(
    extension,
    output,
    (params) => status.update(params),
    (uri) => void refreshGraph(ctx, uri),
  );
  const status = new SchemaStatusBar(() => running.running);
  server = running;
  const ctx: Ctx = { extension, output, server: running, status };
  extension.subscriptions.push(
    output,
    status,
    running,
    watchSolverFiles(),
    ...registerCommands(ctx),
    ...registerLayerDebugging(),
  );
  await running.start();
  status.render();
  extension.subscriptions.push(...watchInstalledLayerTypes(ctx));
}

export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}
