// Extension point for running a Python layer (issue 6): the server's code lens passes RunLayerArgs;
// the harness and results view are implemented separately. Until then the command says so.
import * as vscode from 'vscode';
import type { RunLayerArgs } from '../../server/src/protocol';
import type { Ctx } from './context';

export async function runLayerCommand(ctx: Ctx, args: RunLayerArgs | undefined): Promise<void> {
  const what = args?.gradcheck ? 'Checking gradients of' : 'Running';
  ctx.output.appendLine(`${what} ${args?.layerClass ?? 'a Python layer'}: not available in this build.`);
  await vscode.window.showInformationMessage(`${what} Python layers is not available in this build.`);
}
