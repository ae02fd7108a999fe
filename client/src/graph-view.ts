// `prototxt.showGraph`: a webview beside the prototxt showing its network graph, laid out by the
// language server (`prototxt/graph`). It opens on the phase the server chooses (the one the file is
// used in) around the cursor's layer; edits redraw it (debounced) without losing pan/zoom, the cursor's
// layer is outlined, a click on a node selects the layer, and exports are saved where the user chooses.
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { layerAt } from '../../common/graph/layer-at';
import type { GraphPhase, LaidOutGraph } from '../../common/graph/types';
import {
  GraphRequest,
  type GraphPageReport,
  type GraphParams,
  type GraphViewStatus,
  type ShowGraphArgs,
} from '../../common/protocol';
import { checkExport } from '../webview/export-message';
import type { FromPageMessage, ToPageMessage } from '../webview/messages';
import { graphPageHtml } from '../webview/page';
import { describe } from './client';
import type { Ctx } from './context';

const EDIT_DELAY_MS = 350;

/** The open graph panels of one extension context, by document URI. */
const panelsByCtx = new WeakMap<Ctx, Map<string, GraphPanel>>();

export async function showGraphCommand(ctx: Ctx, args?: ShowGraphArgs): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const uri = args?.uri ? vscode.Uri.parse(args.uri) : editor?.document.uri;
  if (!uri) {
    void vscode.window.showWarningMessage('Open a prototxt net to show its graph.');
    return;
  }
  let panels = panelsByCtx.get(ctx);
  if (!panels) panelsByCtx.set(ctx, (panels = new Map()));
  const key = uri.toString();
  const open = panels.get(key);
  if (open) {
    open.reveal();
    return;
  }
  const document = await vscode.workspace.openTextDocument(uri);
  const column = vscode.window.visibleTextEditors.find((e) => e.document === document)?.viewColumn;
  const panel = new GraphPanel(ctx, document, column ?? vscode.ViewColumn.Active, () => panels.delete(key));
  panels.set(key, panel);
}

/** What each open graph view shows (the internal status command reports it). */
export function graphViewsStatus(ctx: Ctx): GraphViewStatus[] {
  return [...(panelsByCtx.get(ctx)?.values() ?? [])].map((p) => p.status());
}

/**
 * Handles `message` as if the page of the graph view of `uri` had posted it (the e2e suite clicks a
 * node this way). False when no graph view of that document is open.
 */
export async function handlePageMessage(ctx: Ctx, uri: string, message: FromPageMessage): Promise<boolean> {
  const panel = panelsByCtx.get(ctx)?.get(vscode.Uri.parse(uri).toString());
  if (!panel) return false;
  await panel.onMessage(message);
  return true;
}

/** Asks the server for the graph of `uri` again (e.g. when shapes were learned); false when not open. */
export async function refreshGraph(ctx: Ctx, uri: string): Promise<boolean> {
  const panel = panelsByCtx.get(ctx)?.get(vscode.Uri.parse(uri).toString());
  if (!panel) return false;
  await panel.refresh();
  return true;
}

class GraphPanel implements vscode.Disposable {
  private readonly panel: vscode.WebviewPanel;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Undefined until the server chose the first phase (or the user chose one). */
  private phase: GraphPhase | undefined;
  /**
   * Which part of a net too large to show whole is shown: the one holding the layer at this offset.
   * The first request asks for the cursor's; later ones keep the part until the user chooses another.
   */
  private around: number | undefined;
  /** The document `around` is an offset of: this one, or the net file a solver's graph shows. */
  private aroundIn: string | undefined;
  private graph: LaidOutGraph | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Increases with each request: an older answer arriving late is dropped. */
  private generation = 0;
  private disposed = false;
  /** The page's script said it is ready (only the page itself, through the webview, sets this). */
  private pageReady = false;
  /** The webview accepted the last graph posted to it. */
  private graphDelivered = false;
  private highlighted: string | null = null;
  private pageReport: GraphPageReport | undefined;

