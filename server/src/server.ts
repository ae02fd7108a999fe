// The language server's wiring: connection, document store, engine, and one line per feature.
// Runs over node-ipc (VS Code) or `--stdio` (any other editor); no logic lives here.

import {
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  type CancellationToken,
} from 'vscode-languageserver/node';
import { ShapeCache } from './analysis/shape-checks';
import { DocumentStore } from './documents';
import { provideCodeLenses } from './features/code-lens/code-lens';
import { DiagnosticsScheduler } from './features/diagnostics/scheduler';
import { provideInlayHints } from './features/inlay-hints/inlay-hints';
import { listSchemas, SchemaStatusTracker } from './features/schemas/schemas';
import { baseCapabilities, initialize, refreshSettings, type ClientSupport } from './lifecycle';
import { ListSchemasRequest, SchemaStatusNotification } from '../../common/protocol';
import { documentRequest, guard, inLanguages, type DocumentParams, type Logger } from './util/handle';
import { Engine, type AnalyzedDocument } from './workspace/engine';
import { CODE_ACTION_KINDS, provideCodeActions } from './features/code-actions/code-actions';
import { provideDocumentFormatting, provideDocumentRangeFormatting } from './features/formatting/formatting';
import { handleUpgradeNet } from './features/upgrade-net/upgrade-net';
import {
  GraphRequest,
  UpgradeNetRequest,
  type GraphParams,
  type UpgradeNetArgs,
} from '../../common/protocol';
import { provideGraph } from './features/graph/graph';
import { provideDefinition } from './features/definition/definition';
import { provideDocumentSymbols } from './features/symbols/document-symbols';
import { provideFoldingRanges } from './features/folding/folding';
import { provideReferences } from './features/references/references';
import { providePrepareRename, provideRename } from './features/rename/rename';
import { provideSelectionRanges } from './features/selection-ranges/selection-ranges';
import { COMPLETION_TRIGGERS, provideCompletion } from './features/completion/completion';
import { provideHover } from './features/hover/hover';
import { pythonLayerCompletion } from './features/completion/python-layer';
import { pythonLayerDefinition } from './features/shared/python-layer-at';
import { reportWithPython } from './features/diagnostics/python';
import { pythonLayerHover } from './features/hover/python-layer';
import { pythonQuickFixes } from './features/code-actions/python-layer';
import { pythonLayerReferences } from './features/shared/python-classes';
import { pythonFileLenses } from './features/code-lens/python-file';
import { learnPythonShapes, withLearnedShapeDiagnostics } from './features/learned-shapes/learned-shapes';
import { PythonShapeStore } from './analysis/shapes/known-tops';
import { PythonLayerShapesRequest, ShapesChangedNotification } from '../../common/protocol';
import { createPythonParser } from './python/parser';
import { configurePythonIndex, PythonWorkspace } from './workspace/python-workspace';
import { uriToPath } from './documents';

