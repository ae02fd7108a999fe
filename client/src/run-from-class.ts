// Running a layer class from its Python file (the `Run` lens above the class): the user picks one of
// the prototxt layers that use it — run exactly as that layer's own `Run layer` lens would run it — or
// runs the class with defaults (bottom shapes asked, empty param_str, TRAIN).
import * as vscode from 'vscode';
import { Commands, type RunLayerArgs, type RunLayerUsage } from '../../common/protocol';
import { formatShapeList, parseShapeList, type LayerRunArgs } from '../../common/run/args';

interface UsageItem extends vscode.QuickPickItem {
  usage?: RunLayerUsage;
}

/**
 * The run a Python-class lens leads to: the chosen usage's prototxt lens arguments, or `args` itself
 * for a run with defaults (at once when no prototxt uses the class). Undefined when the user cancels
 * or the chosen layer has no run lens (a message says why).
 */
export async function chooseUsage(args: RunLayerArgs): Promise<LayerRunArgs | undefined> {
  const usages = args.usages ?? [];
  if (usages.length === 0) return args;
  const items: UsageItem[] = [
    ...usages.map((usage) => ({
      label: `$(symbol-class) ${usage.layerName || '(unnamed layer)'}${namesake(usages, usage) ? ` (${usage.phase})` : ''}`,
      description: vscode.workspace.asRelativePath(vscode.Uri.parse(usage.uri)),
      detail: 'Bottom shapes, param_str and phase from this layer of the net',
      usage,
    })),
    {
      label: '$(play) Run with defaults',
      detail: 'Bottom shapes you give, an empty param_str, phase TRAIN',
    },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: `Run ${args.module}.${args.layerClass}`,
    placeHolder: 'Run it as one of the prototxt layers that use it, or with defaults',
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  if (!picked.usage) return args;
  return usageRunArgs(picked.usage);
}

/** Whether another usage in the same prototxt has the same layer name (one per phase). */
function namesake(usages: readonly RunLayerUsage[], usage: RunLayerUsage): boolean {
  return usages.some((u) => u !== usage && u.uri === usage.uri && u.layerName === usage.layerName);
}

/** The arguments of the `Run layer` lens above the usage's layer in its prototxt. */
async function usageRunArgs(usage: RunLayerUsage): Promise<LayerRunArgs | undefined> {
  const uri = vscode.Uri.parse(usage.uri);
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[] | undefined>(
    'vscode.executeCodeLensProvider',
    uri,
  );
  const runs = (lenses ?? [])
    .map((l) => l.command)
    .filter(
      (c) =>
        c?.command === Commands.runLayer &&
        (c.arguments?.[0] as LayerRunArgs | undefined)?.layerName === usage.layerName,
    );
  // A name used once per phase: the lens of the usage's phase.
  const found =
    runs.find((c) => (c?.arguments?.[0] as LayerRunArgs | undefined)?.phase === usage.phase) ?? runs[0];
  if (!found) {
    void vscode.window.showWarningMessage(
      `Layer "${usage.layerName}" of ${vscode.workspace.asRelativePath(uri)} cannot be run: ` +
        'check its python_param (module and layer) in the prototxt.',
    );
    return undefined;
  }
  return found.arguments?.[0] as LayerRunArgs;
}

/**
 * Bottom shapes for a run with defaults, where nothing tells how many bottoms the layer takes: asked,
 * any number (none for a layer without bottoms), the last answer for this class offered again.
 */
export async function askShapes(
  args: RunLayerArgs,
  remembered: number[][] | undefined,
): Promise<number[][] | undefined> {
  const parse = (text: string): number[][] | string => (text.trim() === '' ? [] : parseShapeList(text));
  const answer = await vscode.window.showInputBox({
    title: `Bottom shapes of ${args.layerClass}`,
    prompt: 'Shapes of its bottoms, separated by ";" (e.g. 2,3,32,32; 2). Empty: the layer has no bottom.',
    value: remembered ? formatShapeList(remembered) : '',
    ignoreFocusOut: true,
    validateInput: (text) => {
      const parsed = parse(text);
      return typeof parsed === 'string' ? parsed : undefined;
    },
  });
  if (answer === undefined) return undefined;
  const parsed = parse(answer);
  return typeof parsed === 'string' ? undefined : parsed;
}
