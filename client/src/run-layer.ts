// Turns the server's "run layer" arguments into a visible, cancellable run of the layer harness:
// bottom shapes (inferred, remembered for the session, else asked), how bottoms are filled
// (run-fill.ts), the interpreter (setting, then the Python extension's, then the first with numpy),
// PYTHONPATH from the module's import root, a timeout, and the results (run-results.ts, run-view.ts).
// The commands table refuses it in untrusted workspaces.
import * as vscode from 'vscode';
import { Commands, type RunLayerArgs } from '../../common/protocol';
import {
  completeShapes,
  formatShapeList,
  parseShapeList,
  runRequestFor,
  type LayerRunArgs,
} from '../../common/run/args';
import { config } from './config';
import { debugLayerRun, type DebugHow } from './debug-layer';
import { lensArgsAtCursor } from './lens-at-cursor';
import { reportRunShapes } from './python-shapes';
import type { Ctx } from './context';
import { fillsFor, npyShapes } from './run-fill';
import { showRunResult, type RunOutcome } from './run-results';
import { choosePython, runInEditor, sessionOf } from './run-environment';
import { askShapes, chooseUsage } from './run-from-class';
import type { RunViewStatus } from './run-view';

/**
 * Arguments of the run commands: a lens's, plus (from "Run With Options..." callers and the e2e
 * suite) `fill`: one bottom fill for all bottoms or one per bottom, which then is not asked.
 */
export type RunCommandArgs = RunLayerArgs & { fill?: unknown };

export interface RunCommandOptions {
  /** Ask how to fill the bottoms ("Run Layer With Options..."). */
  askFill?: boolean;
  /** Run under the debugger (debug-layer.ts). */
  debug?: DebugHow;
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
  const name = args.layerName ? `"${args.layerName}"` : args.layerClass;
  const title = `${args.gradcheck ? 'Checking gradients of' : 'Running'} ${name}`;
  ctx.output.info(`${title} with ${python} (bottoms ${formatShapeList(shapes)}).`);

  const onOutput = (text: string): void => session.channel.append(text);
  const result = options.debug
    ? await debugLayerRun(
        ctx,
        `Debugging ${args.gradcheck ? 'the gradient check of ' : ''}${name}`,
        scope,
        options.debug,
        (debug, more, token) =>
          runInEditor(args, request, python, token, onOutput, { debug, pythonPath: more }),
      )
    : await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title, cancellable: true },
        (_progress, token) => runInEditor(args, request, python, token, onOutput),
      );
  if (!result) return undefined;
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
  // Why the net does not tell them: where along it each unknown bottom's shape was lost.
  const notes = (args.bottomNotes ?? []).flatMap((note, i) =>
    note && inferred[i] === null ? [`${args.bottomNames?.[i] ?? `bottom #${i}`}: ${note}.`] : [],
  );
  const answer = await vscode.window.showInputBox({
    title: `Bottom shapes of ${args.layerName ? `"${args.layerName}"` : args.layerClass}`,
    prompt:
      `Shapes of ${names}, separated by ";" (e.g. 2,3,32,32; 2). "?" marks what the net does not tell.` +
      (notes.length > 0 ? ` ${notes.join(' ')}` : ''),
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

/** Without arguments (palette, keybinding): the run lens of the Python layer at the cursor. */
async function argsAtCursor(given: RunLayerArgs | undefined): Promise<LayerRunArgs | undefined> {
  return given ?? lensArgsAtCursor<LayerRunArgs>(Commands.runLayer);
}
