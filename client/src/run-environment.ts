// Where and how the editor runs a layer: the run state of this activation (remembered shapes and
// fills, the results view), the interpreter (the setting, then the Python extension's, then the first
// with numpy) and the harness's process settings (folder, PYTHONPATH, timeout, cancellation). Shared by
// Run layer and Infer top shapes.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LayerRunArgs } from '../../common/run/args';
import type { DebugListenOptions } from '../../common/run/debug-run';
import { DEFAULT_PYTHON_CANDIDATES, findPython } from '../../common/run/find-python';
import { runLayer } from '../../common/run/run-layer';
import type { RunRequest, RunResult } from '../../common/run/types';
import { config } from './config';
import type { Ctx } from './context';
import { RunSession } from './run-results';

// One session per activation, owned by the extension context (disposed with it).
const sessions = new WeakMap<vscode.ExtensionContext, RunSession>();

/** The run state of this activation (remembered shapes and fills, the results view, run diagnostics). */
export function sessionOf(ctx: Ctx): RunSession {
  let session = sessions.get(ctx.extension);
  if (!session) {
    session = new RunSession();
    sessions.set(ctx.extension, session);
    ctx.extension.subscriptions.push(session);
  }
  return session;
}

/**
 * Runs the harness on `request` as the editor runs layers: in the net's folder, with the layer's
 * module roots and `prototxt.python.extraPaths` on PYTHONPATH, the `prototxt.run.timeoutSeconds`
 * timeout (none under the debugger: `more.debug`), and cancelled by `token`.
 */
/** The folders a layer run puts on PYTHONPATH for every layer: `prototxt.python.extraPaths`, resolved. */
export function extraPythonPaths(scope: vscode.Uri): string[] {
  const folder = vscode.workspace.getWorkspaceFolder(scope)?.uri.fsPath;
  return config.pythonExtraPaths(scope).map((p) => path.resolve(folder ?? '', p));
}

export function runInEditor(
  args: LayerRunArgs,
  request: RunRequest,
  python: string,
  token: vscode.CancellationToken,
  onOutput: (text: string) => void,
  more: { debug?: DebugListenOptions; pythonPath?: string[] } = {},
): Promise<RunResult> {
  const scope = vscode.Uri.parse(args.uri);
  const folder = vscode.workspace.getWorkspaceFolder(scope)?.uri.fsPath;
  const extra = extraPythonPaths(scope);
  const controller = new AbortController();
  const subscription = token.onCancellationRequested(() => controller.abort());
  return runLayer(request, {
    python,
    cwd: scope.scheme === 'file' ? path.dirname(scope.fsPath) : folder,
    pythonPath: [...(args.searchPaths ?? []), ...extra, ...(more.pythonPath ?? [])],
    timeoutMs: config.runTimeoutSeconds(scope) * 1000,
    signal: controller.signal,
    onOutput,
    debug: more.debug,
  }).finally(() => subscription.dispose());
}

/**
 * The setting, else the Python extension's interpreter, else the first candidate with numpy. `quiet`:
 * when none is usable, say so in the output only (a background look, not a command the user ran).
 */
export async function choosePython(
  ctx: Ctx,
  scope: vscode.Uri,
  options: { quiet?: boolean } = {},
): Promise<string | undefined> {
  const explicit = config.pythonInterpreter(scope);
  const fromExtension = explicit ? undefined : await pythonExtensionInterpreter(scope);
  const found = await findPython(
    explicit
      ? { explicit }
      : { candidates: [...(fromExtension ? [fromExtension] : []), ...DEFAULT_PYTHON_CANDIDATES] },
  );
  ctx.output.info(found.message);
  if (found.ok) return found.python;
  if (options.quiet) return undefined;
  void vscode.window.showErrorMessage(found.message, 'Open Settings').then((pick) => {
    if (pick)
      void vscode.commands.executeCommand('workbench.action.openSettings', 'prototxt.python.interpreter');
  });
  return undefined;
}

async function pythonExtensionInterpreter(scope: vscode.Uri): Promise<string | undefined> {
  if (!vscode.extensions.getExtension('ms-python.python')) return undefined;
  try {
    const { PythonExtension } = await import('@vscode/python-extension');
    const api = await PythonExtension.api();
    const active = api.environments.getActiveEnvironmentPath(scope);
    const env = await api.environments.resolveEnvironment(active);
    return env?.executable.uri?.fsPath;
  } catch {
    return undefined;
  }
}
