// codeAction/resolve over LSP: a client that resolves edits is offered Freeze without its edit and
// gets, on resolve, the edit a client that does not resolve them is given at once; a resolve after
// the document changed fails with ContentModified.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, ResponseError } from 'vscode-languageserver-protocol';
import { LSPErrorCodes } from 'vscode-languageserver-protocol';
import { startServer, type TestServer } from '../helpers/lsp-client';
import { SMALL_LEARNING_NET } from '../helpers/small-net';

const NET = SMALL_LEARNING_NET;
const URI = 'file:///resolve/train.prototxt';
const LITERALS = { codeActionKind: { valueSet: [] } };

let resolving: TestServer;
let eager: TestServer;

before(async () => {
  [resolving, eager] = await Promise.all([
    startServer({
      capabilities: {
        textDocument: {
          codeAction: { codeActionLiteralSupport: LITERALS, resolveSupport: { properties: ['edit'] } },
        },
      },
    }),
    startServer({ capabilities: { textDocument: { codeAction: { codeActionLiteralSupport: LITERALS } } } }),
  ]);
  resolving.open(URI, NET);
  eager.open(URI, NET);
});

after(async () => {
  await Promise.all([resolving.stop(), eager.stop()]);
});

const freezeAt = async (server: TestServer): Promise<CodeAction> => {
  const actions = (await server.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri: URI },
    range: { start: { line: 11, character: 12 }, end: { line: 11, character: 12 } },
    context: { diagnostics: [] },
  })) as CodeAction[];
  const freeze = actions.find((a) => a.kind === 'refactor.rewrite.freezeLayers');
  assert.ok(freeze, JSON.stringify(actions));
  return freeze;
};

test('the server says it resolves code actions', () => {
  const provider = resolving.initializeResult.capabilities.codeActionProvider;
  assert.ok(typeof provider === 'object' && provider.resolveProvider === true);
});

test('Freeze is offered without its edit and resolves to the edit given at once to other clients', async () => {
  const offered = await freezeAt(resolving);
  assert.equal(offered.edit, undefined);
  const given = await freezeAt(eager);
  assert.ok(given.edit?.changes?.[URI]?.length);
  assert.equal(offered.title, given.title);
  const resolved = (await resolving.connection.sendRequest('codeAction/resolve', offered)) as CodeAction;
  assert.deepEqual(resolved.edit, given.edit);
  assert.equal(resolved.title, given.title);
});

test('a resolve after the document changed fails with ContentModified', async () => {
  const offered = await freezeAt(resolving);
  await resolving.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri: URI, version: 2 },
    contentChanges: [{ text: `${NET}# edited\n` }],
  });
  await assert.rejects(
    resolving.connection.sendRequest('codeAction/resolve', offered),
    (e: ResponseError) => e.code === LSPErrorCodes.ContentModified,
  );
  // The actions of the new version resolve.
  const again = await freezeAt(resolving);
  const resolved = (await resolving.connection.sendRequest('codeAction/resolve', again)) as CodeAction;
  assert.ok(resolved.edit?.changes?.[URI]?.length);
});
