// `prototxt.chooseSchema`: a quick pick of the caffe.proto files the server found, "Browse...",
// "Bundled BVLC" (with discovery of the workspace's protos) and the shipped schemas by name
// (`bundled:ssd`, checked as the schema in use). Only the user's pick writes settings (workspace scope).
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  ListSchemasRequest,
  type ListSchemasParams,
  type ListSchemasResult,
  type UseBundledSchemaArgs,
} from '../../common/protocol';
import { describe } from './client';
import { writeWorkspaceSchemaChoice } from './config';
import type { Ctx } from './context';

interface Choice extends vscode.QuickPickItem {
  action: 'path' | 'browse' | 'bundled' | 'bundled-choice';
  path?: string;
  /** For a bundled schema chosen by name: its setting (`bundled:ssd`). */
  setting?: string;
}

export async function chooseSchemaCommand(ctx: Ctx): Promise<void> {
  if (!vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showWarningMessage(
      'Choosing a caffe.proto writes prototxt.schema.paths in the workspace settings: open a folder first.',
    );
    return;
  }
  const uri = vscode.window.activeTextEditor?.document.uri.toString();
  const items: Choice[] = [];
  const bundled: Choice[] = [];
  let note: string | undefined;
  try {
    const params: ListSchemasParams = { uri };
    const result = await ctx.server.request<ListSchemasResult>(ListSchemasRequest, params);
    const currentPath = result.current?.path ?? ctx.status.current()?.path;
    for (const c of result.candidates) {
      items.push({
        action: 'path',
        path: c.path,
        label: `$(file-code) ${c.label}`,
        description: c.path === currentPath ? 'in use' : undefined,
        detail: c.detail ?? c.path,
      });
    }
    const currentSetting = result.current?.setting;
    // bundled:bvlc is left to the setting: "Bundled BVLC" below is the choice people mean by it.
    for (const b of (result.bundled ?? []).filter((b) => b.setting !== 'bundled:bvlc')) {
      bundled.push({
        action: 'bundled-choice',
        setting: b.setting,
        label: `$(package) ${b.label} (bundled)`,
        description: b.setting === currentSetting ? 'in use' : b.setting,
        detail: `The ${b.label} schema shipped with the extension, as the one your nets are written for`,
      });
    }
  } catch (error) {
    note = `The server could not list the caffe.proto files: ${describe(error)}`;
    ctx.output.appendLine(note);
  }
  if (items.length > 0) items.push({ action: 'path', label: '', kind: vscode.QuickPickItemKind.Separator });
  items.push(
    { action: 'browse', label: '$(folder-opened) Browse...', detail: 'Pick a caffe.proto file on disk' },
    {
      action: 'bundled',
      label: '$(package) Bundled BVLC',
      detail: "BVLC Caffe's schema shipped with the extension (turns off discovery in this workspace)",
    },
  );
  if (bundled.length > 0)
    items.push(
      { action: 'path', label: 'shipped schemas', kind: vscode.QuickPickItemKind.Separator },
      ...bundled,
    );
  const pick = await vscode.window.showQuickPick(items, {
    title: 'Caffe schema for this workspace',
    placeHolder: note ?? 'Choose the caffe.proto your nets were written for',
    matchOnDetail: true,
  });
  if (!pick) return;
  if (pick.action === 'bundled') {
    await writeWorkspaceSchemaChoice([], false);
    void vscode.window.showInformationMessage('Using the bundled BVLC schema in this workspace.');
    return;
  }
  if (pick.action === 'bundled-choice' && pick.setting) {
    await writeWorkspaceSchemaChoice([pick.setting], false);
    void vscode.window.showInformationMessage(`Using the bundled ${pick.setting} schema in this workspace.`);
    return;
  }
  let file = pick.path;
  if (pick.action === 'browse') {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: 'Use this caffe.proto',
      filters: { 'Protocol Buffers': ['proto'] },
    });
    file = picked?.[0]?.fsPath;
  }
  if (!file) return;
  await writeWorkspaceSchemaChoice([settingPath(file)], true);
  void vscode.window.showInformationMessage(`Using ${file} as the Caffe schema in this workspace.`);
}

/** Relative to the workspace folder that holds the file (portable settings), else absolute. */
function settingPath(file: string): string {
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file));
  if (!folder) return file;
  const rel = path.relative(folder.uri.fsPath, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel.split(path.sep).join('/');
}

/**
 * `prototxt.useBundledSchema`, run by the quick fix of a warning about what only a fork defines (the
 * user chose it): the workspace is checked against that fork's schema shipped with the extension.
 */
export async function useBundledSchemaCommand(args?: UseBundledSchemaArgs): Promise<void> {
  if (typeof args?.setting !== 'string' || !/^bundled:[A-Za-z0-9_-]+$/.test(args.setting)) return;
  if (!vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showWarningMessage(
      'Choosing a schema writes prototxt.schema.paths in the workspace settings: open a folder first.',
    );
    return;
  }
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(
      'prototxt.schema.paths is ignored in an untrusted workspace: trust the workspace first.',
    );
    return;
  }
  await writeWorkspaceSchemaChoice([args.setting], false);
  void vscode.window.showInformationMessage(`Using the bundled ${args.setting} schema in this workspace.`);
}
