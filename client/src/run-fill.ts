// How a layer run fills its bottoms: given with the command's arguments, chosen in "Run Layer With
// Options..." (seeded random, zeros, or one .npy file per bottom), remembered per layer for the
// session, else the `prototxt.run.fill` setting. A .npy file's shape replaces the bottom's shape.
import { open } from 'node:fs/promises';
import * as vscode from 'vscode';
import { fillOf, fillSetting, fillsFrom, npyShape } from '../../common/run/fill';
import type { LayerRunArgs } from '../../common/run/args';
import type { BottomFill } from '../../common/run/types';

/** A .npy header is far smaller than this. */
const HEADER_BYTES = 64 * 1024;

export interface FillSource {
  /** `fill` of the command's arguments (one fill, or one per bottom), when given. */
  given?: unknown;
  /** Ask (the "With Options" command). */
  ask: boolean;
  /** The last choice for this layer. */
  remembered?: BottomFill[];
}

/** The fills of a run and whether they were chosen now (to remember them); undefined: cancelled. */
export async function fillsFor(
  args: LayerRunArgs,
  bottoms: number,
  source: FillSource,
): Promise<{ fills: BottomFill[]; chosen: boolean } | undefined> {
  const scope = vscode.Uri.parse(args.uri);
  if (source.given !== undefined) {
    const fills = fillsFrom(source.given);
    if (typeof fills === 'string') {
      void vscode.window.showErrorMessage(`Cannot run the layer: ${fills}.`);
      return undefined;
    }
    return { fills, chosen: true };
  }
  const setting = fillSetting(vscode.workspace.getConfiguration('prototxt', scope).get('run.fill'));
  const current = source.remembered ?? [setting];
  if (!source.ask) return { fills: current, chosen: false };
  const fills = await askFills(args, bottoms, current);
  return fills && { fills, chosen: true };
}

interface FillItem extends vscode.QuickPickItem {
  fill: 'random' | 'zeros' | 'npy';
}

async function askFills(
  args: LayerRunArgs,
  bottoms: number,
  current: readonly BottomFill[],
): Promise<BottomFill[] | undefined> {
  const items: FillItem[] = [
    {
      fill: 'random',
      label: '$(symbol-numeric) Random (seeded)',
      detail: 'Standard normal values, the same on every run (seed 1701 + bottom index)',
    },
    { fill: 'zeros', label: '$(circle-outline) Zeros', detail: 'Every bottom all zeros' },
    {
      fill: 'npy',
      label: '$(file-binary) From .npy files...',
      detail: "One file per bottom; the file's shape replaces the bottom's shape",
    },
  ];
  const now = fillOf(current, 0);
  const active = items.find((i) => i.fill === (typeof now === 'object' ? 'npy' : now));
  const picked = await new Promise<FillItem | undefined>((resolve) => {
    const pick = vscode.window.createQuickPick<FillItem>();
    pick.title = `Bottom data of ${args.layerName ? `"${args.layerName}"` : args.layerClass}`;
    pick.placeholder = 'How to fill the bottoms (remembered for this layer until VS Code restarts)';
    pick.items = items;
    if (active) pick.activeItems = [active];
    pick.onDidAccept(() => {
      resolve(pick.selectedItems[0] ?? pick.activeItems[0]);
      pick.hide();
    });
    pick.onDidHide(() => {
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
  if (!picked) return undefined;
  if (picked.fill !== 'npy') return [picked.fill];
  return askNpyFiles(args, bottoms, current);
}

/** One open-file dialog per bottom; the last files chosen for this layer are offered first. */
async function askNpyFiles(
  args: LayerRunArgs,
  bottoms: number,
  current: readonly BottomFill[],
): Promise<BottomFill[] | undefined> {
  if (bottoms === 0) {
    void vscode.window.showInformationMessage('The layer has no bottom to fill from a .npy file.');
    return undefined;
  }
  const net = vscode.Uri.parse(args.uri);
  let folder = net.scheme === 'file' ? vscode.Uri.joinPath(net, '..') : undefined;
  const out: BottomFill[] = [];
  for (let i = 0; i < bottoms; i++) {
    const name = args.bottomNames?.[i] ? `"${args.bottomNames[i]}"` : `bottom ${i}`;
    const previous = fillOf(current, i);
    const picked = await vscode.window.showOpenDialog({
      title: `Data of ${name} (bottom ${i + 1} of ${bottoms})`,
      openLabel: `Use for ${name}`,
      canSelectMany: false,
      filters: { 'NumPy array': ['npy'] },
      defaultUri: typeof previous === 'object' ? vscode.Uri.file(previous.npy) : folder,
    });
    const file = picked?.[0];
    if (!file) return undefined;
    if (file.scheme !== 'file') {
      void vscode.window.showErrorMessage(
        `${file.toString()} is not a local file: the harness cannot read it.`,
      );
      return undefined;
    }
    folder = vscode.Uri.joinPath(file, '..');
    out.push({ npy: file.fsPath });
  }
  return out;
}

/**
 * The shape of each bottom filled from a .npy file (null for the others), read from the files'
 * headers; a string says which file cannot be read or that the fills do not match the bottoms.
 */
export async function npyShapes(
  fills: readonly BottomFill[],
  bottoms: number,
): Promise<(number[] | null)[] | string> {
  if (fills.length > 1 && fills.length !== bottoms) {
    return `${fills.length} fills were given for ${bottoms} bottom${bottoms === 1 ? '' : 's'}: give one, or one per bottom`;
  }
  const out: (number[] | null)[] = [];
  for (let i = 0; i < bottoms; i++) {
    const fill = fillOf(fills, i);
    if (typeof fill !== 'object') {
      out.push(null);
      continue;
    }
    const shape = await readNpyShape(fill.npy);
    if (typeof shape === 'string') return `${fill.npy}: ${shape}`;
    if (shape.length === 0 || shape.some((d) => d < 1)) {
      return `${fill.npy} holds an array of shape (${shape.join(', ')}), not a blob`;
    }
    out.push(shape);
  }
  return out;
}

async function readNpyShape(file: string): Promise<number[] | string> {
  try {
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(HEADER_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, HEADER_BYTES, 0);
      return npyShape(buffer.subarray(0, bytesRead));
    } finally {
      await handle.close();
    }
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
