// Shared by the e2e tests: open fixtures, wait on events (or a bounded retry when VS Code has no
// event for the thing awaited), edit without saving, and ask the runner for README screenshots.
import { existsSync, readFileSync, watch } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';

/** The repository root: the bundle lives in <repo>/out/e2e/. */
export const repoRoot = path.resolve(__dirname, '../..');

interface Manifest {
  publisher: string;
  name: string;
  contributes?: { snippets?: { language: string; path: string }[] };
}

export function manifest(): Manifest {
  return JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Manifest;
}

export function extensionId(): string {
  const { publisher, name } = manifest();
  return `${publisher}.${name}`;
}

export function workspaceUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the e2e run has no workspace folder open');
  return vscode.Uri.joinPath(folder.uri, name);
}

export async function openFixture(name: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceUri(name));
  return vscode.window.showTextDocument(document);
}

/** Throws away unsaved edits and closes the document's editor; fixtures on disk are never written. */
export async function revertAndClose(document: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(document);
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

/** The position of the `occurrence`-th (0-based) `needle`, moved `shift` characters into it. */
export function positionOf(
  document: vscode.TextDocument,
  needle: string,
  shift = 0,
  occurrence = 0,
): vscode.Position {
  const text = document.getText();
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset < 0)
      throw new Error(`"${needle}" (occurrence ${occurrence}) not found in ${document.uri.path}`);
  }
  return document.positionAt(offset + shift);
}

export async function replaceText(
  document: vscode.TextDocument,
  needle: string,
  replacement: string,
): Promise<void> {
  const start = positionOf(document, needle);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(start, start.translate(0, needle.length)), replacement);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`could not replace "${needle}"`);
}

export interface WaitOptions {
  timeoutMs?: number;
  /** Re-check whenever one of these fires; without events, re-check on a bounded back-off. */
  events?: vscode.Event<unknown>[];
}

/**
 * Resolves with the first value `probe` returns that is not undefined. Probes once at once, then on
 * each event (or retry); fails after `timeoutMs` naming what it was waiting for.
 */
export function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  options: WaitOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  return new Promise<T>((resolve, reject) => {
    const disposables: vscode.Disposable[] = [];
    let done = false;
    let retryTimer: NodeJS.Timeout | undefined;
    let lastError: unknown;
    const finish = (settle: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      clearTimeout(retryTimer);
      for (const d of disposables) d.dispose();
      settle();
    };
    const deadline = setTimeout(() => {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      finish(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`)));
    }, timeoutMs);
    let delay = 50;
    const check = async (): Promise<void> => {
      if (done) return;
      try {
        const value = await probe();
        if (value !== undefined) {
          finish(() => resolve(value));
          return;
        }
      } catch (error) {
        lastError = error;
      }
      if (!options.events && !done) {
        retryTimer = setTimeout(() => void check(), delay);
        delay = Math.min(delay * 2, 1000);
      }
    };
    for (const event of options.events ?? []) disposables.push(event(() => void check()));
    void check();
  });
}

/** Waits until the diagnostics of `uri` satisfy `accept`, re-checking on every diagnostics change. */
export function waitForDiagnostics(
  uri: vscode.Uri,
  what: string,
  accept: (diagnostics: vscode.Diagnostic[]) => boolean,
  timeoutMs = 20_000,
): Promise<vscode.Diagnostic[]> {
  return waitFor(
    what,
    () => {
      const diagnostics = vscode.languages.getDiagnostics(uri);
      return accept(diagnostics) ? diagnostics : undefined;
    },
    { timeoutMs, events: [vscode.languages.onDidChangeDiagnostics] },
  );
}

/**
 * Waits for the quick fix titled `title` on `range` of `uri`, checks it runs the command `command`,
 * and runs it (as the user choosing it does).
 */
export async function runQuickFix(
  uri: vscode.Uri,
  range: vscode.Range,
  title: string,
  command: string,
): Promise<void> {
  const action = await waitFor(`the quick fix "${title}"`, async () => {
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      range,
      vscode.CodeActionKind.QuickFix.value,
    );
    return actions.find((a) => a.title === title);
  });
  if (action.command?.command !== command)
    throw new Error(
      `the quick fix "${title}" runs ${action.command?.command ?? 'no command'}, not ${command}`,
    );
  await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

/** Activates the extension under test (opening a prototxt normally has already done so). */
export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(extensionId());
  if (!extension) throw new Error(`extension ${extensionId()} is not installed in this VS Code`);
  await extension.activate();
  return extension;
}

export function markdownText(contents: vscode.Hover['contents']): string {
  return contents
    .map((part) => (typeof part === 'string' ? part : 'value' in part ? part.value : ''))
    .join('\n');
}

export function completionLabel(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

/** Whether this run saves screenshots (tests then also open the UI worth showing). */
export function screenshotsEnabled(): boolean {
  return Boolean(process.env.CAFFE_E2E_SCREENSHOT_ACK_DIR);
}

/**
 * Asks the runner for a screenshot of the window (saved as docs/images/<name>.png) and waits until
 * it is taken. `selector` names an element the runner waits to be visible first. Does nothing unless
 * the run was started with E2E_SCREENSHOTS=1 by a launcher that can take screenshots.
 */
export function screenshot(name: string, selector?: string): Promise<void> {
  const ackDir = process.env.CAFFE_E2E_SCREENSHOT_ACK_DIR;
  if (!ackDir) return Promise.resolve();
  const ack = path.join(ackDir, `${name}.done`);
  return new Promise<void>((resolve, reject) => {
    const watcher = watch(ackDir, () => {
      if (existsSync(ack)) settle();
    });
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`the runner took no screenshot "${name}" within 30 s`));
    }, 30_000);
    function settle(): void {
      clearTimeout(timer);
      watcher.close();
      resolve();
    }
    console.log(`E2E_SCREENSHOT ${name}${selector ? ` ${selector}` : ''}`);
    if (existsSync(ack)) settle();
  });
}
