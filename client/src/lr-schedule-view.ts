// `prototxt.showLrSchedule`: a solver's learning rate over its iterations in a webview beside it, asked
// of the language server (`prototxt/lrSchedule`) and asked again after each edit of the solver.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LrScheduleRequest,
  type LrScheduleParams,
  type LrScheduleResult,
  type PlotViewStatus,
  type ShowLrScheduleArgs,
} from '../../common/protocol';
import { describe } from './client';
import type { Ctx } from './context';
import { PlotView } from './plot-view';

const EDIT_DELAY_MS = 300;

const viewsByCtx = new WeakMap<Ctx, Map<string, ScheduleView>>();

export async function showLrScheduleCommand(ctx: Ctx, args?: ShowLrScheduleArgs): Promise<void> {
  const uri = args?.uri ? vscode.Uri.parse(args.uri) : vscode.window.activeTextEditor?.document.uri;
  if (!uri) {
    void vscode.window.showWarningMessage('Open a solver prototxt to show its learning rate schedule.');
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
  const document = await vscode.workspace.openTextDocument(uri);
  const view = new ScheduleView(ctx, document, () => views.delete(key));
  views.set(key, view);
  await view.refresh();
}

export function scheduleViewsStatus(ctx: Ctx): PlotViewStatus[] {
  return [...(viewsByCtx.get(ctx)?.values() ?? [])].map((v) => v.status());
}

class ScheduleView implements vscode.Disposable {
  private readonly view: PlotView;
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;

  constructor(
    private readonly ctx: Ctx,
    private readonly document: vscode.TextDocument,
    onDispose: () => void,
  ) {
    const name = path.basename(document.uri.path);
    this.view = new PlotView(
      ctx.extension.extensionUri,
      'lrSchedule',
      document.uri,
      `Learning rate: ${name}`,
      () => {
        this.dispose();
        onDispose();
      },
      (m) => ctx.output.appendLine(`Schedule view: ${m}`),
    );
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document !== this.document || e.contentChanges.length === 0) return;
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.refresh(), EDIT_DELAY_MS);
      }),
    );
  }

  status(): PlotViewStatus {
    return this.view.status();
  }

  reveal(): void {
    this.view.reveal();
  }

  async refresh(): Promise<void> {
    this.timer = undefined;
    const generation = ++this.generation;
    const params: LrScheduleParams = { uri: this.document.uri.toString() };
    try {
      const result = await this.ctx.server.request<LrScheduleResult | null>(LrScheduleRequest, params);
      if (generation !== this.generation) return;
      if (!result) {
        this.view.post({ type: 'note', message: 'The language server does not know this document.' });
        return;
      }
      this.view.post({
        type: 'schedule',
        title: path.basename(this.document.uri.path),
        description: result.description,
        ...(result.policy ? { policy: result.policy } : {}),
        points: result.points,
        ...(result.note ? { note: result.note } : {}),
      });
    } catch (error) {
      if (generation !== this.generation) return;
      this.view.post({ type: 'note', message: `The schedule could not be computed: ${describe(error)}` });
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.subscriptions) d.dispose();
    this.subscriptions.length = 0;
    this.view.dispose();
  }
}
