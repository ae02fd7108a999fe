import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { repoRoot, waitFor, waitForDiagnostics } from './helpers';

/** The parts of what `prototxt.runLayer` / `prototxt.checkGradients` return that the tests read. */
interface RunOutcome {
  layerName?: string;
  passed: boolean;
  summary: string;
  report: string;
  result: {
    ok: boolean;
    tops: { shape: number[] }[];
    timings: Record<string, number | undefined>;
    gradcheck?: { passed: boolean; checks: { blob: string; passed: boolean }[] };
    error?: { type: string; location?: { file: string; line: number } };
  };
}

interface LensArgs {
  layerName?: string;
  bottomShapes?: (number[] | null)[];
}

const layersDir = path.join(repoRoot, 'test', 'fixtures', 'layers');

async function lensesOf(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return waitFor('the Run layer code lenses of layers.prototxt', async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      uri,
    );
    return lenses && lenses.filter((l) => l.command?.command === 'prototxt.runLayer').length === 6
      ? lenses
      : undefined;
  });
}

function lens(lenses: vscode.CodeLens[], title: string, layer: string): vscode.Command {
  const found = lenses.find(
    (l) =>
      l.command?.title === title && (l.command.arguments?.[0] as LensArgs | undefined)?.layerName === layer,
  );
  if (!found?.command) throw new Error(`no "${title}" lens above layer "${layer}"`);
  return found.command;
}

/** Clicks a lens: runs its command with its arguments; unknown bottom shapes (which the input box would ask for) are given. */
async function click(command: vscode.Command, shapeOfUnknown?: number[]): Promise<RunOutcome> {
  const args = { ...(command.arguments?.[0] as LensArgs) };
  if (shapeOfUnknown) args.bottomShapes = args.bottomShapes?.map((s) => s ?? shapeOfUnknown);
  const outcome = await vscode.commands.executeCommand<RunOutcome | undefined>(command.command, args);
  if (!outcome)
    throw new Error(`${command.title} gave no result (is there a Python 3 with numpy? see the output)`);
  return outcome;
}

suite('run layer', () => {
  let lenses: vscode.CodeLens[];
  let netUri: vscode.Uri;

  suiteSetup(async () => {
    netUri = vscode.Uri.file(path.join(layersDir, 'layers.prototxt'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(netUri));
    lenses = await lensesOf(netUri);
  });

  test('Run layer shows the top shapes and the timings', async () => {
    const outcome = await click(lens(lenses, 'Run layer', 'scale'));
    assert.equal(outcome.passed, true, outcome.report);
    assert.deepEqual(outcome.result.tops[0]?.shape, [2, 3, 4, 5]);
    for (const method of ['setup', 'reshape', 'forward', 'backward'])
      assert.equal(typeof outcome.result.timings[method], 'number', `${method} timing in ${outcome.report}`);
    assert.match(outcome.report, /^ {2}scaled: 2×3×4×5 float32/m);
    assert.match(outcome.report, /^timings: setup /m);
    assert.equal(outcome.result.gradcheck, undefined);
  });

  test('Check gradients passes on the Euclidean loss and fails on the broken backward', async () => {
    const good = await click(lens(lenses, 'Check gradients', 'loss'), [2, 3, 4, 5]);
    assert.equal(good.result.gradcheck?.passed, true, good.report);
    assert.equal(good.passed, true);
    assert.match(good.summary, /gradient check passed/);

    const bad = await click(lens(lenses, 'Check gradients', 'square'), [2, 3, 4, 5]);
    assert.equal(bad.result.ok, true, bad.report);
    assert.equal(bad.result.gradcheck?.passed, false, bad.report);
    assert.equal(bad.passed, false);
    assert.match(bad.summary, /gradient check FAILED \(largest error 0\.\d+ in bottom\[0\] \(shifted\)\)/);
  });

  test('an exception in setup becomes a diagnostic at the raise, linked to the prototxt layer', async () => {
    const file = path.join(layersDir, 'setup_raises.py');
    const line = readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes('SETUP_RAISES_LINE'));
    const outcome = await click(lens(lenses, 'Run layer', 'fails'));
    assert.equal(outcome.result.error?.type, 'ValueError');
    const [diagnostic] = await waitForDiagnostics(
      vscode.Uri.file(file),
      'the run error in setup_raises.py',
      (d) => d.some((x) => x.source === 'caffe-prototxt run'),
    );
    assert.equal(diagnostic.range.start.line, line);
    assert.match(diagnostic.message, /ValueError: bad param_str of length 1 \(in setup of layer "fails"\)/);
    const related = diagnostic.relatedInformation?.[0];
    assert.equal(related?.location.uri.fsPath, netUri.fsPath);
    const netText = (await vscode.workspace.openTextDocument(netUri)).getText(related!.location.range);
    assert.equal(netText, 'name: "fails"');
  });
});
