// The language server's state and the notifications that change it: open documents, their analyses
// (with the Python layer tops learned for them), the Python index, the schema statuses sent, and the
// diagnostics scheduler. Every "something changed, look again" goes through `refresh`, the one place
// that re-publishes diagnostics and asks the client to re-request inlay hints, code lenses and graphs.

import path from 'node:path';
import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  type Connection,
  type DidChangeConfigurationParams,
  type FileEvent,
  type InitializeParams,
  type InitializeResult,
  type TextDocumentContentChangeEvent,
  type TextDocumentItem,
} from 'vscode-languageserver/node';
import {
  SchemaStatusNotification,
  type InstalledLayerTypesParams,
  ShapesChangedNotification,
  type PythonLayerShapesResult,
} from '../../common/protocol';
import { SOLVER } from './analysis/model/top-message';
import { PythonShapeStore } from './analysis/shapes/known-tops';
import { DocumentStore, uriToPath } from './documents';
import type { Services } from './features/context';
import { gatherDiagnostics } from './features/diagnostics/gather';
import { debounceFor, DiagnosticsScheduler } from './features/diagnostics/scheduler';
import { LayoutRunner } from './features/graph/layout-runner';
import { learnPythonShapes } from './features/learned-shapes/learned-shapes';
import { SchemaStatusTracker } from './features/schemas/schemas';
import {
  initialize,
  NO_CLIENT_SUPPORT,
  refreshSettings,
  serverCapabilities,
  type ClientSupport,
} from './lifecycle';
import { createPythonParser } from './python/parser';
import type { Logger } from './util/handle';
import { Analyses } from './workspace/analyses';
import { configurePythonIndex, PythonWorkspace, type FileChange } from './workspace/python-workspace';
import { SolverUses } from './workspace/solver-uses';

/** What to look at again: diagnostics (of every document, or of some), and the client's views. */
interface Refresh {
  diagnostics: 'all' | readonly string[];
  /** Ask the client to request inlay hints and code lenses again. */
  views?: boolean;
  /** Documents whose shapes changed without an edit: their graph views ask again. */
  shapesChanged?: readonly string[];
}

export class Session {
  readonly documents = new DocumentStore();
  private readonly learned = new PythonShapeStore();
  readonly analyses = new Analyses(this.documents, this.learned);
  readonly python: PythonWorkspace;
  readonly solvers = new SolverUses({
    openText: (file) => this.documents.all().find((d) => d.path === file)?.text,
    openFiles: () => this.documents.all().flatMap((d) => (d.path ? [d.path] : [])),
  });
  private readonly statuses = new SchemaStatusTracker();
  private readonly diagnostics: DiagnosticsScheduler;
  /** Graph layouts, in a worker thread. */
  readonly layouts = new LayoutRunner();
  private support: ClientSupport = NO_CLIENT_SUPPORT;

  constructor(
    private readonly connection: Connection,
    private readonly logger: Logger,
  ) {
    this.python = new PythonWorkspace({
      createParser: () => createPythonParser(),
      // Tops learned from a layer whose Python file changed may be wrong now: forget them.
      onChange: (files) => {
        const lost = files ? this.learned.forgetModuleFiles(files) : [];
        this.refresh({ diagnostics: 'all', views: lost.length > 0, shapesChanged: lost });
      },
      log: logger.log,
    });
    this.diagnostics = new DiagnosticsScheduler((uri) => this.report(uri), {
      publish: (uri, version, list) => void connection.sendDiagnostics({ uri, version, diagnostics: list }),
      currentVersion: (uri) => this.documents.get(uri)?.version,
      error: logger.error,
    });
  }

  get services(): Services {
    return {
      python: this.python,
      documents: this.documents,
      roots: this.analyses.roots,
      solvers: this.solvers,
    };
  }

  initialize(params: InitializeParams): InitializeResult {
    const init = initialize(params, this.analyses, serverCapabilities());
    this.support = init.support;
    this.solvers.setRoots(this.analyses.roots);
    return init.result;
  }

  async initialized(): Promise<void> {
    const client = this.connection.client;
    if (this.support.dynamicConfiguration) void client.register(DidChangeConfigurationNotification.type);
    if (this.support.watchedFiles) {
      void client.register(DidChangeWatchedFilesNotification.type, {
        // Solver files may have no extension (`solver`, `train_solver`): their names are watched too.
        watchers: [
          { globPattern: '**/*.proto' },
          { globPattern: '**/*.{py,prototxt,pt,pbtxt}' },
          { globPattern: '**/*{solver,Solver,SOLVER}*' },
          // A layer's C++ source registers its type (workspace/repository-layers.ts).
          { globPattern: '**/*.{cpp,cu}' },
          // A shell script may write a net a solver names (training/net-writers.ts).
          { globPattern: '**/*.sh' },
        ],
      });
    }
    await refreshSettings(this.connection, this.analyses, this.support, undefined, this.logger);
    this.indexPython();
    this.refresh({ diagnostics: 'all' });
  }

  async configurationChanged(change: DidChangeConfigurationParams): Promise<void> {
    await refreshSettings(this.connection, this.analyses, this.support, change, this.logger);
    this.indexPython();
    this.refresh({ diagnostics: 'all', views: true });
  }

