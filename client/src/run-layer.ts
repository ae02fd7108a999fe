// Turns the server's "run layer" arguments into a visible, cancellable run of the layer harness:
// bottom shapes (inferred, remembered for the session, else asked), how bottoms are filled
// (run-fill.ts), the interpreter (setting, then the Python extension's, then the first with numpy),
// PYTHONPATH from the module's import root, a timeout, and the results (run-results.ts, run-view.ts).
// The commands table refuses it in untrusted workspaces.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, type RunLayerArgs } from '../../common/protocol';
import { DEFAULT_PYTHON_CANDIDATES, findPython } from '../../common/run/find-python';
import {
  completeShapes,
  formatShapeList,
  parseShapeList,
  runRequestFor,
  type LayerRunArgs,
} from '../../common/run/args';
import { runLayer } from '../../common/run/run-layer';
import type { RunRequest, RunResult } from '../../common/run/types';
import { config } from './config';
import { lensArgsAtCursor } from './lens-at-cursor';
import { reportRunShapes } from './python-shapes';
import type { Ctx } from './context';
import { fillsFor, npyShapes } from './run-fill';
import { RunSession, showRunResult, type RunOutcome } from './run-results';
import { askShapes, chooseUsage } from './run-from-class';
import type { RunViewStatus } from './run-view';

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
 * Arguments of the run commands: a lens's, plus (from "Run With Options..." callers and the e2e
 * suite) `fill`: one bottom fill for all bottoms or one per bottom, which then is not asked.
 */
export type RunCommandArgs = RunLayerArgs & { fill?: unknown };

export interface RunCommandOptions {
  /** Ask how to fill the bottoms ("Run Layer With Options..."). */
  askFill?: boolean;
}

export async function runLayerCommand(
  ctx: Ctx,
  given: RunCommandArgs | undefined,
  gradcheck = given?.gradcheck ?? false,
  options: RunCommandOptions = {},
): Promise<RunOutcome | undefined> {
  // From a Python class: one of the prototxt layers using it, or the class with defaults.
  const fromClass = given?.usages ? await chooseUsage(given) : undefined;
  if (given?.usages && !fromClass) return undefined;
  const found = fromClass ?? (given as LayerRunArgs | undefined) ?? (await argsAtCursor(given));
  const { fill: givenFill, ...rest } = (found ?? {}) as LayerRunArgs & { fill?: unknown };
  const args: LayerRunArgs | undefined = found && { ...rest, gradcheck };
  if (!args) {
    void vscode.window.showInformationMessage(
      'Put the cursor in a Python layer of a prototxt net (or use the "Run layer" code lens above it).',
    );
    return undefined;
  }
  const session = sessionOf(ctx);
  const key = `${args.uri}#${args.layerName ?? args.layerClass}`;
  // A class run with defaults: the shapes say how many bottoms there are; a prototxt layer: its bottoms.
  const asked = args.usages ? await askShapes(args, session.shapes.get(key)) : undefined;
  if (args.usages && !asked) return undefined;
  const inferred = args.bottomShapes ?? (args.bottomNames ?? []).map(() => null);
  const count = asked?.length ?? inferred.length;
  const chosen = await fillsFor(args, count, {
    given: givenFill,
    ask: options.askFill === true,
    remembered: session.fills.get(key),
  });
  if (!chosen) return undefined;
  const fromNpy = await npyShapes(chosen.fills, count);
  if (typeof fromNpy === 'string') {
    void vscode.window.showErrorMessage(`Cannot run the layer: ${fromNpy}.`);
    return undefined;
  }
  // A .npy file's shape replaces the shape inferred, remembered or asked for its bottom.
  const shapes = asked
    ? asked.map((s, i) => fromNpy[i] ?? s)
    : await bottomShapes(
        { ...args, bottomShapes: inferred.map((s, i) => fromNpy[i] ?? s) },
        session.shapes.get(key),
      );
  if (!shapes) return undefined;
  session.shapes.set(key, shapes);
  if (chosen.chosen) session.fills.set(key, chosen.fills);

  const scope = vscode.Uri.parse(args.uri);
  const python = await choosePython(ctx, scope);
  if (!python) return undefined;

  const request = runRequestFor(args, shapes, { pycaffe: config.usePycaffe(scope), fills: chosen.fills });
  const title = `${args.gradcheck ? 'Checking gradients of' : 'Running'} ${args.layerName ? `"${args.layerName}"` : args.layerClass}`;
  ctx.output.info(`${title} with ${python} (bottoms ${formatShapeList(shapes)}).`);

  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    (_progress, token) => runInEditor(args, request, python, token, (text) => session.channel.append(text)),
  );
  // What the run learnt of the tops' shapes feeds shape inference past this layer.
  void reportRunShapes(ctx, args, shapes, result);
  return showRunResult(session, args, shapes, result, chosen.fills);
}

