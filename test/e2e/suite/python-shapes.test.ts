import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { markdownText, openFixture, positionOf, repoRoot, waitFor } from './helpers';

/** The parts of what `prototxt.inferPythonShapes` returns that the test reads. */
interface InferOutcome {
  layerName?: string;
  learned: { phase: string; bottomShapes: number[][]; topShapes: number[][] }[];
  failed?: { phase: string; result: { error?: { message: string } } };
  message: string;
}

interface InferArgs {
  layerName?: string;
  phases: { phase: string; bottomShapes: number[][] }[];
}

async function inlayLabels(document: vscode.TextDocument): Promise<string[]> {
  const end = document.positionAt(document.getText().length);
  const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>(
    'vscode.executeInlayHintProvider',
    document.uri,
    new vscode.Range(new vscode.Position(0, 0), end),
  );
  return hints.map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')));
}

suite('python layer shapes', () => {
  test('Infer top shapes runs reshape of the Python layer; the layers after it get shapes', async () => {
    const editor = await openFixture('net.prototxt');
    const document = editor.document;
    // Before: nothing after the Python layer "scale" has a shape (conv1 1×8×24×24, pool1 1×8×12×12 do).
    const before = await waitFor('the shape hints of net.prototxt', async () => {
      const labels = await inlayLabels(document);
      return labels.includes('1×8×12×12') ? labels : undefined;
    });
    assert.ok(!before.includes('1×10'), before.join(' | '));

    const lens = await waitFor('the Infer top shapes lens above "scale"', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
        'vscode.executeCodeLensProvider',
        document.uri,
      );
      return lenses?.find((l) => l.command?.command === 'prototxt.inferPythonShapes')?.command;
    });
    assert.equal(lens.title, 'Infer top shapes');
    const args = lens.arguments?.[0] as InferArgs;
    assert.equal(args.layerName, 'scale');
    assert.deepEqual(
      args.phases.map((p) => [p.phase, p.bottomShapes]),
      [
        ['TRAIN', [[1, 8, 12, 12]]],
        ['TEST', [[1, 8, 12, 12]]],
      ],
    );

    const outcome = await vscode.commands.executeCommand<InferOutcome | undefined>(lens.command, args);
    if (!outcome)
      throw new Error('Infer top shapes gave no result (is there a Python 3 with numpy? see the output)');
    assert.equal(outcome.failed, undefined, outcome.failed?.result.error?.message);
    assert.deepEqual(
      outcome.learned.map((l) => [l.phase, l.topShapes]),
      [
        ['TRAIN', [[1, 8, 12, 12]]],
        ['TEST', [[1, 8, 12, 12]]],
      ],
    );
    assert.match(outcome.message, /TRAIN 1×8×12×12 · TEST 1×8×12×12/);

    // ip1 (InnerProduct, num_output 10) after the Python layer: its hint and hover now have the shape.
    const after = await waitFor('the hint of ip1 after the learned Python layer', async () => {
      const labels = await inlayLabels(document);
      return labels.includes('1×10') ? labels : undefined;
    });
    assert.ok(after.includes('1×8×12×12'));
    const at = positionOf(document, 'top: "prob"', 7);
    const hover = await waitFor('a hover with the shape of prob', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        document.uri,
        at,
      );
      const text = hovers.map((h) => markdownText(h.contents)).join('\n');
      return /1×10/.test(text) ? text : undefined;
    });
    assert.match(hover, /prob/);
  });

  test('a layer whose setup raises: the failure is shown at the raising line, nothing is learned', async () => {
    const layersDir = path.join(repoRoot, 'test', 'fixtures', 'layers');
    const netUri = vscode.Uri.file(path.join(layersDir, 'layers.prototxt'));
    const file = vscode.Uri.file(path.join(layersDir, 'setup_raises.py'));
    const line = readFileSync(file.fsPath, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes('SETUP_RAISES_LINE'));
    const fromRuns = () =>
      vscode.languages.getDiagnostics(file).filter((d) => d.source === 'caffe-prototxt run');
    // This suite runs before the run-layer suite, which reports the same error through Run layer.
    assert.deepEqual(fromRuns(), [], 'no run diagnostic before this test');
    const document = await vscode.workspace.openTextDocument(netUri);
    await vscode.window.showTextDocument(document);
    const lens = await waitFor('the Infer top shapes lens above "fails"', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
        'vscode.executeCodeLensProvider',
        document.uri,
      );
      return lenses
        ?.map((l) => l.command)
        .find(
          (c) =>
            c?.command === 'prototxt.inferPythonShapes' &&
            (c.arguments?.[0] as InferArgs).layerName === 'fails',
        );
    });
    const outcome = await vscode.commands.executeCommand<InferOutcome | undefined>(
      lens.command,
      lens.arguments?.[0],
    );
    if (!outcome)
      throw new Error('Infer top shapes gave no result (is there a Python 3 with numpy? see the output)');
    assert.deepEqual(outcome.learned, []);
    assert.match(outcome.failed?.result.error?.message ?? '', /bad param_str of length 1/);
    const [diagnostic] = await waitFor('the error of setup_raises.py at its raising line', async () => {
      const found = fromRuns();
      return found.length > 0 ? found : undefined;
    });
    assert.equal(diagnostic.range.start.line, line);
    assert.match(diagnostic.message, /ValueError: bad param_str of length 1 \(in setup of layer "fails"\)/);
  });
});