const connection = createConnection(ProposedFeatures.all);
const logger: Logger = { log: (m) => connection.console.log(m), error: (m) => connection.console.error(m) };
const documents = new DocumentStore();
const engine = new Engine(documents);
// Python layer tops learned this session; the shape cache reads them for the documents `lookup` tracks.
const pythonShapes = new PythonShapeStore();
const shapes = new ShapeCache(pythonShapes);
const lookup = (uri: string) => {
  const found = engine.analyzed(uri);
  return found?.doc.languageId === 'prototxt' ? shapes.track(uri, found) : found;
};
const python = new PythonWorkspace({
  createParser: () => createPythonParser(),
  onChange: (files) => {
    // Tops learned from a layer whose Python file changed may be wrong now: forget them.
    const lost = files ? pythonShapes.forgetModuleFiles(files) : [];
    if (lost.length > 0) {
      if (support.inlayHintRefresh) void connection.languages.inlayHint.refresh();
      if (support.codeLensRefresh) void connection.sendRequest('workspace/codeLens/refresh');
      for (const uri of lost) void connection.sendNotification(ShapesChangedNotification, { uri });
    }
    recheckAll();
  },
  log: logger.log,
});
const indexPython = () => void configurePythonIndex(python, connection.window, engine.roots, engine.settings);
const statuses = new SchemaStatusTracker();
const diagnostics = new DiagnosticsScheduler(
  async (uri) => {
    const found = await reportWithPython(engine, uri, python);
    const report = withLearnedShapeDiagnostics(uri, found, lookup, pythonShapes, shapes);
    if (report?.status && statuses.changed(report.status))
      void connection.sendNotification(SchemaStatusNotification, report.status);
    return report;
  },
  {
    publish: (uri, version, list) => void connection.sendDiagnostics({ uri, version, diagnostics: list }),
    currentVersion: (uri) => documents.get(uri)?.version,
    error: logger.error,
  },
);
let support: ClientSupport = {
  configuration: false,
  dynamicConfiguration: false,
  watchedFiles: false,
  inlayHintRefresh: false,
  codeLensRefresh: false,
};
const capabilities = baseCapabilities();
const recheckAll = () => documents.all().forEach((d) => diagnostics.schedule(d.uri));
const isPrototxt = (d: AnalyzedDocument) => d.doc.languageId === 'prototxt';
/** A guarded handler for a request about one open document of `languages`; `fallback` for others. */
const onDocument = <P extends DocumentParams, R>(
  name: string,
  fallback: R,
  fn: (doc: AnalyzedDocument, params: P, token: CancellationToken) => R | Promise<R>,
  languages: readonly string[] = ['prototxt'],
) => documentRequest(name, logger, inLanguages(documents, lookup, languages), fallback, fn);

