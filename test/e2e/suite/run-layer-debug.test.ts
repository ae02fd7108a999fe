// Debug layer in a real VS Code. Named to run after python-shapes.test.ts, which expects no run
// diagnostic of setup_raises.py before it (the "Debug" test here runs that layer).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { repoRoot, screenshot, screenshotsEnabled, waitFor } from './helpers';

/** The parts of what the run commands return that these tests read. */
interface RunOutcome {
  passed: boolean;
  report: string;
  view: { title: string; open: boolean };
  result: { ok: boolean; tops: { shape: number[] }[]; error?: { type: string } };
}

interface Stop {
  session: vscode.DebugSession;
  threadId: number;
  reason: string;
}

interface Frame {
  id: number;
  name: string;
  line: number;
  source?: { path?: string };
}

const layersDir = path.join(repoRoot, 'test', 'fixtures', 'layers');
const netUri = vscode.Uri.file(path.join(layersDir, 'layers.prototxt'));
const scaleFile = path.join(layersDir, 'scale_layer.py');
const raisesFile = path.join(layersDir, 'setup_raises.py');

function lineOf(file: string, marker: string): number {
  return (
    readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(marker)) + 1
  );
}

/** An interpreter with numpy and debugpy (the run's interpreter must be able to listen). */
function pythonWithDebugpy(): string | undefined {
  for (const candidate of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(candidate, ['-c', 'import sys, numpy, debugpy; print(sys.executable)'], {
      encoding: 'utf8',
    });
    if (r.status === 0) return r.stdout.trim();
  }
  return undefined;
}

