// The results view of layer runs: one webview panel beside the editor, reused by every run, showing the
// last result as static HTML (common/run/report-html.ts). Its one script posts which location was
// clicked (an index into the error's traceback); the view opens that file at that line.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { RunLabel } from '../../common/run/report';
import { runResultHtml, type RunPageMessage } from '../../common/run/report-html';
import type { RunResult, TraceFrame } from '../../common/run/types';

/** What a run hands to the view. */
export interface ShownRun {
  result: RunResult;
  label: RunLabel;
  /** `Layer run: <name>`. */
  title: string;
  /** How the bottoms were filled, in a few words. */
  fill?: string;
  /** `run at 10:42:07`, `gradient check at ...`. */
  kind?: string;
}

/** Whether the results view is open, and its title (the e2e suite reads it from the run's outcome). */
export interface RunViewStatus {
  title: string;
  open: boolean;
}

export class RunResultsView implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private last: ShownRun | undefined;

  /** `showReport` shows the text report (the output channel). */
  constructor(private readonly showReport: () => void) {}

  /** Shows `run` in the view, opening it beside the active editor (without focus) when closed. */
  show(run: ShownRun): RunViewStatus {
    this.last = run;
    return this.render(run);
  }

  /** Shows the last run again; undefined when there was none in this session. */
  reopen(): RunViewStatus | undefined {
    return this.last && this.render(this.last);
  }

  status(): RunViewStatus | undefined {
    return this.last && { title: this.last.title, open: this.panel !== undefined };
  }

  private render(run: ShownRun): RunViewStatus {
    let panel = this.panel;
    if (panel) {
      panel.reveal(undefined, true);
    } else {
      panel = vscode.window.createWebviewPanel(
        'prototxt.runResults',
        run.title,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: true, localResourceRoots: [] },
      );
      const opened = panel;
      panel.webview.onDidReceiveMessage((m: RunPageMessage) => void this.onMessage(m));
      panel.onDidDispose(() => {
        if (this.panel === opened) this.panel = undefined;
      });
      this.panel = panel;
    }
    panel.title = run.title;
    panel.webview.html = runResultHtml(run.result, run.label, {
      title: run.title,
      nonce: randomBytes(16).toString('base64'),
      fill: run.fill,
      kind: run.kind,
    });
    return { title: run.title, open: true };
  }

  /** A message from the page: only indexes into the shown result are accepted, never paths. */
  async onMessage(message: RunPageMessage): Promise<void> {
    if (message.type === 'report') {
      this.showReport();
      return;
    }
    if (message.type !== 'open' || !Number.isInteger(message.frame)) return;
    const error = this.last?.result.error;
    const frame = message.frame === -1 ? error?.location : error?.traceback[message.frame];
    if (frame) await openFrame(frame);
  }

  dispose(): void {
    this.panel?.dispose();
    this.panel = undefined;
  }
}

async function openFrame(frame: TraceFrame): Promise<void> {
  const line = Math.max(0, frame.line - 1);
  const position = new vscode.Position(line, frame.column ?? 0);
  const column = vscode.window.visibleTextEditors[0]?.viewColumn ?? vscode.ViewColumn.One;
  try {
    await vscode.window.showTextDocument(vscode.Uri.file(frame.file), {
      viewColumn: column,
      selection: new vscode.Range(position, position),
      preview: false,
    });
  } catch (error) {
    void vscode.window.showErrorMessage(
      `Cannot open ${frame.file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
