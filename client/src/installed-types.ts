// The layer types the user's installed Caffe registers, for the server's check: the run interpreter's
// pycaffe is asked (caffe.layer_type_list()) with the PYTHONPATH layer runs use, only in a trusted
// workspace, once per interpreter and search path (the answer is kept in the workspace state), and
// again when the user runs Caffe: Refresh Installed Layer Types.
import * as vscode from 'vscode';
import { InstalledLayerTypesNotification, type InstalledLayerTypesParams } from '../../common/protocol';
import { probeLayerTypes } from '../../common/run/layer-types';
import type { Ctx } from './context';
import { choosePython, extraPythonPaths } from './run-environment';

// Versioned: answers kept before the interpreter also listed its modules are asked again once.
const STATE_KEY = 'prototxt.installedLayerTypes.2';
const OLD_STATE_KEYS = ['prototxt.installedLayerTypes'];

/** What one interpreter's pycaffe answered: its types, or why there are none. */
type Answer = { types: string[]; caffe?: string; major?: number; modules?: string[] } | { problem: string };

/** The workspace state: answers by interpreter and search path. */
type Answers = Record<string, Answer>;

/**
 * Tells the server what the run interpreter's Caffe registers: the kept answer, unless `refresh` or
 * there is none yet. Untrusted workspaces are never asked. Returns what to tell the user.
 */
export async function sendInstalledLayerTypes(ctx: Ctx, refresh: boolean): Promise<string> {
  if (!vscode.workspace.isTrusted) return 'The workspace is not trusted: its interpreter is not run.';
  const scope = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!scope) return 'Open a folder or a file first.';
  const python = await choosePython(ctx, scope, { quiet: !refresh });
  if (!python) {
    ctx.server.notify(InstalledLayerTypesNotification, notKnown(''));
    return 'No Python interpreter with numpy was found (see the output).';
  }
  const pythonPath = extraPythonPaths(scope);
  const key = JSON.stringify([python, pythonPath, process.env.PYTHONPATH ?? '']);
  for (const old of OLD_STATE_KEYS)
    if (ctx.extension.workspaceState.get(old) !== undefined)
      await ctx.extension.workspaceState.update(old, undefined);
  const answers = ctx.extension.workspaceState.get<Answers>(STATE_KEY) ?? {};
  let answer = refresh ? undefined : answers[key];
  if (!answer) {
    const cwd = scope.scheme === 'file' ? scope.fsPath : undefined;
    const probe = await probeLayerTypes({ python, pythonPath, ...(cwd ? { cwd } : {}) });
    answer = probe.ok
      ? {
          types: probe.types,
          ...(probe.caffe ? { caffe: probe.caffe } : {}),
          ...(probe.major !== undefined ? { major: probe.major } : {}),
          ...(probe.modules ? { modules: probe.modules } : {}),
        }
      : { problem: probe.message };
    // A timeout may pass: only a real answer is kept.
    if (probe.ok || probe.reason !== 'timeout')
      await ctx.extension.workspaceState.update(STATE_KEY, { ...answers, [key]: answer });
  }
  if ('problem' in answer) {
    ctx.output.info(`Layer types are not checked against an installed Caffe: ${answer.problem}`);
    ctx.server.notify(InstalledLayerTypesNotification, notKnown(python));
    return `Layer types are not checked against an installed Caffe: ${answer.problem}`;
  }
  const where = answer.caffe ? ` (caffe at ${answer.caffe})` : '';
  const message = `The Caffe that ${python} imports${where} registers ${answer.types.length} layer types.`;
  ctx.output.info(message);
  const params: InstalledLayerTypesParams = {
    types: answer.types,
    label: python,
    ...(answer.major !== undefined ? { pythonMajor: answer.major } : {}),
    ...(answer.modules ? { modules: answer.modules } : {}),
  };
  ctx.server.notify(InstalledLayerTypesNotification, params);
  return message;
}

function notKnown(label: string): InstalledLayerTypesParams {
  return { types: null, label };
}

/**
 * Asks at activation, when the workspace becomes trusted, and when the interpreter or the search path
 * settings change (each answer is kept, so only a new interpreter or path runs Python).
 */
export function watchInstalledLayerTypes(ctx: Ctx): vscode.Disposable[] {
  const ask = () => {
    sendInstalledLayerTypes(ctx, false).catch((error: unknown) =>
      ctx.output.error(`Could not ask for the installed layer types: ${String(error)}`),
    );
  };
  ask();
  return [
    vscode.workspace.onDidGrantWorkspaceTrust(ask),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (
        e.affectsConfiguration('prototxt.python.interpreter') ||
        e.affectsConfiguration('prototxt.python.extraPaths')
      )
        ask();
    }),
  ];
}
