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
    const status = await waitFor('prototxt.getStatus to name a schema', async () => {
      const reply = await vscode.commands.executeCommand<Partial<ClientStatus> | undefined>(
        'prototxt.getStatus',
      );
      return typeof reply?.schemaLabel === 'string' && reply.schemaLabel.trim() !== '' ? reply : undefined;
    });
    assert.match(status.schemaLabel ?? '', /bvlc/i);
    await screenshot('status-bar', '.statusbar');
  });
});