/** `prototxt.showRunResults`: the last result of this session in the results view again. */
export function showLastRunCommand(ctx: Ctx): RunViewStatus | undefined {
  const shown = sessionOf(ctx).view.reopen();
  if (!shown) void vscode.window.showInformationMessage('No layer was run since VS Code started.');
  return shown;
}

/**
 * Runs the harness on `request` as the editor runs layers: in the net's folder, with the layer's
 * module roots and `prototxt.python.extraPaths` on PYTHONPATH, the `prototxt.run.timeoutSeconds`
 * timeout, and cancelled by `token`.
 */
export function runInEditor(
  args: LayerRunArgs,
  request: RunRequest,
  python: string,
  token: vscode.CancellationToken,
  onOutput: (text: string) => void,
): Promise<RunResult> {
  const scope = vscode.Uri.parse(args.uri);
  const folder = vscode.workspace.getWorkspaceFolder(scope)?.uri.fsPath;
  const extra = config.pythonExtraPaths(scope).map((p) => path.resolve(folder ?? '', p));
  const controller = new AbortController();
  const subscription = token.onCancellationRequested(() => controller.abort());
  return runLayer(request, {
    python,
    cwd: scope.scheme === 'file' ? path.dirname(scope.fsPath) : folder,
    pythonPath: [...(args.searchPaths ?? []), ...extra],
    timeoutMs: config.runTimeoutSeconds(scope) * 1000,
    signal: controller.signal,
    onOutput,
  }).finally(() => subscription.dispose());
}

/** Inferred shapes, the unknown ones from the last run of this layer, else asked. */
async function bottomShapes(
  args: LayerRunArgs,
  remembered: number[][] | undefined,
): Promise<number[][] | undefined> {
  const inferred = args.bottomShapes ?? (args.bottomNames ?? []).map(() => null);
  const known = completeShapes(inferred);
  if (typeof known !== 'string') return known;
  if (remembered && remembered.length === inferred.length) {
    const filled = completeShapes(
      inferred,
      inferred.flatMap((s, i) => (s === null ? [remembered[i]] : [])),
    );
    if (typeof filled !== 'string') return filled;
  }
  const names = args.bottomNames?.length ? args.bottomNames.join(', ') : `${inferred.length} bottom(s)`;
  const answer = await vscode.window.showInputBox({
    title: `Bottom shapes of ${args.layerName ? `"${args.layerName}"` : args.layerClass}`,
    prompt: `Shapes of ${names}, separated by ";" (e.g. 2,3,32,32; 2). "?" marks what the net does not tell.`,
    value: formatShapeList(inferred.map((s, i) => s ?? remembered?.[i] ?? null)),
    ignoreFocusOut: true,
    validateInput: (text) => {
      const parsed = parseShapeList(text);
      if (typeof parsed === 'string') return parsed;
      const done = completeShapes(inferred, parsed);
      return typeof done === 'string' ? done : undefined;
    },
  });
  if (answer === undefined) return undefined;
  const parsed = parseShapeList(answer);
  if (typeof parsed === 'string') return undefined;
  const done = completeShapes(inferred, parsed);
  return typeof done === 'string' ? undefined : done;
}

/** The setting, else the Python extension's interpreter, else the first candidate with numpy. */
export async function choosePython(ctx: Ctx, scope: vscode.Uri): Promise<string | undefined> {
  const explicit = config.pythonInterpreter(scope);
  const fromExtension = explicit ? undefined : await pythonExtensionInterpreter(scope);
  const found = await findPython(
    explicit
      ? { explicit }
      : { candidates: [...(fromExtension ? [fromExtension] : []), ...DEFAULT_PYTHON_CANDIDATES] },
  );
  ctx.output.info(found.message);
  if (found.ok) return found.python;
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

/** Without arguments (palette, keybinding): the run lens of the Python layer at the cursor. */
async function argsAtCursor(given: RunLayerArgs | undefined): Promise<LayerRunArgs | undefined> {
  return given ?? lensArgsAtCursor<LayerRunArgs>(Commands.runLayer);
}
