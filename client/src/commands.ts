// Every command of the extension in one table: id -> handler factory over the shared context.
import * as vscode from 'vscode';
import {
  Commands,
  TestCommands,
  UpgradeNetRequest,
  type AddPythonPathArgs,
  type ClientStatus,
  type CommandId,
  type InferPythonShapesArgs,
  type RunLayerArgs,
  type ShowGraphArgs,
  type ShowLrScheduleArgs,
  type UpgradeNetArgs,
  type UpgradeNetResult,
  type UseBundledSchemaArgs,
} from '../../common/protocol';
import { describe } from './client';
import type { FromPageMessage } from '../webview/messages';
import type { Ctx } from './context';
import { graphViewsStatus, handlePageMessage, showGraphCommand } from './graph-view';
import type { DebugCommandArgs } from './debug-layer';
import { runLayerCommand, showLastRunCommand, type RunCommandArgs } from './run-layer';
import { sendInstalledLayerTypes } from './installed-types';
import { inferPythonShapesCommand } from './python-shapes';
import { scheduleViewsStatus, showLrScheduleCommand } from './lr-schedule-view';
import { logViewsStatus, plotTrainingLogCommand } from './training-log-view';
import { chooseSchemaCommand, useBundledSchemaCommand } from './schema-picker';
import { addTypeStubsCommand } from './type-stubs';
import { addPythonPathCommand } from './python-path';

type Handler = (...args: never[]) => unknown;
interface LspPosition {
  line: number;
  character: number;
}
interface LspLocation {
  uri: string;
  range: { start: LspPosition; end: LspPosition };
}

const table: Record<CommandId, (ctx: Ctx) => Handler> = {
  [Commands.restartServer]: (ctx) => async () => {
    ctx.output.appendLine('Restarting the Caffe language server.');
    await ctx.server.restart();
  },
  [Commands.chooseSchema]: (ctx) => () => chooseSchemaCommand(ctx),
  [Commands.showOutput]: (ctx) => () => ctx.output.show(true),
  [Commands.addTypeStubs]: (ctx) => () => addTypeStubsCommand(ctx),
  [Commands.runLayer]: (ctx) => (args?: RunLayerArgs) =>
    requireTrust('Run Layer') && runLayerCommand(ctx, args, false),
  [Commands.checkGradients]: (ctx) => (args?: RunLayerArgs) =>
    requireTrust('Check Gradients') && runLayerCommand(ctx, args, true),
  [Commands.debugLayer]: (ctx) => (args?: DebugCommandArgs) =>
    requireTrust('Debug Layer') && debugCommand(ctx, args, false),
  [Commands.debugGradients]: (ctx) => (args?: DebugCommandArgs) =>
    requireTrust('Debug Gradient Check') && debugCommand(ctx, args, true),
  [Commands.runLayerWithOptions]: (ctx) => (args?: RunCommandArgs) =>
    requireTrust('Run Layer') && runLayerCommand(ctx, args, args?.gradcheck ?? false, { askFill: true }),
  [Commands.refreshInstalledLayerTypes]: (ctx) => async () => {
    if (!requireTrust('Refresh Installed Layer Types')) return;
    void vscode.window.showInformationMessage(await sendInstalledLayerTypes(ctx, true));
  },
  [Commands.showRunResults]: (ctx) => () => showLastRunCommand(ctx),
  [Commands.inferPythonShapes]: (ctx) => (args?: InferPythonShapesArgs) =>
    requireTrust('Infer Top Shapes') && inferPythonShapesCommand(ctx, args),
  [Commands.showGraph]: (ctx) => (args?: ShowGraphArgs) => showGraphCommand(ctx, args),
  [Commands.showLrSchedule]: (ctx) => (args?: ShowLrScheduleArgs) => showLrScheduleCommand(ctx, args),
  [Commands.plotTrainingLog]: (ctx) => (arg?: unknown) => plotTrainingLogCommand(ctx, arg),
  [Commands.upgradeNet]: (ctx) => (args?: UpgradeNetArgs) => upgradeNet(ctx, args),
  [Commands.addPythonPath]: (ctx) => (args?: AddPythonPathArgs) => addPythonPathCommand(ctx, args),
  [Commands.useBundledSchema]: () => (args?: UseBundledSchemaArgs) => useBundledSchemaCommand(args),
  [Commands.showReferences]: () => (uri: string, position: LspPosition, locations: LspLocation[]) =>
    vscode.commands.executeCommand(
      'editor.action.showReferences',
      vscode.Uri.parse(uri),
      new vscode.Position(position.line, position.character),
      locations.map(
        (l) =>
          new vscode.Location(
            vscode.Uri.parse(l.uri),
            new vscode.Range(
              l.range.start.line,
              l.range.start.character,
              l.range.end.line,
              l.range.end.character,
            ),
          ),
      ),
    ),
  [Commands.getStatus]: (ctx) => (): ClientStatus => ({
    ...ctx.status.snapshot(),
    graphs: graphViewsStatus(ctx),
    plots: [...scheduleViewsStatus(ctx), ...logViewsStatus(ctx)],
  }),
};

/** Internal commands of the e2e suite (not contributed in the manifest). */
const testTable: Record<(typeof TestCommands)[keyof typeof TestCommands], (ctx: Ctx) => Handler> = {
  [TestCommands.graphPageMessage]: (ctx) => (uri: string, message: FromPageMessage) =>
    handlePageMessage(ctx, uri, message),
};

export function registerCommands(ctx: Ctx): vscode.Disposable[] {
  return Object.entries({ ...table, ...testTable }).map(([id, factory]) =>
    vscode.commands.registerCommand(id, factory(ctx)),
  );
}

/** Debug Layer / Debug Gradient Check; `stopOnRaise` (the "Debug" of a failed run) stops at the raise. */
function debugCommand(ctx: Ctx, given: DebugCommandArgs | undefined, gradcheck: boolean) {
  const { stopOnRaise, ...args } = given ?? {};
  return runLayerCommand(ctx, given && (args as RunCommandArgs), gradcheck, {
    debug: { stopOnRaise: stopOnRaise === true },
  });
}

/** Commands that execute the workspace's Python code refuse in an untrusted workspace. */
function requireTrust(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage(
      `${action} is disabled in an untrusted workspace: it would execute this workspace's Python code. ` +
        'Trust the workspace to enable it.',
      'Manage Workspace Trust',
    )
    .then((pick) => {
      if (pick) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return false;
}

async function upgradeNet(ctx: Ctx, args: UpgradeNetArgs | undefined): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const uri = args?.uri ? vscode.Uri.parse(args.uri) : editor?.document.uri;
  if (!uri) {
    void vscode.window.showWarningMessage('Open a prototxt net to upgrade.');
    return;
  }
  let result: UpgradeNetResult;
  try {
    result = await ctx.server.request<UpgradeNetResult>(UpgradeNetRequest, { uri: uri.toString() });
  } catch (error) {
    void vscode.window.showErrorMessage(`Cannot upgrade the net: ${describe(error)}`);
    return;
  }
  if (result.text === undefined) {
    void vscode.window.showInformationMessage(result.message);
    return;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), result.text);
  const applied = await vscode.workspace.applyEdit(edit);
  void vscode.window.showInformationMessage(applied ? result.message : 'The upgrade could not be applied.');
}
