// Start-up and settings: the initialize result, what the client can do, and where settings come
// from (workspace/configuration when supported, else initializationOptions / didChangeConfiguration).

import type {
  Connection,
  InitializeParams,
  InitializeResult,
  ServerCapabilities,
} from 'vscode-languageserver';
import { TextDocumentSyncKind } from 'vscode-languageserver';
import { uriToPath } from './documents';
import { CODE_ACTION_KINDS } from './features/code-actions/code-actions';
import { COMPLETION_TRIGGERS } from './features/completion/completion';
import { readSettings, readSettingsChecked } from './settings';
import type { Logger } from './util/handle';
import type { Analyses } from './workspace/analyses';

export const SERVER_NAME = 'caffe-prototxt';

export interface ClientSupport {
  configuration: boolean;
  dynamicConfiguration: boolean;
  watchedFiles: boolean;
  /** The client can be told to ask again for inlay hints / code lenses after a settings change. */
  inlayHintRefresh: boolean;
  codeLensRefresh: boolean;
}

/** A client that said nothing about what it can do. */
export const NO_CLIENT_SUPPORT: ClientSupport = {
  configuration: false,
  dynamicConfiguration: false,
  watchedFiles: false,
  inlayHintRefresh: false,
  codeLensRefresh: false,
};

/** Everything the server answers (server.ts registers one handler for each). */
export function serverCapabilities(): ServerCapabilities {
  return {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
    inlayHintProvider: true,
    codeLensProvider: { resolveProvider: false },
    definitionProvider: true,
    referencesProvider: true,
    renameProvider: { prepareProvider: true },
    documentSymbolProvider: { label: 'Caffe' },
    foldingRangeProvider: true,
    selectionRangeProvider: true,
    completionProvider: { triggerCharacters: COMPLETION_TRIGGERS },
    hoverProvider: true,
    documentFormattingProvider: true,
    documentRangeFormattingProvider: true,
    codeActionProvider: { codeActionKinds: CODE_ACTION_KINDS, resolveProvider: true },
  };
}

export function initialize(
  params: InitializeParams,
  analyses: Analyses,
  capabilities: ServerCapabilities,
): { result: InitializeResult; support: ClientSupport } {
  const caps = params.capabilities ?? {};
  const text = caps.textDocument;
  const hoverFormats = text?.hover?.contentFormat ?? [];
  analyses.client = {
    snippets: text?.completion?.completionItem?.snippetSupport === true,
    markdown: hoverFormats.includes('markdown'),
    labelDetails: text?.completion?.completionItem?.labelDetailsSupport === true,
    definitionLinks: text?.definition?.linkSupport === true,
    versionedEdits: caps.workspace?.workspaceEdit?.documentChanges === true,
    disabledActions: text?.codeAction?.disabledSupport === true,
    resolveEdits: text?.codeAction?.resolveSupport?.properties?.includes('edit') === true,
    ...foldingLimit(text?.foldingRange?.rangeLimit),
    commands: clientCommands(params.initializationOptions),
  };
  const roots = (params.workspaceFolders ?? [])
    .map((f) => uriToPath(f.uri))
    .filter((p): p is string => p !== undefined);
  if (roots.length === 0 && params.rootUri) {
    const root = uriToPath(params.rootUri);
    if (root) roots.push(root);
  }
  analyses.configure(readSettings(settingsOf(params.initializationOptions)), roots);
  return {
    result: { capabilities, serverInfo: { name: SERVER_NAME } },
    support: {
      configuration: caps.workspace?.configuration === true,
      dynamicConfiguration: caps.workspace?.didChangeConfiguration?.dynamicRegistration === true,
      watchedFiles: caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
      inlayHintRefresh: caps.workspace?.inlayHint?.refreshSupport === true,
      codeLensRefresh: caps.workspace?.codeLens?.refreshSupport === true,
    },
  };
}

/** initializationOptions.commands: the names of the client's commands that code actions may run. */
function clientCommands(options: unknown): string[] {
  const commands = (options as { commands?: unknown } | undefined)?.commands;
  return Array.isArray(commands) ? commands.filter((c): c is string => typeof c === 'string') : [];
}

/**
 * The `prototxt` settings section inside initializationOptions, which clients write either as
 * `{ settings: { prototxt: {...} } }` (the shape of didChangeConfiguration) or `{ settings: {...} }`.
 */
export function settingsOf(options: unknown): unknown {
  const settings = (options as { settings?: unknown } | undefined)?.settings;
  if (typeof settings !== 'object' || settings === null) return undefined;
  const section = (settings as { prototxt?: unknown }).prototxt;
  return section !== undefined ? section : settings;
}

/** Re-reads settings from the client (or from a didChangeConfiguration payload) into the analyses. */
export async function refreshSettings(
  connection: Connection,
  analyses: Analyses,
  support: ClientSupport,
  pushed: unknown,
  logger: Logger,
): Promise<void> {
  let raw: unknown;
  if (support.configuration) {
    try {
      raw = await connection.workspace.getConfiguration({ section: 'prototxt' });
    } catch (e) {
      logger.error(`workspace/configuration failed: ${String(e)}`);
    }
  }
  if (raw === undefined || raw === null) {
    const settings = (pushed as { settings?: { prototxt?: unknown } } | undefined)?.settings;
    raw = settings?.prototxt ?? (settings && !('prototxt' in settings) ? settings : undefined);
  }
  if (raw === undefined || raw === null) return;
  const { settings, problems } = readSettingsChecked(raw);
  for (const problem of problems) logger.error(`Setting ignored: ${problem}`);
  analyses.configure(settings);
}

/** `foldingRange.rangeLimit`: the most folding ranges the client keeps, when it says a usable one. */
function foldingLimit(limit: unknown): { foldingRangeLimit?: number } {
  return typeof limit === 'number' && Number.isInteger(limit) && limit > 0
    ? { foldingRangeLimit: limit }
    : {};
}
