// Formatting, range formatting, code actions and prototxt/upgradeNet over the real server (stdio).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, TextEdit } from 'vscode-languageserver-protocol';
import { startServer, type TestServer } from '../helpers/lsp-client';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server.stop();
});

const options = { tabSize: 4, insertSpaces: true };

test('initialize announces formatting, range formatting and code action kinds', () => {
  const caps = server.initializeResult.capabilities;
  assert.ok(caps.documentFormattingProvider);
  assert.ok(caps.documentRangeFormattingProvider);
  const actions = caps.codeActionProvider;
  assert.ok(actions && typeof actions === 'object');
  assert.deepEqual(actions.codeActionKinds, [
    'quickfix',
    'source.upgradeNet',
    'refactor.rewrite.freezeLayers',
    'refactor.rewrite.unfreezeLayers',
  ]);
});

test('formatting: one edit to the canonical layout (2 spaces by default), none for a broken file', async () => {
  const uri = 'file:///virtual/format.prototxt';
  server.open(uri, 'layer{name:"a"   # a\ntype:"ReLU"}\n');
  const edits = (await server.connection.sendRequest('textDocument/formatting', {
    textDocument: { uri },
    options,
  })) as TextEdit[];
  assert.equal(edits.length, 1);
  const broken = 'file:///virtual/format-broken.prototxt';
  server.open(broken, 'layer {\n');
  assert.deepEqual(
    await server.connection.sendRequest('textDocument/formatting', {
      textDocument: { uri: broken },
      options,
    }),
    [],
  );
  const formatted = 'file:///virtual/format-done.prototxt';
  server.open(formatted, 'layer {\n  name: "a" # a\n  type: "ReLU"\n}\n');
  assert.deepEqual(
    await server.connection.sendRequest('textDocument/formatting', {
      textDocument: { uri: formatted },
      options,
    }),
    [],
  );
});

test('range formatting touches only the fields in the range', async () => {
  const uri = 'file:///virtual/range.prototxt';
  server.open(uri, 'a {\n      x: 1\n}\nb {\n      y: 2\n}\n');
  const edits = (await server.connection.sendRequest('textDocument/rangeFormatting', {
    textDocument: { uri },
    range: { start: { line: 4, character: 0 }, end: { line: 4, character: 3 } },
    options,
  })) as TextEdit[];
  assert.deepEqual(edits, [
    { range: { start: { line: 4, character: 2 }, end: { line: 4, character: 6 } }, newText: '' },
  ]);
});

test('code actions: a did-you-mean quick fix for a published diagnostic', async () => {
  const uri = 'file:///virtual/actions.prototxt';
  server.open(uri, 'layer {\n  name: "p"\n  type: "Pooling"\n  pooling_param { pool: MXA }\n}\n');
  const diagnostics = await server.diagnostics(uri, (p) => p.diagnostics.length > 0);
  const unknown = diagnostics.find((d) => d.code === 'unknown-enum-value');
  assert.ok(unknown, JSON.stringify(diagnostics));
  const actions = (await server.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range: unknown.range,
    context: { diagnostics: [unknown] },
  })) as CodeAction[];
  const fix = actions.find((a) => a.title === "Change to 'MAX'");
  assert.ok(fix, JSON.stringify(actions));
  assert.equal(fix.isPreferred, true);
  assert.deepEqual(fix.edit?.changes?.[uri], [{ range: unknown.range, newText: 'MAX' }]);
  assert.deepEqual(fix.diagnostics, [unknown]);
});

test('a net Caffe refuses over the protocol: the param block a layer has no blob for, and its fix', async () => {
  const uri = 'file:///virtual/param-count.prototxt';
  const text =
    'layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }\n' +
    'layer {\n  name: "c"\n  type: "Convolution"\n  bottom: "x"\n  top: "c"\n  param { lr_mult: 1 }\n' +
    '  param { lr_mult: 2 }\n  convolution_param { num_output: 4 kernel_size: 3 bias_term: false }\n}\n';
  server.open(uri, text);
  const diagnostics = await server.diagnostics(uri, (p) =>
    p.diagnostics.some((d) => d.code === 'param-count'),
  );
  const extra = diagnostics.find((d) => d.code === 'param-count');
  assert.ok(extra, JSON.stringify(diagnostics));
  assert.equal(extra.severity, 1);
  assert.deepEqual(extra.range.start, { line: 7, character: 2 });
  assert.match(extra.message as string, /"Too many params specified for layer c"/);
  const actions = (await server.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range: extra.range,
    context: { diagnostics: [extra] },
  })) as CodeAction[];
  const fix = actions.find((a) => a.title === 'Remove the param { } block that has no blob');
  assert.ok(fix, JSON.stringify(actions));
  assert.deepEqual(fix.edit?.changes?.[uri], [
    { range: { start: { line: 6, character: 22 }, end: { line: 7, character: 22 } }, newText: '' },
  ]);
});