  constructor(
    private readonly ctx: Ctx,
    private readonly document: vscode.TextDocument,
    private readonly sourceColumn: vscode.ViewColumn,
    private readonly onDispose: () => void,
  ) {
    const root = vscode.Uri.joinPath(ctx.extension.extensionUri, 'dist', 'webview');
    this.panel = vscode.window.createWebviewPanel(
      'prototxt.graph',
      `Graph: ${path.basename(document.uri.path)}`,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [root] },
    );
    const webview = this.panel.webview;
    webview.html = graphPageHtml({
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'graph.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'graph.css')).toString(),
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
    });
    this.subscriptions.push(
      webview.onDidReceiveMessage((m: FromPageMessage) => {
        if (m.type === 'ready') this.pageReady = true;
        void this.onMessage(m);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return;
        // A solver's graph shows its net file: an edit of either redraws it.
        if (e.document === this.document || this.isSource(e.document)) this.schedule();
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (this.isShown(e.textEditor.document)) this.followCursor(e.textEditor);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc === this.document) this.post({ type: 'error', message: 'The prototxt was closed.' });
      }),
    );
    this.panel.onDidDispose(() => this.dispose());
  }

  status(): GraphViewStatus {
    return {
      uri: this.document.uri.toString(),
      ...(this.graph?.source ? { source: this.graph.source.uri } : {}),
      pageReady: this.pageReady,
      graphDelivered: this.graphDelivered,
      phase: this.graph?.phase ?? this.phase ?? 'TEST',
      ...(this.graph?.phaseReason ? { phaseReason: this.graph.phaseReason } : {}),
      ...(this.graph?.part ? { part: this.graph.part } : {}),
      ...(this.pageReport ? { page: this.pageReport } : {}),
      // The offset the page posts on a click (the node's data-offset in the SVG).
      nodes: this.graph?.nodes.map((n) => ({
        id: n.id,
        name: n.name,
        kind: n.kind,
        inPlace: n.inPlace,
        clickOffset: (n.nameSpan ?? n.span).start,
      })),
      highlighted: this.highlighted,
    };
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  private post(message: ToPageMessage): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), EDIT_DELAY_MS);
  }

  async refresh(): Promise<void> {
    this.timer = undefined;
    const generation = ++this.generation;
    const params: GraphParams = { uri: this.document.uri.toString() };
    if (this.phase) params.phase = this.phase;
    if (this.around === undefined) {
      this.around = this.cursorOffset();
      this.aroundIn = this.shownUri();
    }
    if (this.around !== undefined) params.around = this.around;
    if (this.around !== undefined && this.aroundIn !== undefined) params.aroundIn = this.aroundIn;
    try {
      const graph = await this.ctx.server.request<LaidOutGraph>(GraphRequest, params);
      if (generation !== this.generation || this.disposed) return;
      this.graph = graph;
      // Later requests keep the phase the server opened on, until the user switches.
      this.phase ??= graph.phase;
      const update: ToPageMessage = {
        type: 'update',
        graph,
        title: path.basename(this.document.uri.path),
        focus: this.cursorLayer(),
      };
      this.graphDelivered = !this.disposed && (await this.panel.webview.postMessage(update));
      const editor = this.shownEditor();
      if (editor) this.followCursor(editor);
    } catch (error) {
      if (generation !== this.generation) return;
      this.ctx.output.appendLine(`Graph of ${params.uri}: ${describe(error)}`);
      this.post({ type: 'error', message: `The graph could not be computed: ${describe(error)}` });
    }
  }

  /** The document whose layers the graph shows: this one, or the net file a solver names. */
  private shownUri(): string {
    return this.graph?.source?.uri ?? this.document.uri.toString();
  }

  /**
   * Whether `document` is the net file a solver's graph shows. By path: the server spells the file's
   * URI its own way (percent-encoding), which may differ from the editor's for the same file.
   */
  private isSource(document: vscode.TextDocument): boolean {
    const source = this.graph?.source?.uri;
    return source !== undefined && vscode.Uri.parse(source).fsPath === document.uri.fsPath;
  }

  private isShown(document: vscode.TextDocument): boolean {
    return this.graph?.source ? this.isSource(document) : document === this.document;
  }

  /** A visible editor of the document the graph shows. */
  private shownEditor(): vscode.TextEditor | undefined {
    return vscode.window.visibleTextEditors.find((e) => this.isShown(e.document));
  }

  private followCursor(editor: vscode.TextEditor): void {
    if (!this.graph) return;
    const at = layerAt(this.graph, editor.document.offsetAt(editor.selection.active));
    this.highlighted = at?.layerName ?? null;
    this.post({ type: 'highlight', layerName: this.highlighted, nodeId: at?.nodeId });
  }

  /** The offset of the cursor of an editor showing the document the graph shows, if one does. */
  private cursorOffset(): number | undefined {
    const editor = this.shownEditor();
    return editor ? editor.document.offsetAt(editor.selection.active) : undefined;
  }

  /** The layer at the cursor of an editor showing the graph's document, for the page's first view. */
  private cursorLayer(): { layerName: string | null; nodeId?: string } | undefined {
    const editor = this.shownEditor();
    if (!editor || !this.graph) return undefined;
    const at = layerAt(this.graph, editor.document.offsetAt(editor.selection.active));
    return at ? { layerName: at.layerName, nodeId: at.nodeId } : undefined;
  }

  /** A message from the page (or handed over as one by the e2e suite). */
  async onMessage(message: FromPageMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        await this.refresh();
        break;
      case 'phase':
        if (message.phase === 'TRAIN' || message.phase === 'TEST') {
          this.phase = message.phase;
          await this.refresh();
        }
        break;
      case 'part': {
        const around = message.around === 'cursor' ? this.cursorOffset() : message.around;
        if (typeof around === 'number' && Number.isInteger(around) && around >= 0) {
          this.around = around;
          this.aroundIn = this.shownUri();
          await this.refresh();
        }
        break;
      }
      case 'reveal':
        await this.revealOffset(message.offset);
        break;
      case 'export': {
        const checked = checkExport(message);
        if ('refused' in checked)
          this.ctx.output.appendLine(`Graph view: export refused: ${checked.refused}`);
        else await this.save(checked.format, checked.data);
        break;
      }
      case 'log':
        this.ctx.output.appendLine(`Graph view: ${message.message}`);
        break;
      case 'shown':
        this.pageReport = message.report;
        break;
    }
  }

  private async revealOffset(offset: number): Promise<void> {
    if (!Number.isInteger(offset) || offset < 0) return;
    // A solver's graph shows its net file: a click opens that file at the layer.
    const source = this.graph?.source?.uri;
    let document = this.document;
    if (source !== undefined) {
      try {
        document = await vscode.workspace.openTextDocument(vscode.Uri.parse(source));
      } catch (error) {
        void vscode.window.showErrorMessage(
          `Cannot open ${vscode.Uri.parse(source).fsPath}: ${describe(error)}`,
        );
        return;
      }
    }
    const visible = vscode.window.visibleTextEditors.find((e) => e.document === document);
    const editor = await vscode.window.showTextDocument(document, {
      viewColumn: visible?.viewColumn ?? this.sourceColumn,
    });
    const position = document.positionAt(Math.min(offset, document.getText().length));
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(
      new vscode.Range(position, position),
      vscode.TextEditorRevealType.InCenterIfOutsideViewport,
    );
  }

  private async save(format: 'svg' | 'png', data: string): Promise<void> {
    const base = this.document.uri.path.replace(/\.[^./]*$/, '');
    const target = await vscode.window.showSaveDialog({
      defaultUri: this.document.uri.with({ path: `${base}.${format}` }),
      filters: format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
      title: `Export the network graph as ${format.toUpperCase()}`,
    });
    if (!target) return;
    const bytes = format === 'svg' ? Buffer.from(data, 'utf8') : Buffer.from(data, 'base64');
    try {
      await vscode.workspace.fs.writeFile(target, bytes);
      void vscode.window.showInformationMessage(`Saved the network graph to ${target.fsPath}.`);
    } catch (error) {
      void vscode.window.showErrorMessage(`Cannot save ${target.fsPath}: ${describe(error)}`);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.subscriptions) d.dispose();
    this.panel.dispose();
    this.onDispose();
  }
}
