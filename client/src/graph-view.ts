// Extension point for the network graph webview (issue 7). Until it lands the command says so.
import * as vscode from 'vscode';
import type { ShowGraphArgs } from '../../server/src/protocol';
import type { Ctx } from './context';

export async function showGraphCommand(ctx: Ctx, args?: ShowGraphArgs): Promise<void> {
  const uri = args?.uri ?? vscode.window.activeTextEditor?.document.uri.toString();
  ctx.output.appendLine(`Network graph for ${uri ?? 'no document'}: not available in this build.`);
  await vscode.window.showInformationMessage('The network graph view is not available in this build.');
}
