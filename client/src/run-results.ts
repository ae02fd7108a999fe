// What a layer run leaves behind in VS Code: the report in the "Caffe Layer Runs" output channel, a
// short notification, and a Python exception as a diagnostic at the raising line of the layer's
// file, with related information pointing at the prototxt layer.
import * as vscode from 'vscode';
import type { LayerRunArgs } from '../../server/src/run/plan';
import { formatRunReport, runFailed, summarizeRun, type RunLabel } from '../../server/src/run/report';
import type { RunResult } from '../../server/src/run/types';

/** Per-activation state of the run commands: remembered shapes, the results channel, diagnostics. */
export class RunSession implements vscode.Disposable {
  /** The last bottom shapes used per layer (uri + layer name), for this session only. */
  readonly shapes = new Map<string, number[][]>();
  readonly channel = vscode.window.createOutputChannel('Caffe Layer Runs');
  readonly diagnostics = vscode.languages.createDiagnosticCollection('caffe-prototxt-run');

  dispose(): void {
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

/** Writes the report, updates the diagnostics and notifies (without waiting for the notification). */
export async function showRunResult(
  session: RunSession,
  args: LayerRunArgs,
  shapes: number[][],
  result: RunResult,
): Promise<RunOutcome> {
  const label = labelOf(args);
  const report = formatRunReport(result, label);
  const summary = summarizeRun(result, label);
  const passed = !runFailed(result);
  session.channel.appendLine(
    `── ${new Date().toLocaleTimeString()} ${args.gradcheck ? 'gradient check' : 'run'}`,
  );
  session.channel.append(report);
  await updateDiagnostics(session, args, result);

  const show = 'Show Report';
  const notify = passed
    ? vscode.window.showInformationMessage(summary, show)
    : vscode.window.showErrorMessage(summary, show);
  void notify.then((pick) => {
    if (pick === show) session.channel.show(true);
  });
  const outcome: RunOutcome = {
    layerName: args.layerName,
    gradcheck: args.gradcheck === true,
    bottomShapes: shapes,
    passed,
    summary,
    report,
    result,
  };
  return outcome;
}

async function updateDiagnostics(session: RunSession, args: LayerRunArgs, result: RunResult): Promise<void> {
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
