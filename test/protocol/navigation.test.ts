import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type {
  DocumentSymbol,
  FoldingRange,
  Location,
  LocationLink,
  SelectionRange,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { startServer, type TestServer } from '../helpers/lsp-client';

const uri = 'file:///virtual/navigation.prototxt';
const TEXT = [
  '# header',
  '# comment',
  'name: "net"',
  'layer {',
  '  name: "data"',
  '  type: "Input"',
  '  top: "data"',
  '  input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } }',
  '}',
  'layer { name: "relu" type: "ReLU" bottom: "data" top: "data" }',
  'layer { name: "pool" type: "Pooling" bottom: "data" top: "pool" }',
  '',
].join('\r\n');

const doc = { uri };

let server: TestServer;
before(async () => {
  server = await startServer({
    capabilities: {
      textDocument: {
        definition: { linkSupport: true },
        rename: { prepareSupport: true },
        documentSymbol: { hierarchicalDocumentSymbolSupport: true },
      },
    },
  });
  server.open(uri, TEXT);
});
after(async () => {
  await server.stop();
});

test('initialize announces every navigation and structure provider', () => {
  const caps = server.initializeResult.capabilities;
  assert.equal(caps.definitionProvider, true);
  assert.equal(caps.referencesProvider, true);
  assert.deepEqual(caps.renameProvider, { prepareProvider: true });
  assert.ok(caps.documentSymbolProvider);
  assert.equal(caps.foldingRangeProvider, true);
  assert.equal(caps.selectionRangeProvider, true);
});

test('definition of a bottom: a LocationLink to the in-place writer before it', async () => {
  const links = (await server.connection.sendRequest('textDocument/definition', {
    textDocument: doc,
    position: { line: 10, character: 50 },
  })) as LocationLink[];
  assert.equal(links.length, 1);
  assert.equal(links[0].targetUri, uri);
  assert.deepEqual(links[0].targetSelectionRange, {
    start: { line: 9, character: 54 },
    end: { line: 9, character: 60 },
  });
  assert.deepEqual(links[0].originSelectionRange, {
    start: { line: 10, character: 45 },
    end: { line: 10, character: 51 },
  });
});

test('references of a blob, with and without the declaration', async () => {
  const ask = (includeDeclaration: boolean) =>
    server.connection.sendRequest('textDocument/references', {
      textDocument: doc,
      position: { line: 6, character: 9 },
      context: { includeDeclaration },
    }) as Promise<Location[]>;
  const all = await ask(true);
  assert.deepEqual(
    all.map((l) => [l.range.start.line, l.range.start.character]),
    [
      [6, 7],
      [9, 42],
      [9, 54],
      [10, 45],
    ],
  );
  assert.equal((await ask(false)).length, 3);
});

test('prepareRename and rename of a blob; a clashing name is refused with a message', async () => {
  const position = { line: 6, character: 9 };
  const prep = await server.connection.sendRequest('textDocument/prepareRename', {
    textDocument: doc,
    position,
  });
  assert.deepEqual(prep, {
    range: { start: { line: 6, character: 8 }, end: { line: 6, character: 12 } },
    placeholder: 'data',
  });
  const edit = (await server.connection.sendRequest('textDocument/rename', {
    textDocument: doc,
    position,
    newName: 'image',
  })) as WorkspaceEdit;
  const edits = edit.changes?.[uri] ?? [];
  assert.equal(edits.length, 4);
  assert.ok(edits.every((e) => e.newText === 'image'));
  await assert.rejects(
    server.connection.sendRequest('textDocument/rename', { textDocument: doc, position, newName: 'pool' }),
    /blob named "pool" already exists/,
  );
  await assert.rejects(
    server.connection.sendRequest('textDocument/rename', { textDocument: doc, position, newName: 'a b' }),
    /whitespace/,
  );
});

test('document symbols, folding ranges and selection ranges', async () => {
  const symbols = (await server.connection.sendRequest('textDocument/documentSymbol', {
    textDocument: doc,
  })) as DocumentSymbol[];
  assert.deepEqual(
    symbols.map((s) => s.name),
    ['net', 'data (Input)', 'relu (ReLU)', 'pool (Pooling)'],
  );
  const folds = (await server.connection.sendRequest('textDocument/foldingRange', {
    textDocument: doc,
  })) as FoldingRange[];
  assert.deepEqual(
    folds.map((f) => [f.startLine, f.endLine, f.kind ?? '']),
    [
      [0, 1, 'comment'],
      [3, 7, ''],
    ],
  );
  const [range] = (await server.connection.sendRequest('textDocument/selectionRange', {
    textDocument: doc,
    positions: [{ line: 4, character: 10 }],
  })) as SelectionRange[];
  const chain: number[] = [];
  for (let r: SelectionRange | undefined = range; r; r = r.parent)
    chain.push(r.range.end.line - r.range.start.line);
  assert.deepEqual(chain.slice(0, 3), [0, 0, 0]);
  assert.equal(chain[chain.length - 1], 11);
});

test('a document that is not open gets empty answers, not errors', async () => {
  const other = { uri: 'file:///virtual/not-open.prototxt' };
  const position = { line: 0, character: 0 };
  assert.equal(
    await server.connection.sendRequest('textDocument/definition', { textDocument: other, position }),
    null,
  );
  assert.deepEqual(
    await server.connection.sendRequest('textDocument/documentSymbol', { textDocument: other }),
    [],
  );
  assert.deepEqual(
    await server.connection.sendRequest('textDocument/foldingRange', { textDocument: other }),
    [],
  );
});