  watchedFilesChanged(changes: readonly FileEvent[]): void {
    if (changes.some((c) => c.uri.endsWith('.proto'))) this.analyses.invalidate();
    const files: FileChange[] = [];
    for (const c of changes) {
      const file = uriToPath(c.uri);
      const kind = (['created', 'changed', 'deleted'] as const)[c.type - 1];
      if (file && kind) files.push({ file, kind });
      if (file && kind) this.solvers.fileChanged(file, kind);
    }
    this.analyses.filesChanged(files.map((f) => f.file));
    void this.python.filesChanged(files);
    this.refresh({ diagnostics: 'all' });
  }

  opened(t: TextDocumentItem): void {
    this.python.documentChanged(this.documents.open(t.uri, t.languageId, t.version, t.text));
    this.diagnostics.schedule(t.uri, 0);
  }

  changed(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): void {
    const doc = this.documents.change(uri, version, changes);
    this.python.documentChanged(doc);
    if (doc) this.diagnostics.schedule(uri, debounceFor(doc.text.length));
  }

  closed(uri: string): void {
    const file = uriToPath(uri);
    if (file && this.documents.get(uri)?.languageId === 'python') void this.python.pythonClosed(file);
    this.documents.close(uri);
    // A solver closed unsaved: its nets are built from the text on disk again.
    if (file && this.solvers.wasSolver(file)) this.recheckNets(this.solvers.netFilesChanged(file));
    this.analyses.forget(uri);
    this.statuses.forget(uri);
    this.diagnostics.clear(uri);
  }

  /** `prototxt/pythonLayerShapes`: remember the tops a layer run learned, then show what they change. */
  learnShapes(params: unknown): PythonLayerShapesResult {
    return learnPythonShapes(this.learned, params, (uri) =>
      this.refresh({ diagnostics: [uri], views: true }),
    );
  }

  /** `prototxt/installedLayerTypes`: what the user's Caffe registers decides which layer types are unknown. */
  installedLayerTypes(params: unknown): void {
    const p = params as Partial<InstalledLayerTypesParams> | null;
    const types = Array.isArray(p?.types) ? p.types.filter((t): t is string => typeof t === 'string') : [];
    const label = typeof p?.label === 'string' && p.label !== '' ? p.label : 'the run interpreter';
    this.analyses.setInstalledLayerTypes(types.length > 0 ? { types, label } : undefined);
    const major = p?.pythonMajor;
    this.python.pythonMajor = typeof major === 'number' && Number.isInteger(major) ? major : undefined;
    const modules = Array.isArray(p?.modules)
      ? p.modules.filter((m): m is string => typeof m === 'string')
      : [];
    this.python.installedModules =
      types.length > 0 && modules.length > 0
        ? {
            names: new Set(modules),
            label,
            ...(this.python.pythonMajor ? { major: this.python.pythonMajor } : {}),
          }
        : undefined;
    this.refresh({ diagnostics: 'all' });
  }

  dispose(): void {
    this.diagnostics.dispose();
    this.layouts.dispose();
  }

  private indexPython(): void {
    void configurePythonIndex(
      this.python,
      this.connection.window,
      this.analyses.roots,
      this.analyses.settings,
    );
  }

  private async report(uri: string) {
    const report = await gatherDiagnostics(this.analyses, this.python, uri, this.solvers);
    if (report?.status && this.statuses.changed(report.status))
      void this.connection.sendNotification(SchemaStatusNotification, report.status);
    this.solverLooked(uri);
    return report;
  }

  /**
   * A solver's text was checked (after an edit, or on opening): the open nets whose solver uses it
   * changed (another `net:` path, a `test_state`) are checked again now, and no others.
   */
  private solverLooked(uri: string): void {
    const doc = this.documents.get(uri);
    const file = doc?.path;
    if (!file || doc.languageId !== 'prototxt') return;
    const isSolver = this.analyses.analyzedDoc(doc).analysis.topMessage.name === SOLVER;
    if (isSolver || this.solvers.wasSolver(file)) this.recheckNets(this.solvers.netFilesChanged(file));
  }

  /** Checks the open documents at these paths again. */
  private recheckNets(files: readonly string[]): void {
    if (files.length === 0) return;
    const wanted = new Set(files);
    const uris = this.documents.all().filter((d) => d.path && wanted.has(path.resolve(d.path)));
    if (uris.length > 0) this.refresh({ diagnostics: uris.map((d) => d.uri) });
  }

  private refresh(what: Refresh): void {
    const uris = what.diagnostics === 'all' ? this.documents.all().map((d) => d.uri) : what.diagnostics;
    // A document named on its own has changed for sure: look at it now rather than after the debounce.
    for (const uri of uris) this.diagnostics.schedule(uri, what.diagnostics === 'all' ? undefined : 0);
    if (what.views) {
      if (this.support.inlayHintRefresh) void this.connection.languages.inlayHint.refresh();
      if (this.support.codeLensRefresh) void this.connection.sendRequest('workspace/codeLens/refresh');
    }
    for (const uri of what.shapesChanged ?? []) {
      void this.connection.sendNotification(ShapesChangedNotification, { uri });
    }
  }
}
