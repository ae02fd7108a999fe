import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { Commands, type ClientStatus, type PlotViewStatus } from '../../../common/protocol';
import {
  activateExtension,
  markdownText,
  positionOf,
  repoRoot,
  revertAndClose,
  screenshot,
  waitFor,
  workspaceUri,
} from './helpers';

// The files these tests write live in a temporary folder: the fixture workspace stays as it is.
const SOLVER = `# SGD with a multistep schedule for net.prototxt.
net: "net.prototxt"
test_iter: 10
test_interval: 1000
base_lr: 0.01
momentum: 0.9
weight_decay: 0.0005
lr_policy: "multistep"
gamma: 0.1
stepvalue: 20000
stepvalue: 35000
max_iter: 45000
display: 100
snapshot_after_train: false
`;

async function plotView(kind: PlotViewStatus['kind'], uri: vscode.Uri): Promise<PlotViewStatus | undefined> {
  const status = await vscode.commands.executeCommand<ClientStatus | undefined>(Commands.getStatus);
  return status?.plots?.find((p) => p.kind === kind && p.uri === uri.toString());
}

/** Waits until the view's page reports a drawing that satisfies `accept`; a failure shows the last one. */
async function waitForDrawing(
  kind: PlotViewStatus['kind'],
  uri: vscode.Uri,
  what: string,
  accept: (rendered: NonNullable<PlotViewStatus['rendered']>) => boolean,
): Promise<NonNullable<PlotViewStatus['rendered']>> {
  let last: PlotViewStatus | undefined;
  return waitFor(what, async () => {
    last = await plotView(kind, uri);
    return last?.rendered && accept(last.rendered) ? last.rendered : undefined;
  }).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}; last status ${JSON.stringify(last)}`);
  });
}

function plotTabs(kind: PlotViewStatus['kind']): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter(
      (t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(`prototxt.${kind}`),
    );
}

suite('training views', () => {
  let dir = '';

  suiteSetup(async () => {
    await activateExtension();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caffe-training-'));
    fs.copyFileSync(workspaceUri('net.prototxt').fsPath, path.join(dir, 'net.prototxt'));
    fs.writeFileSync(path.join(dir, 'solver.prototxt'), SOLVER);
  });

  suiteTeardown(async () => {
    await vscode.window.tabGroups.close([...plotTabs('lrSchedule'), ...plotTabs('trainingLog')]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the lens on lr_policy opens the schedule, which is redrawn after an edit; hovers give rates', async () => {
    const document = await vscode.workspace.openTextDocument(path.join(dir, 'solver.prototxt'));
    const editor = await vscode.window.showTextDocument(document);
    const uri = document.uri;
    const lens = await waitFor('the learning rate lens', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
        'vscode.executeCodeLensProvider',
        uri,
      );
      return lenses.find((l) => l.command?.command === Commands.showLrSchedule);
    });
    assert.equal(lens.range.start.line, positionOf(document, 'lr_policy').line);
    assert.match(lens.command?.title ?? '', /^Show learning rate schedule: 0\.01 → 0\.0001/);
    await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
    // Both sides of the two steps plus an even sampling of 45,000 iterations.
    const first = await waitForDrawing(
      'lrSchedule',
      uri,
      'the schedule drawn to 45,000',
      (r) => r.lastIter === 45000,
    );
    assert.equal(first.panels, 1);
    assert.ok(first.points >= 1000 && first.points <= 1004, `${first.points} points`);

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      uri,
      positionOf(document, '35000', 2),
    );
    assert.match(
      hovers.map((h) => markdownText(h.contents)).join('\n'),
      /Step 2: `0\.001` at iteration 34,999, then `0\.0001` at iteration 35,000/,
    );

    await editor.edit((b) =>
      b.replace(document.lineAt(positionOf(document, 'max_iter').line).range, 'max_iter: 40000'),
    );
    await waitForDrawing('lrSchedule', uri, 'the schedule redrawn to 40,000', (r) => r.lastIter === 40000);
    await screenshot('lr-schedule-view', 'iframe.webview.ready');
    await vscode.window.tabGroups.close(plotTabs('lrSchedule'));
    await waitFor('the schedule view to close', async () =>
      (await plotView('lrSchedule', uri)) ? undefined : true,
    );
    await revertAndClose(document);
  });

  test('Plot Training Log draws a caffe train log and follows lines appended to it', async () => {
    const full = fs.readFileSync(path.join(repoRoot, 'test/fixtures/training/logs/classifier.log'), 'utf8');
    const lines = full.split('\n');
    // The run up to iteration 3000, as if training were still going on.
    const cut = lines.findIndex((l) => / Iteration 3050 /.test(l));
    const file = path.join(dir, 'train.log');
    fs.writeFileSync(file, `${lines.slice(0, cut).join('\n')}\n`);
    const document = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    await vscode.commands.executeCommand(Commands.plotTrainingLog);
    const uri = vscode.Uri.file(file);
    const start = await waitForDrawing(
      'trainingLog',
      uri,
      'the log drawn to 3,000',
      (r) => r.lastIter === 3000,
    );
    // Training loss, the train net's output (unsmoothed), test net #0's outputs, the learning rate.
    assert.equal(start.panels, 4);

    fs.appendFileSync(file, `${lines.slice(cut).join('\n')}`);
    const end = await waitForDrawing(
      'trainingLog',
      uri,
      'the appended lines to 6,000',
      (r) => r.lastIter === 6000,
    );
    assert.ok(end.points > start.points, `${end.points} points after ${start.points}`);
    await screenshot('training-log-view', 'iframe.webview.ready');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
