// `prototxt.inferPythonShapes`: learns a Python layer's top shapes by running only its setup and
// reshape through the layer harness (same interpreter, PYTHONPATH and timeout as a layer run), in each
// phase whose bottom shapes the lens carries, and hands them to the language server
// (`prototxt/pythonLayerShapes`), which then shows shapes after the layer in hints, hover, the graph
// and diagnostics for the rest of the session. A whole layer run teaches the same (`reportRunShapes`).
// The commands table refuses it in untrusted workspaces.
import * as vscode from 'vscode';
import {
  Commands,
  PythonLayerShapesRequest,
  type InferPythonShapesArgs,
  type PythonLayerShapesParams,
  type PythonLayerShapesResult,
} from '../../common/protocol';
import { formatRunReport, summarizeRun } from '../../common/run/report';
import { runRequestFor, type LayerRunArgs } from '../../common/run/args';
import type { RunResult } from '../../common/run/types';
import { describe } from './client';
import { config } from './config';
import type { Ctx } from './context';
import { choosePython, runInEditor, sessionOf } from './run-environment';
import { labelOf, updateDiagnostics } from './run-results';
import { refreshGraph } from './graph-view';
import { lensArgsAtCursor } from './lens-at-cursor';

type Phase = 'TRAIN' | 'TEST';

/** What the command returns (plain JSON, read by the e2e suite). */
export interface InferShapesOutcome {
  layerName?: string;
  /** The phases whose tops were learned, in order. */
  learned: { phase: Phase; bottomShapes: number[][]; topShapes: number[][] }[];
  /** The phase whose run failed, with the harness's result. */
  failed?: { phase: Phase; result: RunResult };
  /** The status message shown. */
  message: string;
}

export async function inferPythonShapesCommand(
  ctx: Ctx,
  given?: InferPythonShapesArgs,
): Promise<InferShapesOutcome | undefined> {
  const args = given ?? (await lensAtCursor());
  if (!args) {
    void vscode.window.showInformationMessage(
      'Put the cursor in a Python layer of a prototxt net whose bottom shapes are known ' +
        '(the "Infer top shapes" code lens is shown above such layers).',
    );
    return undefined;
  }
  const name = args.layerName ? `"${args.layerName}"` : args.layerClass;
  if (!Array.isArray(args.phases) || args.phases.length === 0) {
    void vscode.window.showInformationMessage(
      `The bottom shapes of ${name} are not known from the net, so its top shapes cannot be learned for it.`,
    );
    return undefined;
  }
  const scope = vscode.Uri.parse(args.uri);
  const python = await choosePython(ctx, scope);
  if (!python) return undefined;
  const pycaffe = config.usePycaffe(scope);
  const outcome: InferShapesOutcome = { layerName: args.layerName, learned: [], message: '' };

  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Top shapes of ${name}`, cancellable: true },
    async (_progress, token) => {
      for (const { phase, bottomShapes } of args.phases) {
        if (token.isCancellationRequested) break;
        const runArgs: LayerRunArgs = { ...args, phase, gradcheck: false };
        const request = {
          ...runRequestFor(runArgs, bottomShapes, { pycaffe }),
          stopAfter: 'reshape' as const,
        };
        ctx.output.info(
          `Reshape of ${name} in ${phase} with ${python} (bottoms ${shapesText(bottomShapes)}).`,
        );
        const result = await runInEditor(runArgs, request, python, token, (text) =>
          ctx.output.info(text.trimEnd()),
        );
        // A raising setup or reshape is shown at its line, as a run's exception is.
        await updateDiagnostics(sessionOf(ctx), runArgs, result);
        if (!result.ok) {
          outcome.failed = { phase, result };
          break;
        }
        const topShapes = result.tops.map((t) => t.shape);
        outcome.learned.push({ phase, bottomShapes, topShapes });
        await sendShapes(ctx, runArgs, phase, bottomShapes, result);
      }
    },
  );

  if (outcome.learned.length > 0) await refreshGraph(ctx, args.uri);
  const learnedText = outcome.learned.map((l) => `${l.phase} ${shapesText(l.topShapes)}`).join(' · ');
  if (outcome.failed) {
    const label = labelOf({ ...args, phase: outcome.failed.phase });
    const summary = summarizeRun(outcome.failed.result, label);
    ctx.output.info(formatRunReport(outcome.failed.result, label));
    outcome.message = `Top shapes of ${name}: ${summary}`;
    void showFailure(outcome.message, outcome.failed.result, ctx);
  } else {
    outcome.message = `Top shapes of ${name}: ${learnedText || 'cancelled'}`;
    void vscode.window.showInformationMessage(outcome.message);
  }
  return outcome;
}

/**
 * After a successful `Run layer` of a prototxt layer: tells the server the tops' shapes it produced
 * (the run's reshape is the same). Does nothing for runs of a class with defaults or failed runs.
 */
export async function reportRunShapes(
  ctx: Ctx,
  args: LayerRunArgs,
  bottomShapes: number[][],
  result: RunResult,
): Promise<void> {
  if (!result.ok || !args.layerName || !args.phase || args.usages) return;
  if (await sendShapes(ctx, args, args.phase, bottomShapes, result)) await refreshGraph(ctx, args.uri);
}

/** Sends one phase's learned shapes; false (and a line in the output) when the server refused them. */
async function sendShapes(
  ctx: Ctx,
  args: LayerRunArgs,
  phase: Phase,
  bottomShapes: number[][],
  result: RunResult,
): Promise<boolean> {
  if (!args.layerName) return false;
  const params: PythonLayerShapesParams = {
    uri: args.uri,
    layerName: args.layerName,
    phase,
    bottomShapes,
    topShapes: result.tops.map((t) => t.shape),
    params: result.params.reduce((sum, p) => sum + p.count, 0),
    module: args.module,
    layerClass: args.layerClass,
    paramStr: args.paramStr ?? '',
  };
  try {
    const answer = await ctx.server.request<PythonLayerShapesResult>(PythonLayerShapesRequest, params);
    if (!answer.accepted)
      ctx.output.warn(`The server did not take the shapes of ${args.layerName}: ${answer.message}`);
    return answer.accepted;
  } catch (error) {
    ctx.output.warn(`Cannot send the shapes of ${args.layerName} to the server: ${describe(error)}`);
    return false;
  }
}

async function showFailure(message: string, result: RunResult, ctx: Ctx): Promise<void> {
  const where = result.error?.location;
  const actions = where ? ['Go to Error', 'Show Output'] : ['Show Output'];
  const pick = await vscode.window.showErrorMessage(message, ...actions);
  if (pick === 'Show Output') ctx.output.show(true);
  if (pick === 'Go to Error' && where) {
    const line = Math.max(0, where.line - 1);
    await vscode.window.showTextDocument(vscode.Uri.file(where.file), {
      selection: new vscode.Range(line, 0, line, 0),
    });
  }
}

function shapesText(shapes: readonly (readonly number[])[]): string {
  return shapes.map((s) => (s.length === 0 ? 'scalar' : s.join('×'))).join(', ');
}

/** Without arguments (palette): the Infer top shapes lens of the Python layer at the cursor. */
function lensAtCursor(): Promise<InferPythonShapesArgs | undefined> {
  return lensArgsAtCursor<InferPythonShapesArgs>(Commands.inferPythonShapes);
}
