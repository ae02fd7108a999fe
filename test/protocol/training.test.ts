// The training features over LSP, in a workspace on disk: a solver's file diagnostics, go to its net,
// the schedule lens and request; Freeze / Unfreeze as refactorings (disabled with a reason where they
// cannot apply) on the net it trains, and the rates a hover on a layer gives.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CodeAction, CodeLens, Hover, LocationLink } from 'vscode-languageserver-protocol';
import type { LrScheduleResult } from '../../common/protocol';
import { fileUri, startServer, type TestServer } from '../helpers/lsp-client';
import { SMALL_LEARNING_NET } from '../helpers/small-net';

const NET = SMALL_LEARNING_NET;
const SOLVER = `net: "models/train.prototxt"
base_lr: 0.01
weight_decay: 0.0005
lr_policy: "step"
gamma: 0.1
stepsize: 100
max_iter: 300
snapshot: 100
snapshot_prefix: "snapshots/small"
`;

let root = '';
let server: TestServer;
let netUri = '';
let solverUri = '';

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'training-lsp-'));
  fs.mkdirSync(path.join(root, 'models'));
  fs.writeFileSync(path.join(root, 'models/train.prototxt'), NET);
  fs.writeFileSync(path.join(root, 'models/solver.prototxt'), SOLVER);
  netUri = fileUri(path.join(root, 'models/train.prototxt'));
  solverUri = fileUri(path.join(root, 'models/solver.prototxt'));
  server = await startServer({
    rootPath: root,
    capabilities: {
      workspace: { workspaceFolders: true },
      textDocument: {
        hover: { contentFormat: ['markdown'] },
        definition: { linkSupport: true },
        codeAction: { disabledSupport: true, codeActionLiteralSupport: { codeActionKind: { valueSet: [] } } },
        publishDiagnostics: { versionSupport: true },
      },
    },
  });
  server.open(solverUri, SOLVER);
  server.open(netUri, NET);
});

after(async () => {
  await server.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

test('the solver: its missing snapshot folder is a warning, its net found in the root is fine', async () => {
  const diagnostics = await server.diagnostics(solverUri);
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.severity, d.range.start.line]),
    [['solver-files', 2, 8]],
  );
  assert.match(String(diagnostics[0].message), /Caffe stops before training/);
});

test('go to definition on the net path opens the net file', async () => {
  const links = (await server.connection.sendRequest('textDocument/definition', {
    textDocument: { uri: solverUri },
    position: { line: 0, character: 10 },
  })) as LocationLink[];
  assert.deepEqual(
    links.map((l) => [l.targetUri, l.originSelectionRange?.start.character]),
    [[netUri, 5]],
  );
});

test('the schedule: a lens on lr_policy and the points of prototxt/lrSchedule', async () => {
  const lenses = (await server.connection.sendRequest('textDocument/codeLens', {
    textDocument: { uri: solverUri },
  })) as CodeLens[];
  assert.deepEqual(
    lenses.map((l) => [l.range.start.line, l.command?.command, l.command?.title]),
    [[3, 'prototxt.showLrSchedule', 'Show learning rate schedule: 0.01 → 0.0001 at iteration 299']],
  );
  const result = (await server.connection.sendRequest('prototxt/lrSchedule', {
    uri: solverUri,
  })) as LrScheduleResult;
  assert.equal(result.policy, 'step');
  assert.deepEqual(result.points.slice(99, 101), [
    { iter: 99, lr: 0.01 },
    { iter: 100, lr: 0.001 },
  ]);
});

test('Freeze and Unfreeze are refactorings on the net; a V1 net gets them disabled with the reason', async () => {
  const kinds = server.initializeResult.capabilities.codeActionProvider;
  assert.ok(typeof kinds === 'object' && kinds.codeActionKinds?.includes('refactor.rewrite.freezeLayers'));
  const actions = (await server.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri: netUri },
    range: { start: { line: 11, character: 12 }, end: { line: 11, character: 12 } },
    context: { diagnostics: [] },
  })) as CodeAction[];
  const freeze = actions.find((a) => a.title === 'Freeze layers up to here');
  assert.equal(freeze?.kind, 'refactor.rewrite.freezeLayers');
  const edits = freeze?.edit?.changes?.[netUri] ?? [];
  assert.ok(edits.some((e) => e.newText.startsWith('# before Freeze: param { lr_mult: 1 decay_mult: 1 }')));

  const v1Uri = fileUri(path.join(root, 'models/old.prototxt'));
  server.open(
    v1Uri,
    'layers { name: "d" type: DATA top: "x" }\nlayers { name: "ip" type: INNER_PRODUCT bottom: "x" top: "y" }\n',
  );
  const disabled = (await server.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri: v1Uri },
    range: { start: { line: 1, character: 5 }, end: { line: 1, character: 5 } },
    context: { diagnostics: [] },
  })) as CodeAction[];
  const reasons = disabled
    .filter((a) => a.kind?.startsWith('refactor.rewrite'))
    .map((a) => a.disabled?.reason);
  assert.deepEqual(reasons, [
    'This net uses the V1 format (blobs_lr, weight_decay): upgrade it to the current format first.',
    'This net uses the V1 format (blobs_lr, weight_decay): upgrade it to the current format first.',
  ]);
});

test('the graph gives each learning node its rate with the solver that trains the net', async () => {
  const graph = (await server.connection.sendRequest('prototxt/graph', { uri: netUri, phase: 'TRAIN' })) as {
    nodes: { name: string; learning?: { lrMults: number[]; frozen: boolean; rate?: number } }[];
  };
  const conv = graph.nodes.find((n) => n.name === 'conv1');
  assert.deepEqual(conv?.learning, { lrMults: [1, 2], frozen: false, rate: 0.02 });
});

test('a hover on a layer name lists what each of its blobs learns', async () => {
  const hover = (await server.connection.sendRequest('textDocument/hover', {
    textDocument: { uri: netUri },
    position: { line: 3, character: 10 },
  })) as Hover;
  const text = typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
  // The workspace's solver that trains the net, named, with its base_lr and weight_decay.
  assert.match(
    text,
    /\*\*learning\*\* with `models\/solver\.prototxt` \(TRAIN\): base_lr 0\.01, weight_decay 0\.0005/,
  );
  assert.match(text, /- bias: lr 0\.02 \(lr_mult 2\), decay 0 \(decay_mult 0\)/);
});
