// `prototxt.addTypeStubs`: puts the bundled `caffe` type stubs on Pylance's `python.analysis.extraPaths`,
// only after the user confirms.
import * as vscode from 'vscode';
import type { Ctx } from './context';

export async function addTypeStubsCommand(ctx: Ctx): Promise<void> {
  const stubs = ctx.extension.asAbsolutePath('stubs');
  const hasWorkspace = (vscode.workspace.workspaceFolders?.length ?? 0) > 0;
  const target = hasWorkspace ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  const where = hasWorkspace ? 'the workspace settings' : 'your user settings (no folder is open)';
  const analysis = vscode.workspace.getConfiguration('python.analysis');
  const inspected = analysis.inspect<string[]>('extraPaths');
  const existing = (hasWorkspace ? inspected?.workspaceValue : inspected?.globalValue) ?? [];
  if (existing.includes(stubs)) {
    void vscode.window.showInformationMessage(
      `The Caffe type stubs are already in python.analysis.extraPaths (${where}).`,
    );
    return;
  }
  const add = 'Add';
  const answer = await vscode.window.showInformationMessage(
    `Add the Caffe type stubs folder to python.analysis.extraPaths in ${where}?`,
    {
      modal: true,
      detail:
        `Folder: ${stubs}\n\nPylance then resolves "import caffe" and knows Layer, Blob and Net. ` +
        'The folder belongs to this version of the extension; run the command again after an update.',
    },
    add,
  );
  if (answer !== add) return;
  const withoutOldCopies = existing.filter((p) => !/caffe-prototxt[^/\\]*[/\\]stubs$/.test(p));
  await analysis.update('extraPaths', [...withoutOldCopies, stubs], target);
  ctx.output.appendLine(`Added ${stubs} to python.analysis.extraPaths (${where}).`);
  void vscode.window.showInformationMessage(
    `Added the Caffe type stubs to python.analysis.extraPaths (${where}).`,
  );
}
