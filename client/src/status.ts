// The status bar item naming the schema the server uses for the active prototxt; a click runs
// `prototxt.chooseSchema`. The server reports per document through `prototxt/schemaStatus`.
import * as vscode from 'vscode';
import { Commands, type ClientStatus, type SchemaStatusParams } from '../../common/protocol';

export class SchemaStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'prototxt.schema',
    vscode.StatusBarAlignment.Right,
    100,
  );
  private readonly byUri = new Map<string, SchemaStatusParams>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly isServerRunning: () => boolean) {
    this.item.name = 'Caffe Schema';
    this.item.command = Commands.chooseSchema;
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      vscode.workspace.onDidCloseTextDocument((doc) => this.byUri.delete(doc.uri.toString())),
    );
    this.render();
  }

  update(params: SchemaStatusParams): void {
    this.byUri.set(params.uri, params);
    this.render();
  }

  /** The schema status of the active prototxt (or of the last reported document). */
  current(): SchemaStatusParams | undefined {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    if (uri && this.byUri.has(uri)) return this.byUri.get(uri);
    return [...this.byUri.values()].pop();
  }

  snapshot(): ClientStatus {
    const s = this.current();
    return {
      schemaLabel: s ? s.label : this.isServerRunning() ? 'waiting for the server' : 'server not running',
      schemaPath: s?.path,
      schemaKind: s?.kind,
      serverRunning: this.isServerRunning(),
    };
  }

  render(): void {
    const editor = vscode.window.activeTextEditor;
    if (editor?.document.languageId !== 'prototxt') {
      this.item.hide();
      return;
    }
    const s = this.byUri.get(editor.document.uri.toString());
    const problems = s?.problems?.length ? ` $(warning)` : '';
    this.item.text = `$(symbol-structure) ${s ? s.label : 'Caffe schema…'}${problems}`;
    const tip = new vscode.MarkdownString(undefined, true);
    if (s) {
      tip.appendMarkdown(`**Caffe schema:** ${s.label} (${kindText(s.kind)})\n\n`);
      if (s.path) tip.appendText(`${s.path}\n\n`);
      for (const p of s.problems ?? []) tip.appendMarkdown(`$(warning) `).appendText(`${p}\n\n`);
    } else {
      tip.appendText(
        this.isServerRunning() ? 'Waiting for the language server.' : 'The language server is not running.',
      );
      tip.appendMarkdown('\n\n');
    }
    tip.appendMarkdown('Click to choose another caffe.proto.');
    this.item.tooltip = tip;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
    for (const d of this.subscriptions) d.dispose();
  }
}

function kindText(kind: SchemaStatusParams['kind']): string {
  switch (kind) {
    case 'bundled':
      return 'bundled with the extension';
    case 'configured':
      return 'from prototxt.schema.paths';
    case 'discovered':
      return 'found in the workspace';
  }
}
