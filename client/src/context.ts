// The one object every command receives: created in `activate`, with the client known to exist.
import type * as vscode from 'vscode';
import type { ServerClient } from './client';
import type { SchemaStatusBar } from './status';

export interface Ctx {
  readonly extension: vscode.ExtensionContext;
  readonly output: vscode.LogOutputChannel;
  readonly server: ServerClient;
  readonly status: SchemaStatusBar;
}
