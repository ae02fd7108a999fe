// What a layer run leaves behind in VS Code: the results view (run-view.ts), the report in the
// "Caffe Layer Runs" output channel, a short notification, and a Python exception as a diagnostic at
// the raising line of the layer's file, with related information pointing at the prototxt layer.
import * as vscode from 'vscode';
import { Commands } from '../../common/protocol';
import { describeFills } from '../../common/run/fill';
import type { LayerRunArgs } from '../../common/run/args';
import { formatRunReport, runFailed, summarizeRun, type RunLabel } from '../../common/run/report';
import type { BottomFill, RunResult } from '../../common/run/types';
import { raisedInLayer } from './debug-layer';
import { RunResultsView, type RunViewStatus } from './run-view';

/** Per-activation state of the run commands: remembered shapes and fills, the results, diagnostics. */
export class RunSession implements vscode.Disposable {
  /** The last bottom shapes used per layer (uri + layer name), for this session only. */
  readonly shapes = new Map<string, number[][]>();
  /** The bottom fills chosen per layer (uri + layer name), for this session only. */
  readonly fills = new Map<string, BottomFill[]>();
  readonly channel = vscode.window.createOutputChannel('Caffe Layer Runs');
  readonly diagnostics = vscode.languages.createDiagnosticCollection('caffe-prototxt-run');
  readonly view = new RunResultsView(() => this.channel.show(true));

  dispose(): void {
    this.view.dispose();
    this.channel.dispose();
    this.diagnostics.dispose();
  }
}

/** What the run commands return (plain JSON): the e2e suite reads it. */
export interface RunOutcome {
  layerName?: string;
  gradcheck: boolean;
  bottomShapes: number[][];
  passed: boolean;
  summary: string;
  report: string;
  result: RunResult;
  /** The results view the run was shown in. */
  view: RunViewStatus;
}

export function labelOf(args: LayerRunArgs): RunLabel {
  return {
    layerName: args.layerName,
    module: args.module,
    layerClass: args.layerClass,
    phase: args.phase,
    bottomNames: args.bottomNames,
    topNames: args.topNames,
  };
}

/** The title of the results view for a layer. */
export function resultsTitle(args: LayerRunArgs): string {
  return `Layer run: ${args.layerName ?? args.layerClass}`;
}

/**
 * Shows the result in the results view, writes the report, updates the diagnostics and notifies
 * (without waiting for the notification).
 */
export async function showRunResult(
  session: RunSession,
  args: LayerRunArgs,
  shapes: number[][],
  result: RunResult,
  fills: readonly BottomFill[] = [],
): Promise<RunOutcome> {
  const label = labelOf(args);
  const report = formatRunReport(result, label);
  const summary = summarizeRun(result, label);
  const passed = !runFailed(result);
  const kind = `${args.gradcheck ? 'gradient check' : 'run'} at ${new Date().toLocaleTimeString()}`;
  const fill = describeFills(fills, shapes.length);
  session.channel.appendLine(`── ${kind}, bottoms ${fill}`);
  session.channel.append(report);
  await updateDiagnostics(session, args, result);
  const view = session.view.show({ result, label, title: resultsTitle(args), fill, kind });

  const show = 'Show Results';
  const again = 'Run With Options...';
  // A Python exception of the layer: run it again under the debugger, stopping where it is raised.
  const debug = raisedInLayer(result) ? ['Debug'] : [];
  const notify = passed
    ? vscode.window.showInformationMessage(summary, show, again)
    : vscode.window.showErrorMessage(summary, show, again, ...debug);
  void notify.then((pick) => {
    if (pick === show) session.view.reopen();
    if (pick === again) void vscode.commands.executeCommand(Commands.runLayerWithOptions, args);
    if (pick === 'Debug') {
      const command = args.gradcheck ? Commands.debugGradients : Commands.debugLayer;
      void vscode.commands.executeCommand(command, { ...args, stopOnRaise: true });
    }
  });
  const outcome: RunOutcome = {
    layerName: args.layerName,
    gradcheck: args.gradcheck === true,
    bottomShapes: shapes,
    passed,
    summary,
    report,
    result,
    view,
  };
  return outcome;
}

/**
 * A run's Python exception as a diagnostic at the raising line of the layer's file (linked to the
 * prototxt layer); a run without one clears what an earlier run of that module reported.
 */
export async function updateDiagnostics(
  session: RunSession,
  args: LayerRunArgs,
  result: RunResult,
): Promise<void> {
  // A new run of the same module replaces what an earlier run reported there.
  if (result.moduleFile) session.diagnostics.delete(vscode.Uri.file(result.moduleFile));
  const where = result.error?.location;
  if (!result.error || !where) return;
  const file = vscode.Uri.file(where.file);
  const line = Math.max(0, where.line - 1);
  const range = await lineRange(file, line, where.column);
  const diagnostic = new vscode.Diagnostic(
    range,
    `${result.error.type}: ${result.error.message} (in ${result.error.phase}` +
      `${args.layerName ? ` of layer "${args.layerName}"` : ''})`,
    vscode.DiagnosticSeverity.Error,
  );
  diagnostic.source = 'caffe-prototxt run';
  const layerAt = await layerLocation(args);
  if (layerAt) {
    diagnostic.relatedInformation = [
      new vscode.DiagnosticRelatedInformation(layerAt, `the prototxt layer that was run`),
    ];
  }
  session.diagnostics.set(file, [...(session.diagnostics.get(file) ?? []), diagnostic]);
}

/** The raising line without its indentation (the whole line when the file cannot be read). */
async function lineRange(file: vscode.Uri, line: number, column?: number): Promise<vscode.Range> {
  try {
    const doc = await vscode.workspace.openTextDocument(file);
    if (line < doc.lineCount) {
      const text = doc.lineAt(line);
      const start = column ?? text.firstNonWhitespaceCharacterIndex;
      return new vscode.Range(line, start, line, text.range.end.character);
    }
  } catch {
    // not readable: fall through to a whole-line range
  }
  return new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER);
}

/** The `name: "X"` of the layer in its prototxt, when it can be found. */
async function layerLocation(args: LayerRunArgs): Promise<vscode.Location | undefined> {
  if (!args.layerName) return undefined;
  try {
    const uri = vscode.Uri.parse(args.uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    const text = doc.getText();
    const quoted = JSON.stringify(args.layerName);
    const re = new RegExp(`\\bname\\s*:\\s*(?:${escapeRegExp(quoted)}|'${escapeRegExp(args.layerName)}')`);
    const m = re.exec(text);
    if (!m) return undefined;
    return new vscode.Location(
      uri,
      new vscode.Range(doc.positionAt(m.index), doc.positionAt(m.index + m[0].length)),
    );
  } catch {
    return undefined;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
