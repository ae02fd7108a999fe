import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  Commands,
  type ClientStatus,
  type GraphPageReport,
  type GraphViewStatus,
} from '../../../common/protocol';
import { activateExtension, openFixture, positionOf, screenshot, waitFor } from './helpers';

/** The graph view of `uri` once its page said what it shows and `accept` holds. */
async function pageOf(
  uri: vscode.Uri,
  what: string,
  accept: (view: GraphViewStatus, page: GraphPageReport) => boolean = () => true,
): Promise<GraphViewStatus & { page: GraphPageReport }> {
  let last: GraphViewStatus | undefined;
  return waitFor(what, async () => {
    const status = await vscode.commands.executeCommand<ClientStatus | undefined>(Commands.getStatus);
    last = status?.graphs?.find((g) => g.uri === uri.toString());
    const page = last?.page;
    return last && page && accept(last, page) ? { ...last, page } : undefined;
  }).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}; last graph view status ${JSON.stringify(last)}`);
  });
}

async function closeGraphs(): Promise<void> {
  const tabs = vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('prototxt.graph'));
  await vscode.window.tabGroups.close(tabs);
}

const THEMES = [
  { theme: 'Default Light Modern', kind: 'vscode-light' },
  { theme: 'Default Dark Modern', kind: 'vscode-dark' },
  { theme: 'Default High Contrast', kind: 'vscode-high-contrast' },
] as const;

suite('graph first view', () => {
  suiteSetup(async () => {
    await activateExtension();
  });

  teardown(closeGraphs);

  test('a file with training-only layers opens on TRAIN, its caption saying no count is known', async () => {
    const editor = await openFixture('train_only.prototxt');
    // The cursor in conv1: the view opens around its node.
    const inConv = positionOf(editor.document, '"conv1"', 1);
    editor.selection = new vscode.Selection(inConv, inConv);
    await vscode.commands.executeCommand(Commands.showGraph);
    const view = await pageOf(editor.document.uri, 'the graph of train_only.prototxt on its page');
    assert.equal(view.phase, 'TRAIN');
    assert.equal(view.phaseReason, 'layers only in TRAIN: input-data, loss');
    assert.equal(view.page.caption, 'TRAIN · params unknown: 5 layers without shapes');
    assert.equal(view.page.captionWhole, true, 'the caption is not cut');
    assert.match(view.page.captionTitle, /Opened on TRAIN: layers only in TRAIN/);
    assert.equal(view.page.focusVisible, true, 'the cursor layer is in view');
    assert.ok(view.page.scale >= 0.8, `a readable zoom: ${view.page.scale}`);
    await screenshot('graph-train', 'iframe.webview.ready');
  });

  test('a deploy net opens on TEST', async () => {
    const editor = await openFixture('net.prototxt');
    await vscode.commands.executeCommand(Commands.showGraph);
    const view = await pageOf(editor.document.uri, 'the graph of net.prototxt on its page');
    assert.equal(view.phase, 'TEST');
    assert.equal(view.phaseReason, 'the same layers in both phases: TEST, as a deploy net runs');
    assert.match(view.page.caption, /^TEST · /);
  });

  test('the page and its buttons take their colours from the theme: light, dark, high contrast', async () => {
    const editor = await openFixture('net.prototxt');
    await vscode.commands.executeCommand(Commands.showGraph);
    const config = vscode.workspace.getConfiguration('workbench');
    const before = config.inspect<string>('colorTheme')?.globalValue;
    const seen: string[] = [];
    try {
      for (const { theme, kind } of THEMES) {
        await config.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
        const { page } = await pageOf(
          editor.document.uri,
          `the graph page in ${theme}`,
          (_, p) => p.themeKind === kind,
        );
        const c = page.colours;
        assert.ok(c.buttonBackgroundVar !== '', `${theme} sets --vscode-button-background`);
        assert.equal(
          c.pageBackground,
          c.editorBackgroundVar,
          `${theme}: the page is the editor's background`,
        );
        assert.equal(
          c.pressedButtonBackground,
          c.buttonBackgroundVar,
          `${theme}: the chosen phase is a button`,
        );
        if (kind === 'vscode-high-contrast') {
          assert.equal(
            c.buttonBorder,
            c.contrastBorderVar,
            'high contrast: buttons outlined in its contrast colour',
          );
        }
        seen.push(c.pageBackground);
      }
    } finally {
      await config.update('colorTheme', before, vscode.ConfigurationTarget.Global);
    }
    assert.equal(new Set(seen).size, THEMES.length, `three themes, three backgrounds: ${seen.join(', ')}`);
  });
});