test('over the protocol: a YAML file named .prototxt is one diagnostic; V1 multipliers in a layer get their fix', async () => {
  const yaml = 'file:///virtual/config.prototxt';
  server.open(
    yaml,
    'EXP_DIR: rgb\nTRAIN:\n  SCALES: !!python/tuple [600]\n  MAX_SIZE: 1000\nTEST:\n  NMS: 0.3\n',
  );
  const one = await server.diagnostics(yaml, (p) => p.diagnostics.length > 0);
  assert.deepEqual(
    one.map((d) => [d.code, d.range.start.line]),
    [['not-prototxt', 1]],
  );
  const uri = 'file:///virtual/v1-multipliers.prototxt';
  server.open(
    uri,
    'layer {\n  name: "c"\n  type: "Convolution"\n  blobs_lr: 1\n  blobs_lr: 2\n  convolution_param { num_output: 4 kernel_size: 3 }\n}\n',
  );
  const diagnostics = await server.diagnostics(uri, (p) =>
    p.diagnostics.some((d) => d.code === 'unknown-field'),
  );
  const first = diagnostics.find((d) => d.code === 'unknown-field');
  assert.ok(first, JSON.stringify(diagnostics));
  const actions = (await server.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range: first.range,
    context: { diagnostics: [first] },
  })) as CodeAction[];
  const fix = actions.find((a) => a.title === 'Write blobs_lr and weight_decay as 2 param { } blocks');
  assert.ok(fix, JSON.stringify(actions));
  // The first blobs_lr becomes the blocks, and the second goes (one edit, the two being neighbours).
  assert.deepEqual(fix.edit?.changes?.[uri], [
    {
      range: { start: { line: 3, character: 2 }, end: { line: 4, character: 13 } },
      newText: 'param { lr_mult: 1 }\n  param { lr_mult: 2 }',
    },
  ]);
});

test('over the protocol: hand-written slips are one diagnostic each, with the fix in plain text format', async () => {
  const uri = 'file:///virtual/slips_solver.prototxt';
  // A web page's quotes, a C++ comment, an unquoted path.
  server.open(
    uri,
    'net: \u201ctrain.prototxt\u201d // the net\nsnapshot_prefix: snapshots/lenet\nbase_lr: 0.01\nlr_policy: "fixed"\n',
  );
  const published = await server.diagnostics(uri, (p) => p.diagnostics.length >= 3);
  // The net file itself is not there (solver-files): not what this test is about.
  const diagnostics = published.filter((d) => d.code === 'syntax' || d.code === 'expected-string');
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]),
    [
      ['syntax', 0, 5],
      ['syntax', 0, 22],
      ['expected-string', 1, 17],
    ],
  );
  const fixes: string[] = [];
  for (const d of diagnostics) {
    const actions = (await server.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d] },
    })) as CodeAction[];
    fixes.push(...actions.flatMap((a) => a.edit?.changes?.[uri]?.map((e) => e.newText) ?? []));
  }
  assert.deepEqual(fixes, ['"train.prototxt"', '# the net', '"snapshots/lenet"']);
});

test('upgradeNet: the new text for a V1 net, a message for a current one or an unknown document', async () => {
  const uri = 'file:///virtual/v1.prototxt';
  server.open(uri, 'name: "n"\nlayers {\n  name: "r" # relu\n  type: RELU\n  bottom: "x"\n  top: "x"\n}\n');
  const result = (await server.connection.sendRequest('prototxt/upgradeNet', { uri })) as {
    text?: string;
    message: string;
  };
  assert.equal(
    result.text,
    'name: "n"\nlayer {\n  name: "r" # relu\n  type: "ReLU"\n  bottom: "x"\n  top: "x"\n}\n',
  );
  const current = 'file:///virtual/v2.prototxt';
  server.open(current, 'layer { name: "r" type: "ReLU" }\n');
  const none = (await server.connection.sendRequest('prototxt/upgradeNet', { uri: current })) as {
    text?: string;
    message: string;
  };
  assert.equal(none.text, undefined);
  assert.match(none.message, /already/);
  const missing = (await server.connection.sendRequest('prototxt/upgradeNet', {
    uri: 'file:///virtual/nowhere.prototxt',
  })) as { message: string };
  assert.match(missing.message, /not open/);
  await assert.rejects(server.connection.sendRequest('prototxt/upgradeNet', 42));
});

test('a formatting request for an unknown document is answered with no edits', async () => {
  assert.deepEqual(
    await server.connection.sendRequest('textDocument/formatting', {
      textDocument: { uri: 'file:///virtual/unknown.prototxt' },
      options,
    }),
    [],
  );
});
