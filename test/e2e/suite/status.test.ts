import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, openFixture, screenshot, waitFor } from './helpers';

/** What the client's `prototxt.getStatus` command returns. */
interface ClientStatus {
  schemaLabel: string;
}

suite('status bar', () => {
  test('the status names the schema in use: the bundled BVLC one in this workspace', async () => {
    await openFixture('net.prototxt');
    await activateExtension();
    // The label says "waiting for the server" until the server reports its schema: wait for that.
    let last = '(no reply)';
    const label = await waitFor('prototxt.getStatus to name the bundled BVLC schema', async () => {
      const reply = await vscode.commands.executeCommand<Partial<ClientStatus> | undefined>(
        'prototxt.getStatus',
      );
      last = JSON.stringify(reply);
      return typeof reply?.schemaLabel === 'string' && /bvlc/i.test(reply.schemaLabel)
        ? reply.schemaLabel
        : undefined;
    }).catch((error: unknown) => {
      throw new Error(`${error instanceof Error ? error.message : String(error)}; last status ${last}`);
    });
    assert.match(label, /bvlc/i);
    await screenshot('status-bar', '.statusbar');
  });
});
