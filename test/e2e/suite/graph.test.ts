import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { Commands, TestCommands, type ClientStatus, type GraphViewStatus } from '../../../common/protocol';
import { activateExtension, openFixture, positionOf, screenshot, waitFor, workspaceUri } from './helpers';

type GraphNodeStatus = NonNullable<GraphViewStatus['nodes']>[number];

async function graphView(uri: vscode.Uri): Promise<GraphViewStatus | undefined> {
  const status = await vscode.commands.executeCommand<ClientStatus | undefined>(Commands.getStatus);
  return status?.graphs?.find((g) => g.uri === uri.toString());
}

/** Waits until the graph view of `uri` satisfies `accept`; the failure shows its last status. */
async function waitForView(
  uri: vscode.Uri,
  what: string,
  accept: (view: GraphViewStatus) => boolean,
): Promise<GraphViewStatus> {
  let last: GraphViewStatus | undefined;
  return waitFor(what, async () => {
    last = await graphView(uri);
    return last && accept(last) ? last : undefined;
  }).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}; last graph view status ${JSON.stringify(last)}`);
  });
}

function node(view: GraphViewStatus, name: string): GraphNodeStatus {
  const found = view.nodes?.find((n) => n.name === name);
  if (!found) throw new Error(`no node "${name}" in ${JSON.stringify(view.nodes?.map((n) => n.name))}`);
  return found;
}

/** Hands the view the message its page posts on a click on the node (the same code path). */
async function click(uri: vscode.Uri, target: GraphNodeStatus): Promise<void> {
  const handled = await vscode.commands.executeCommand<boolean>(
    TestCommands.graphPageMessage,
    uri.toString(),
    {
      type: 'reveal',
      offset: target.clickOffset,
    },
  );
  assert.equal(handled, true, 'the graph view of net.prototxt is open');
}

function graphTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('prototxt.graph'));
}

suite('graph view', () => {
  let editor: vscode.TextEditor;
  let uri: vscode.Uri;

  suiteSetup(async () => {
    editor = await openFixture('net.prototxt');
    uri = editor.document.uri;
    await activateExtension();
    // The cursor at the top, outside every layer.
    editor.selection = new vscode.Selection(0, 0, 0, 0);
  });

  suiteTeardown(async () => {
    await vscode.window.tabGroups.close(graphTabs());
  });

  test('Show Graph opens a webview whose page loads and receives the net, in-place layers folded', async () => {
    await vscode.commands.executeCommand(Commands.showGraph);
    const view = await waitForView(
      uri,
      'the graph page to load and receive the graph of net.prototxt',
      (v) => v.pageReady && v.graphDelivered && (v.nodes?.length ?? 0) > 0,
    );
    assert.equal(graphTabs().length, 1, 'one graph tab');
    assert.equal(view.phase, 'TEST');
    assert.deepEqual(
      view.nodes?.map((n) => n.name),
      ['data', 'conv1', 'pool1', 'scale', 'ip1', 'prob'],
    );
    assert.deepEqual(node(view, 'conv1').inPlace, ['relu1']);
    assert.equal(view.highlighted, null, 'the cursor is in no layer');
  });

  test('a click on a node selects its layer in the text, and the node follows the cursor', async () => {
    const view = await waitForView(uri, 'the graph of net.prototxt', (v) => (v.nodes?.length ?? 0) > 0);
    const expected = positionOf(editor.document, '"pool1"');
    await click(uri, node(view, 'pool1'));
    const selected = await waitFor(
      'the cursor to move to the name of layer pool1',
      () => {
        const active = vscode.window.activeTextEditor;
        const onNet = active?.document.uri.toString() === uri.toString();
        return onNet && active.selection.active.isEqual(expected) ? active.selection : undefined;
      },
      { events: [vscode.window.onDidChangeTextEditorSelection, vscode.window.onDidChangeActiveTextEditor] },
    );
    assert.ok(selected.isEmpty);
    assert.equal(editor.document.lineAt(expected.line).text.trim(), 'name: "pool1"');
    await waitForView(uri, 'the pool1 node to be outlined', (v) => v.highlighted === 'pool1');

    // A folded layer: a click on conv1's node, then the cursor moved into relu1 outlines relu1.
    await click(uri, node(view, 'conv1'));
    await waitForView(uri, 'the conv1 node to be outlined', (v) => v.highlighted === 'conv1');
    const active = vscode.window.activeTextEditor;
    assert.ok(active);
    const inRelu = positionOf(active.document, '"relu1"');
    active.selection = new vscode.Selection(inRelu, inRelu);
    await waitForView(uri, 'relu1 (folded into conv1) to be outlined', (v) => v.highlighted === 'relu1');
    await screenshot('graph', 'iframe.webview.ready');
  });

  test('the phase switch of the page redraws the other phase; closing the tab closes the view', async () => {
    await vscode.commands.executeCommand(TestCommands.graphPageMessage, uri.toString(), {
      type: 'phase',
      phase: 'TRAIN',
    });
    const train = await waitForView(uri, 'the TRAIN graph', (v) => v.phase === 'TRAIN' && v.graphDelivered);
    assert.deepEqual(
      train.nodes?.map((n) => n.name),
      ['data', 'conv1', 'pool1', 'scale', 'ip1', 'prob'],
    );
    await vscode.window.tabGroups.close(graphTabs());
    await waitFor('the graph view to be gone from the status', async () =>
      (await graphView(uri)) === undefined ? true : undefined,
    );
  });
});

suite('graph view of a solver', () => {
  let dir = '';

  suiteSetup(async () => {
    await activateExtension();
    // Written in a temporary folder: the fixture workspace stays as it is.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caffe-solver-graph-'));
    fs.mkdirSync(path.join(dir, 'models'));
    fs.copyFileSync(workspaceUri('net.prototxt').fsPath, path.join(dir, 'models', 'net.prototxt'));
    fs.writeFileSync(
      path.join(dir, 'solver.prototxt'),
      'net: "models/net.prototxt"\nbase_lr: 0.01\nlr_policy: "fixed"\nmax_iter: 100\n',
    );
  });

  suiteTeardown(async () => {
    await vscode.window.tabGroups.close(graphTabs());
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('shows the net file it trains; a click on a node opens that file at the layer', async () => {
    const solver = await vscode.workspace.openTextDocument(path.join(dir, 'solver.prototxt'));
    await vscode.window.showTextDocument(solver);
    await vscode.commands.executeCommand(Commands.showGraph);
    const netUri = vscode.Uri.file(path.join(dir, 'models', 'net.prototxt'));
    const view = await waitForView(
      solver.uri,
      'the graph of the net the solver trains',
      (v) => v.pageReady && v.graphDelivered && (v.nodes?.length ?? 0) > 0,
    );
    assert.equal(view.source, netUri.toString());
    assert.equal(view.phase, 'TRAIN');
    assert.match(view.phaseReason ?? '', /models\/net\.prototxt \(net, found in the solver folder\)/);
    await click(solver.uri, node(view, 'pool1'));
    const active = await waitFor(
      'net.prototxt to open at layer pool1',
      () => {
        const editor = vscode.window.activeTextEditor;
        if (editor?.document.uri.toString() !== netUri.toString()) return undefined;
        return editor.selection.active.isEqual(positionOf(editor.document, '"pool1"')) ? editor : undefined;
      },
      { events: [vscode.window.onDidChangeActiveTextEditor, vscode.window.onDidChangeTextEditorSelection] },
    );
    assert.equal(active.document.lineAt(active.selection.active.line).text.trim(), 'name: "pool1"');
    // The cursor in the net file is followed by the solver's graph.
    await waitForView(solver.uri, 'the pool1 node to be outlined', (v) => v.highlighted === 'pool1');
  });
});
