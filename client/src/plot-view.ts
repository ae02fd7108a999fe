// One webview panel showing a plot page (client/webview/plot.ts): made beside the editor, given the
// page's HTML, and told what to draw once the page says it is ready. Keeps what the page last said it
// drew, for the status the e2e suite reads.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { PlotViewStatus } from '../../common/protocol';
import type { FromPlotPage, ToPlotPage } from '../webview/plot-messages';
import { plotPageHtml } from '../webview/plot-page';

export class PlotView implements vscode.Disposable {
  private readonly panel: vscode.WebviewPanel;
  private ready = false;
  /** Messages posted before the page was ready, sent when it is (only the latest of each kind). */
  private queue: ToPlotPage[] = [];
  private rendered: PlotViewStatus['rendered'];
  private disposed = false;

  constructor(
    extensionUri: vscode.Uri,
    readonly kind: PlotViewStatus['kind'],
    readonly uri: vscode.Uri,
    title: string,
    private readonly onDispose: () => void,
    private readonly log: (message: string) => void,
  ) {
    const root = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    this.panel = vscode.window.createWebviewPanel(
      `prototxt.${kind}`,
      title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [root] },
    );
    const webview = this.panel.webview;
    webview.html = plotPageHtml({
      title,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'plot.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'plot.css')).toString(),
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
    });
    webview.onDidReceiveMessage((m: FromPlotPage) => this.onMessage(m));
    this.panel.onDidDispose(() => this.dispose());
  }

  post(message: ToPlotPage): void {
    if (this.disposed) return;
    if (!this.ready) {
      this.queue.push(message);
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  status(): PlotViewStatus {
    return {
      kind: this.kind,
      uri: this.uri.toString(),
      pageReady: this.ready,
      ...(this.rendered ? { rendered: this.rendered } : {}),
    };
  }

  private onMessage(message: FromPlotPage): void {
    switch (message.type) {
      case 'ready': {
        this.ready = true;
        const queued = this.queue;
        this.queue = [];
        for (const m of queued) void this.panel.webview.postMessage(m);
        break;
      }
      case 'rendered':
        this.rendered = { panels: message.panels, points: message.points, lastIter: message.lastIter };
        break;
      case 'log':
        this.log(message.message);
        break;
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.panel.dispose();
    this.onDispose();
  }
}
