import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { repoRoot, screenshot, waitFor, waitForDiagnostics } from './helpers';

interface Stats {
  shape: number[];
  min: number | null;
  max: number | null;
  std: number | null;
}

/** The parts of what `prototxt.runLayer` / `prototxt.checkGradients` return that the tests read. */
interface RunOutcome {
  layerName?: string;
  passed: boolean;
  summary: string;
  report: string;
  view: { title: string; open: boolean };
  result: {
    ok: boolean;
    tops: Stats[];
    bottoms: Stats[];
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

/**
 * Clicks a lens: runs its command with its arguments; unknown bottom shapes (which the input box would
 * ask for) are given, and so is the bottoms' `fill` (which "Run Layer With Options..." would ask for).
 */
async function click(
  command: vscode.Command,
  shapeOfUnknown?: number[],
  fill?: unknown,
): Promise<RunOutcome> {
  const args: LensArgs & { fill?: unknown } = { ...(command.arguments?.[0] as LensArgs) };
  if (shapeOfUnknown) args.bottomShapes = args.bottomShapes?.map((s) => s ?? shapeOfUnknown);
  if (fill !== undefined) args.fill = fill;
  const outcome = await vscode.commands.executeCommand<RunOutcome | undefined>(command.command, args);
  if (!outcome)
    throw new Error(`${command.title} gave no result (is there a Python 3 with numpy? see the output)`);
  return outcome;
}

/** The open results views (webview tabs). */
function resultTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter(
      (t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('prototxt.runResults'),
    );
}

/** Writes a little-endian float32 .npy file (format 1.0) of `shape` holding `value` everywhere. */
function writeNpy(file: string, shape: number[], value: number): void {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')},), }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const prefix = Buffer.from([
    0x93,
    0x4e,
    0x55,
    0x4d,
    0x50,
    0x59,
    1,
    0,
    header.length & 0xff,
    header.length >> 8,
  ]);
  const body = Buffer.alloc(shape.reduce((a, b) => a * b, 1) * 4);
  for (let i = 0; i < body.length; i += 4) body.writeFloatLE(value, i);
  writeFileSync(file, Buffer.concat([prefix, Buffer.from(header, 'latin1'), body]));
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
    // The results view beside the net, one panel reused by every run.
    assert.deepEqual(outcome.view, { title: 'Layer run: scale', open: true });
    const tabs = await waitFor('the results view tab', async () =>
      resultTabs().length ? resultTabs() : undefined,
    );
    assert.deepEqual(
      tabs.map((t) => t.label),
      ['Layer run: scale'],
    );
  });

  test('Caffe: Show Last Layer Run reopens the closed results view', async () => {
    await click(lens(lenses, 'Run layer', 'scale'));
    await vscode.window.tabGroups.close(resultTabs());
    assert.equal(resultTabs().length, 0);
    const shown = await vscode.commands.executeCommand<{ title: string; open: boolean }>(
      'prototxt.showRunResults',
    );
    assert.deepEqual(shown, { title: 'Layer run: scale', open: true });
    const tabs = await waitFor('the reopened results view', async () =>
      resultTabs().length ? resultTabs() : undefined,
    );
    assert.equal(tabs[0]?.label, 'Layer run: scale');
  });

  test('bottoms filled with zeros, remembered for the layer; a .npy file gives its data and shape', async () => {
    const zeros = await click(lens(lenses, 'Run layer', 'scale'), undefined, 'zeros');
    assert.equal(zeros.passed, true, zeros.report);
    const bottom = zeros.result.bottoms[0];
    assert.deepEqual([bottom?.min, bottom?.max], [0, 0], zeros.report);
    // y = x * w + 0.25 with x = 0: every top value is the bias.
    const top = zeros.result.tops[0];
    assert.deepEqual([top?.min, top?.max, top?.std], [0.25, 0.25, 0], zeros.report);
    // The next plain run of the same layer keeps the fill chosen for it.
    const again = await click(lens(lenses, 'Run layer', 'scale'));
    assert.equal(again.result.bottoms[0]?.max, 0, again.report);

    const dir = mkdtempSync(path.join(tmpdir(), 'run-npy-'));
    try {
      const file = path.join(dir, 'ones.npy');
      writeNpy(file, [1, 3, 2, 2], 1);
      const fromNpy = await click(lens(lenses, 'Run layer', 'scale'), undefined, { npy: file });
      assert.equal(fromNpy.passed, true, fromNpy.report);
      assert.deepEqual(fromNpy.result.bottoms[0]?.shape, [1, 3, 2, 2]);
      assert.deepEqual([fromNpy.result.bottoms[0]?.min, fromNpy.result.bottoms[0]?.max], [1, 1]);
      assert.deepEqual(fromNpy.result.tops[0]?.shape, [1, 3, 2, 2]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Back to the seeded random data for the other tests.
    const random = await click(lens(lenses, 'Run layer', 'scale'), undefined, 'random');
    assert.ok((random.result.bottoms[0]?.std ?? 0) > 0.5, random.report);
  });

  test('the prototxt.run.fill setting fills every bottom of a layer run without a choice of its own', async () => {
    const settings = vscode.workspace.getConfiguration('prototxt');
    await settings.update('run.fill', 'zeros', vscode.ConfigurationTarget.Global);
    try {
      const outcome = await click(lens(lenses, 'Run layer', 'loss'), [2, 3, 4, 5]);
      assert.equal(outcome.result.bottoms.length, 2);
      for (const b of outcome.result.bottoms) assert.deepEqual([b.min, b.max], [0, 0], outcome.report);
      assert.equal(outcome.view.title, 'Layer run: loss');
    } finally {
      await settings.update('run.fill', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('Check gradients passes on the Euclidean loss and fails on the broken backward', async () => {
    const good = await click(lens(lenses, 'Check gradients', 'loss'), [2, 3, 4, 5]);
    assert.equal(good.result.gradcheck?.passed, true, good.report);
    await screenshot('run-results', 'iframe.webview.ready');
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