/** The `stopped` events the debug adapters send, seen through a tracker of every session. */
class Stops implements vscode.Disposable {
  readonly seen: Stop[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly registration = vscode.debug.registerDebugAdapterTrackerFactory('*', {
    createDebugAdapterTracker: (session) => ({
      onDidSendMessage: (message: { type?: string; event?: string; body?: Record<string, unknown> }) => {
        if (message.type !== 'event' || message.event !== 'stopped') return;
        const body = message.body ?? {};
        this.seen.push({ session, threadId: Number(body.threadId), reason: String(body.reason) });
        this.changed.fire();
      },
    }),
  });

  next(from: number, what: string): Promise<Stop> {
    return waitFor(what, () => this.seen[from], { events: [this.changed.event], timeoutMs: 60_000 });
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}

/** The top frame; its source path as a file path (a remote window gives vscode-remote: URIs). */
async function topFrame(stop: Stop): Promise<Frame> {
  const body = (await stop.session.customRequest('stackTrace', { threadId: stop.threadId })) as {
    stackFrames: Frame[];
  };
  const frame = body.stackFrames[0];
  const where = frame.source?.path;
  if (where && /^[a-z][a-z0-9+.-]+:\/\//i.test(where)) frame.source = { path: vscode.Uri.parse(where).path };
  return frame;
}

async function localNames(stop: Stop, frame: Frame): Promise<string[]> {
  const { scopes } = (await stop.session.customRequest('scopes', { frameId: frame.id })) as {
    scopes: { variablesReference: number }[];
  };
  const { variables } = (await stop.session.customRequest('variables', {
    variablesReference: scopes[0].variablesReference,
  })) as { variables: { name: string }[] };
  return variables.map((v) => v.name);
}

async function lensArgs(title: string, layer: string): Promise<unknown> {
  return waitFor(`the "${title}" lens of layer "${layer}"`, async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      netUri,
    );
    const found = lenses?.find(
      (l) =>
        l.command?.title === title &&
        (l.command.arguments?.[0] as { layerName?: string }).layerName === layer,
    );
    return found?.command?.arguments?.[0];
  });
}

function resultTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter(
      (t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('prototxt.runResults'),
    );
}

suite('debug layer', () => {
  let stops: Stops;
  const settings = () => vscode.workspace.getConfiguration('prototxt');

  suiteSetup(async function () {
    const python = pythonWithDebugpy();
    if (!python) {
      console.log(
        'debug layer: skipped, no python3 with numpy and debugpy (apt-get install python3-debugpy)',
      );
      this.skip();
    }
    await settings().update('python.interpreter', python, vscode.ConfigurationTarget.Global);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(netUri));
    stops = new Stops();
  });

  // A failed test must not leave a run paused for the next one.
  teardown(async () => {
    await vscode.debug.stopDebugging();
  });

  suiteTeardown(async () => {
    stops?.dispose();
    await settings().update('python.interpreter', undefined, vscode.ConfigurationTarget.Global);
  });

  test('Debug layer stops at a breakpoint in forward; Continue finishes the run and opens the results', async () => {
    const line = lineOf(scaleFile, 'top[0].data[...] = bottom[0].data * self._scale(bottom)');
    const breakpoint = new vscode.SourceBreakpoint(
      new vscode.Location(vscode.Uri.file(scaleFile), new vscode.Position(line - 1, 0)),
    );
    vscode.debug.addBreakpoints([breakpoint]);
    try {
      const from = stops.seen.length;
      const running = vscode.commands.executeCommand<RunOutcome | undefined>(
        'prototxt.debugLayer',
        await lensArgs('Debug layer', 'scale'),
      );
      const stop = await stops.next(from, 'the debugger to stop in forward');
      assert.equal(stop.reason, 'breakpoint');
      const frame = await topFrame(stop);
      assert.deepEqual([frame.name, frame.source?.path, frame.line], ['forward', scaleFile, line]);
      assert.deepEqual(
        (await localNames(stop, frame)).filter((n) => !n.includes(' ')),
        ['bottom', 'self', 'top'],
      );
      // VS Code shows where it stopped: the frame is the active stack item, its file in the editor.
      const active = await waitFor('the stopped frame to be the active stack item', () =>
        vscode.debug.activeStackItem instanceof vscode.DebugStackFrame
          ? vscode.debug.activeStackItem
          : undefined,
      );
      assert.equal(active.session.id, stop.session.id);
      await waitFor('the layer file in the editor', () =>
        vscode.window.activeTextEditor?.document.uri.fsPath === scaleFile ? true : undefined,
      );
      if (screenshotsEnabled()) {
        // For the picture: the locals opened in the Variables view, the cursor back in the editor.
        await vscode.commands.executeCommand('workbench.debug.action.focusVariablesView');
        await vscode.commands.executeCommand('list.focusFirst');
        await vscode.commands.executeCommand('list.expand');
        await screenshot('debug-layer', '.debug-variables .monaco-list-row[aria-level="2"]');
      }

      await vscode.commands.executeCommand('workbench.action.debug.continue');
      const outcome = await running;
      assert.ok(outcome, 'the debug run gave a result');
      assert.equal(outcome.passed, true, outcome.report);
      assert.deepEqual(outcome.result.tops[0]?.shape, [2, 3, 4, 5]);
      assert.deepEqual(outcome.view, { title: 'Layer run: scale', open: true });
      await waitFor('the results view tab', () => (resultTabs().length ? true : undefined));
      assert.equal(stops.seen.length, from + 1, 'one stop only');
    } finally {
      vscode.debug.removeBreakpoints([breakpoint]);
    }
  });

  test('the Debug of a failed run stops where the exception is raised', async () => {
    const args = (await lensArgs('Debug layer', 'fails')) as object;
    // Without it, nothing stops: the harness handles the exception and reports it.
    const from = stops.seen.length;
    const plain = await vscode.commands.executeCommand<RunOutcome>('prototxt.debugLayer', args);
    assert.equal(plain.result.error?.type, 'ValueError');
    assert.equal(stops.seen.length, from);

    const running = vscode.commands.executeCommand<RunOutcome>('prototxt.debugLayer', {
      ...args,
      stopOnRaise: true,
    });
    const stop = await stops.next(from, 'the debugger to stop at the raise');
    assert.equal(stop.reason, 'exception');
    const frame = await topFrame(stop);
    assert.deepEqual([frame.source?.path, frame.line], [raisesFile, lineOf(raisesFile, 'SETUP_RAISES_LINE')]);
    await vscode.commands.executeCommand('workbench.action.debug.continue');
    const outcome = await running;
    assert.equal(outcome.result.error?.type, 'ValueError');
  });

  test('stopping the debug session stops the run', async () => {
    const line = lineOf(scaleFile, 'top[0].data[...] = bottom[0].data * self._scale(bottom)');
    const breakpoint = new vscode.SourceBreakpoint(
      new vscode.Location(vscode.Uri.file(scaleFile), new vscode.Position(line - 1, 0)),
    );
    vscode.debug.addBreakpoints([breakpoint]);
    try {
      const from = stops.seen.length;
      const running = vscode.commands.executeCommand<RunOutcome>(
        'prototxt.debugLayer',
        await lensArgs('Debug layer', 'scale'),
      );
      const stop = await stops.next(from, 'the debugger to stop in forward');
      await vscode.debug.stopDebugging(stop.session);
      const outcome = await running;
      assert.equal(outcome.result.error?.type, 'Cancelled');
    } finally {
      vscode.debug.removeBreakpoints([breakpoint]);
    }
  });
});
