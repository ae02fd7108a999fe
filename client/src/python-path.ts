// `prototxt.addPythonPath`: the quick fix of a Python module that is off the search path adds the
// module's folder to `prototxt.python.extraPaths`, when the user chooses it.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AddPythonPathArgs } from '../../common/protocol';
import { section, strings } from './config';
import type { Ctx } from './context';

/**
 * `prototxt.addPythonPath`, run by the quick fix of a Python module that is off the search path (the
 * user chose it): appends the folder to `prototxt.python.extraPaths` in the settings of the workspace
 * (of the document's folder in a multi-root workspace), relative to that folder when inside it.
 */
export async function addPythonPathCommand(ctx: Ctx, args?: AddPythonPathArgs): Promise<void> {
  if (typeof args?.folder !== 'string' || typeof args.uri !== 'string') return;
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(
      'prototxt.python.extraPaths is ignored in an untrusted workspace: trust the workspace first.',
    );
    return;
  }
  const folders = vscode.workspace.workspaceFolders ?? [];
  const home = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(args.uri));
  // Relative paths are read from the first folder: a folder of another one is written in full.
  const multi = folders.length > 1;
  const target = home
    ? multi
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : vscode.ConfigurationTarget.Workspace
    : vscode.ConfigurationTarget.Global;
  const rel = home ? path.relative(home.uri.fsPath, args.folder) : undefined;
  const inside = rel !== undefined && !rel.startsWith('..') && !path.isAbsolute(rel);
  const value = inside && home === folders[0] ? rel.split(path.sep).join('/') || '.' : args.folder;
  const s = section(home?.uri);
  const inspected = s.inspect<string[]>('python.extraPaths');
  const current = strings(
    target === vscode.ConfigurationTarget.WorkspaceFolder
      ? inspected?.workspaceFolderValue
      : target === vscode.ConfigurationTarget.Workspace
        ? inspected?.workspaceValue
        : inspected?.globalValue,
  );
  if (current.includes(value)) return;
  await s.update('python.extraPaths', [...current, value], target);
  ctx.output.appendLine(`Added ${value} to prototxt.python.extraPaths.`);
}
