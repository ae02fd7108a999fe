// The language server's wiring: one line per notification and per request, nothing else. The state and
// what notifications do to it live in session.ts; each request's answer in its folder under features/.
// Runs over node-ipc (VS Code) or `--stdio` (any other editor).

import {
  createConnection,
  LSPErrorCodes,
  ProposedFeatures,
  ResponseError,
  type CancellationToken,
  type CodeAction,
} from 'vscode-languageserver/node';
import {
  GraphRequest,
  InstalledLayerTypesNotification,
  ListSchemasRequest,
  LrScheduleRequest,
  PythonLayerShapesRequest,
  UpgradeNetRequest,
} from '../../common/protocol';
import type { GraphParams, LrScheduleParams, UpgradeNetArgs } from '../../common/protocol';
import { afterPythonIndex, type AnalyzedDocument, type Services } from './features/context';
import { provideCodeActions, resolveCodeAction } from './features/code-actions/code-actions';
import { provideCodeLenses } from './features/code-lens/code-lens';
import { provideCompletion } from './features/completion/completion';
import { provideDefinition } from './features/definition/definition';
import { provideFoldingRanges } from './features/folding/folding';
import { provideDocumentFormatting, provideDocumentRangeFormatting } from './features/formatting/formatting';
import { provideGraph } from './features/graph/graph';
import { workspaceNetFiles } from './workspace/net-files';
import { provideHover } from './features/hover/hover';
import { provideLrSchedule } from './features/lr-schedule/lr-schedule';
import { provideInlayHints } from './features/inlay-hints/inlay-hints';
import { provideReferences } from './features/references/references';
import { providePrepareRename, provideRename } from './features/rename/rename';
import { listSchemas } from './features/schemas/schemas';
import { provideSelectionRanges } from './features/selection-ranges/selection-ranges';
import { provideDocumentSymbols } from './features/symbols/document-symbols';
import { handleUpgradeNet } from './features/upgrade-net/upgrade-net';
import { Session } from './session';
import { SERVER_USAGE, transportGiven } from './transport';
import { documentRequest, guard, inLanguages, type DocumentParams, type Logger } from './util/handle';
import { logUnhandledRejections } from './util/process-guard';

if (!transportGiven(process.argv.slice(2), typeof process.send === 'function')) {
  process.stderr.write(SERVER_USAGE);
  process.exit(2);
}
const connection = createConnection(ProposedFeatures.all);
const logger: Logger = { log: (m) => connection.console.log(m), error: (m) => connection.console.error(m) };
logUnhandledRejections(process, logger);
const session = new Session(connection, logger);
const PROTOTXT = ['prototxt'];
const BOTH = ['prototxt', 'python'];
const analyzed = (languages: readonly string[]) =>
  inLanguages(session.documents, (uri) => session.analyses.analyzed(uri), languages);
/** A guarded request about one open document of `languages`; `fallback` answers for any other. */
const on = <P extends DocumentParams, R>(
  name: string,
  fallback: R,
  fn: (doc: AnalyzedDocument, params: P, services: Services, token: CancellationToken) => R | Promise<R>,
  languages = PROTOTXT,
) =>
  documentRequest(name, logger, analyzed(languages), fallback, (d, p: P, t) => fn(d, p, session.services, t));

connection.onInitialize((params) => session.initialize(params));
connection.onInitialized(() => session.initialized());
connection.onDidChangeConfiguration((change) => session.configurationChanged(change));
connection.onDidChangeWatchedFiles(({ changes }) => session.watchedFilesChanged(changes));
connection.onDidOpenTextDocument(({ textDocument }) => session.opened(textDocument));
connection.onDidChangeTextDocument(({ textDocument: t, contentChanges }) =>
  session.changed(t.uri, t.version ?? 0, contentChanges),
);
connection.onDidCloseTextDocument(({ textDocument }) => session.closed(textDocument.uri));
connection.onNotification(InstalledLayerTypesNotification, (p: unknown) => session.installedLayerTypes(p));
connection.onShutdown(() => session.dispose());

connection.onCompletion(on('completion', null, afterPythonIndex(provideCompletion)));
connection.onHover(on('hover', null, afterPythonIndex(provideHover)));
connection.onDefinition(on('definition', null, afterPythonIndex(provideDefinition)));
connection.onReferences(on('references', null, afterPythonIndex(provideReferences), BOTH));
connection.onPrepareRename(on('prepareRename', null, providePrepareRename));
connection.onRenameRequest(on('rename', null, provideRename));
connection.onDocumentSymbol(on('documentSymbol', [], provideDocumentSymbols));
connection.onFoldingRanges(on('foldingRange', [], provideFoldingRanges));
connection.onSelectionRanges(on('selectionRange', [], provideSelectionRanges));
connection.onDocumentFormatting(on('formatting', [], provideDocumentFormatting));
connection.onDocumentRangeFormatting(on('rangeFormatting', [], provideDocumentRangeFormatting));
connection.onCodeAction(on('codeAction', [], provideCodeActions, BOTH));
connection.onCodeActionResolve(
  guard('codeAction/resolve', logger, (action: CodeAction) => resolveCodeAction(action, analyzed(BOTH))),
);
connection.onCodeLens(on('codeLens', [], provideCodeLenses, BOTH));
connection.languages.inlayHint.on(on('inlayHint', [], provideInlayHints));

connection.onRequest(
  ListSchemasRequest,
  guard('listSchemas', logger, (p) => listSchemas(session.analyses, p)),
);
connection.onRequest(
  UpgradeNetRequest,
  guard('upgradeNet', logger, (p: UpgradeNetArgs) => handleUpgradeNet(p, analyzed(PROTOTXT))),
);
connection.onRequest(
  GraphRequest,
  guard('graph', logger, async (p: GraphParams) => {
    const doc = analyzed(PROTOTXT)(p.uri);
    if (!doc) return null;
    const around = typeof p.around === 'number' && Number.isFinite(p.around) ? p.around : undefined;
    const laid = await provideGraph(doc, p.phase, {
      solvers: session.solvers,
      documents: session.documents,
      layouts: session.layouts,
      netFiles: workspaceNetFiles(session.analyses, session.documents),
      ...(around !== undefined ? { around } : {}),
      ...(typeof p.aroundIn === 'string' ? { aroundIn: p.aroundIn } : {}),
    });
    if (!laid)
      throw new ResponseError(LSPErrorCodes.ContentModified, 'A newer graph request replaced this one.');
    return laid;
  }),
);
connection.onRequest(
  LrScheduleRequest,
  guard('lrSchedule', logger, (p: LrScheduleParams) => {
    const doc = analyzed(PROTOTXT)(p.uri);
    return doc ? provideLrSchedule(doc) : null;
  }),
);
connection.onRequest(
  PythonLayerShapesRequest,
  guard('pythonLayerShapes', logger, (p: unknown) => session.learnShapes(p)),
);

connection.listen();

// Run by bin/load-cached.js before it saves V8's code cache on a first start.
export { warmUp } from './features/diagnostics/warm-up';