connection.onInitialize((params) => {
  const init = initialize(params, engine, capabilities);
  support = init.support;
  return init.result;
});
connection.onInitialized(async () => {
  if (support.dynamicConfiguration) void connection.client.register(DidChangeConfigurationNotification.type);
  if (support.watchedFiles) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [{ globPattern: '**/*.proto' }, { globPattern: '**/*.{py,prototxt,pt}' }],
    });
  }
  await refreshSettings(connection, engine, support, undefined, logger);
  indexPython();
  recheckAll();
});
connection.onDidChangeConfiguration(async (change) => {
  await refreshSettings(connection, engine, support, change, logger);
  indexPython();
  recheckAll();
  if (support.inlayHintRefresh) void connection.languages.inlayHint.refresh();
  if (support.codeLensRefresh) void connection.sendRequest('workspace/codeLens/refresh');
});
connection.onDidChangeWatchedFiles(({ changes }) => {
  if (changes.some((c) => c.uri.endsWith('.proto'))) engine.invalidate();
  const files = changes.map((c) => ({
    file: uriToPath(c.uri) ?? '',
    kind: (['created', 'changed', 'deleted'] as const)[c.type - 1],
  }));
  void python.filesChanged(files.filter((f) => f.file !== ''));
  recheckAll();
});
connection.onDidOpenTextDocument(({ textDocument: t }) => {
  python.documentChanged(documents.open(t.uri, t.languageId, t.version, t.text));
  diagnostics.schedule(t.uri, 0);
});
connection.onDidChangeTextDocument(({ textDocument: t, contentChanges }) => {
  const doc = documents.change(t.uri, t.version ?? 0, contentChanges);
  python.documentChanged(doc);
  if (doc) diagnostics.schedule(t.uri);
});
connection.onDidCloseTextDocument(({ textDocument: t }) => {
  const path = documents.get(t.uri)?.languageId === 'python' ? uriToPath(t.uri) : undefined;
  if (path) void python.pythonClosed(path);
  documents.close(t.uri);
  engine.forget(t.uri);
  statuses.forget(t.uri);
  diagnostics.clear(t.uri);
});
connection.onRequest(
  ListSchemasRequest,
  guard('listSchemas', logger, (p) => listSchemas(engine, p)),
);
connection.onShutdown(() => diagnostics.dispose());
// Editor features, one line each:
capabilities.inlayHintProvider = true;
connection.languages.inlayHint.on(onDocument('inlayHint', [], (doc, p) => provideInlayHints(doc, p, shapes)));
capabilities.codeLensProvider = { resolveProvider: false };
connection.onCodeLens(
  onDocument(
    'codeLens',
    [],
    (doc, p) =>
      doc.doc.languageId === 'python'
        ? pythonFileLenses(doc, python, documents)
        : provideCodeLenses(doc, p, { roots: engine.roots, pythonTops: pythonShapes.lookupFor(doc.doc.uri) }),
    ['prototxt', 'python'],
  ),
);
capabilities.definitionProvider = true;
connection.onDefinition(
  onDocument('definition', null, (d, p) => pythonLayerDefinition(d, p, python) ?? provideDefinition(d, p)),
);
capabilities.referencesProvider = true;
connection.onReferences(
  onDocument(
    'references',
    null,
    async (d, p) =>
      (await pythonLayerReferences(d, p, python, documents)) ??
      (isPrototxt(d) ? provideReferences(d, p) : null),
    ['prototxt', 'python'],
  ),
);
capabilities.renameProvider = { prepareProvider: true };
connection.onPrepareRename(onDocument('prepareRename', null, providePrepareRename));
connection.onRenameRequest(onDocument('rename', null, provideRename));
capabilities.documentSymbolProvider = { label: 'Caffe' };
connection.onDocumentSymbol(onDocument('documentSymbol', [], provideDocumentSymbols));
capabilities.foldingRangeProvider = true;
connection.onFoldingRanges(onDocument('foldingRange', [], provideFoldingRanges));
capabilities.selectionRangeProvider = true;
connection.onSelectionRanges(onDocument('selectionRange', [], provideSelectionRanges));
capabilities.completionProvider = { triggerCharacters: COMPLETION_TRIGGERS };
connection.onCompletion(
  onDocument('completion', null, (d, p) => {
    const items = pythonLayerCompletion(d, p, python);
    return items ? { isIncomplete: false, items } : provideCompletion(d, p);
  }),
);
capabilities.hoverProvider = true;
connection.onHover(
  onDocument('hover', null, (doc, p) => pythonLayerHover(doc, p, python) ?? provideHover(doc, p, shapes)),
);
capabilities.documentFormattingProvider = true;
connection.onDocumentFormatting(onDocument('formatting', [], provideDocumentFormatting));
capabilities.documentRangeFormattingProvider = true;
connection.onDocumentRangeFormatting(onDocument('rangeFormatting', [], provideDocumentRangeFormatting));
capabilities.codeActionProvider = { codeActionKinds: CODE_ACTION_KINDS };
connection.onCodeAction(
  onDocument(
    'codeAction',
    [],
    (d, p) => [...pythonQuickFixes(d, p, python), ...(isPrototxt(d) ? provideCodeActions(d, p) : [])],
    ['prototxt', 'python'],
  ),
);
connection.onRequest(
  UpgradeNetRequest,
  guard('upgradeNet', logger, (p: UpgradeNetArgs) =>
    handleUpgradeNet(p, inLanguages(documents, lookup, ['prototxt'])),
  ),
);
connection.onRequest(
  GraphRequest,
  guard('graph', logger, (p: GraphParams) => {
    const d = lookup(p.uri);
    return d ? provideGraph(d.doc.text, p.phase, d.schema.schema, pythonShapes.lookupFor(p.uri)) : null;
  }),
);
connection.onRequest(
  PythonLayerShapesRequest,
  guard('pythonLayerShapes', logger, (p: unknown) =>
    learnPythonShapes(pythonShapes, p, {
      diagnostics: (uri) => diagnostics.schedule(uri, 0),
      inlayHints: () => support.inlayHintRefresh && void connection.languages.inlayHint.refresh(),
      codeLenses: () => support.codeLensRefresh && void connection.sendRequest('workspace/codeLens/refresh'),
    }),
  ),
);

connection.listen();
