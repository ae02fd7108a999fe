// `prototxt.plotTrainingLog`: the training loss, the train and test net outputs and the learning rate
// of a `caffe train` log in a webview, following the file while training appends to it. Any file whose
// first megabyte reads like such a log is accepted (`.log`, `.txt`, glog's `caffe.INFO` ...).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PlotViewStatus } from '../../common/protocol';
import { looksLikeTrainLog } from '../../common/training/train-log';
import type { Ctx } from './context';
import { LogFollower } from '../../common/training/log-follower';
import { PlotView } from './plot-view';

const HEAD_BYTES = 1 << 20;

const viewsByCtx = new WeakMap<Ctx, Map<string, LogView>>();

/** The file the command is for: its argument (a URI from the explorer, or a string), else the editor's. */
function targetOf(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') return vscode.Uri.parse(arg);
  if (typeof arg === 'object' && arg !== null && typeof (arg as { uri?: unknown }).uri === 'string')
    return vscode.Uri.parse((arg as { uri: string }).uri);
  return vscode.window.activeTextEditor?.document.uri;
}

export async function plotTrainingLogCommand(ctx: Ctx, arg?: unknown): Promise<void> {
  const uri = targetOf(arg);
  if (!uri || uri.scheme !== 'file') {
    void vscode.window.showWarningMessage('Open the log file of a `caffe train` run to plot it.');
    return;
  }
  let views = viewsByCtx.get(ctx);
  if (!views) viewsByCtx.set(ctx, (views = new Map()));
  const key = uri.toString();
  const open = views.get(key);
  if (open) {
    open.reveal();
    return;
  }
  const file = uri.fsPath;
  let head: string;
  try {
    head = await readHead(file);
  } catch (error) {
    void vscode.window.showErrorMessage(`Cannot read ${file}: ${(error as Error).message}`);
    return;
  }
  if (!looksLikeTrainLog(head)) {
    void vscode.window.showWarningMessage(
      `${path.basename(file)} does not look like a log of caffe train: no "Iteration N, loss = ..." or solver lines in its first megabyte.`,
    );
    return;
  }
  const view = new LogView(ctx, uri, () => views.delete(key));
  views.set(key, view);
  await view.start();
}

export function logViewsStatus(ctx: Ctx): PlotViewStatus[] {
  return [...(viewsByCtx.get(ctx)?.values() ?? [])].map((v) => v.status());
}

async function readHead(file: string): Promise<string> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

class LogView implements vscode.Disposable {
  private readonly view: PlotView;
  private readonly follower: LogFollower;

  constructor(ctx: Ctx, uri: vscode.Uri, onDispose: () => void) {
    const title = path.basename(uri.fsPath);
    this.view = new PlotView(
      ctx.extension.extensionUri,
      'trainingLog',
      uri,
      `Training log: ${title}`,
      () => {
        this.dispose();
        onDispose();
      },
      (m) => ctx.output.appendLine(`Training log view: ${m}`),
    );
    this.follower = new LogFollower(uri.fsPath, {
      reset: (log) => this.view.post({ type: 'log', title, log }),
      append: (delta) => this.view.post({ type: 'log-append', delta }),
      problem: (message) => this.view.post({ type: 'note', message }),
    });
  }

  start(): Promise<void> {
    return this.follower.start();
  }

  status(): PlotViewStatus {
    return this.view.status();
  }

  reveal(): void {
    this.view.reveal();
  }

  dispose(): void {
    this.follower.stop();
    this.view.dispose();
  }
}
