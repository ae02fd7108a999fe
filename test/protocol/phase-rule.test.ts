// The phase rule over LSP: a net's diagnostics depend on the solvers that build it, so editing an open
// solver (another test_state stage, another net path) or closing it unsaved re-publishes the open
// net's diagnostics at once, with the severity the new states give, without the net being touched.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { fileUri, startServer, type TestServer } from '../helpers/lsp-client';

// The deploy head reads "feat", which only the val stage makes: a problem of TEST with stage "deploy".
const NET = `name: "staged"
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 dim: 4 dim: 4 } } }
layer { name: "val_only" type: "ReLU" bottom: "data" top: "feat" include { phase: TEST stage: "val" } }
layer { name: "head" type: "ReLU" bottom: "feat" top: "out" include { phase: TEST stage: "deploy" } }
`;
const SOLVER = 'test_net: "net.prototxt"\ntest_iter: 1\ntest_state { stage: "val" }\nbase_lr: 0.1\n';

let root = '';
let server: TestServer;
let netUri = '';
let solverUri = '';

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'phase-rule-lsp-'));
  fs.writeFileSync(path.join(root, 'net.prototxt'), NET);
  fs.writeFileSync(path.join(root, 'solver.prototxt'), SOLVER);
  netUri = fileUri(path.join(root, 'net.prototxt'));
  solverUri = fileUri(path.join(root, 'solver.prototxt'));
  server = await startServer({ rootPath: root });
});

after(async () => {
  await server?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

const bottomOf = (p: PublishDiagnosticsParams): Diagnostic | undefined =>
  p.diagnostics.find((d) => d.code === 'undefined-bottom');

/** The net's first publication after `seen.count` earlier ones whose undefined bottom has `severity`. */
async function netPublished(severity: 1 | 2, pattern: RegExp, seen: { count: number }): Promise<Diagnostic> {
  let index = 0;
  let found: Diagnostic | undefined;
  await server.diagnostics(netUri, (p) => {
    index++;
    const d = bottomOf(p);
    if (index <= seen.count || d?.severity !== severity || !pattern.test(String(d.message))) return false;
    found = d;
    return true;
  });
  seen.count = index;
  return found!;
}

let solverVersion = 1;
function editSolver(text: string): void {
  void server.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri: solverUri, version: ++solverVersion },
    contentChanges: [{ text }],
  });
}

test(
  'editing or closing an open solver re-publishes the net it names with the new severity',
  { timeout: 20_000 },
  async () => {
    const seen = { count: 0 };
    server.open(netUri, NET);
    // The solver on disk builds the test net with stage "val" only: a warning naming that state.
    await netPublished(2, /only in TEST with stage "val" \(solver.prototxt: test_net\)/, seen);

    server.open(solverUri, SOLVER);
    // The test net now built with stage "deploy": that state has the problem, an error.
    editSolver(SOLVER.replace('"val"', '"deploy"'));
    const error = await netPublished(1, /in the TEST phase with stage "deploy"/, seen);
    assert.doesNotMatch(String(error.message), /A warning/);

    // The solver names another file: no solver builds the net, and only a stage brings the problem.
    editSolver(SOLVER.replace('"val"', '"deploy"').replace('net.prototxt', 'other.prototxt'));
    await netPublished(2, /only a stage brings this problem/, seen);

    // Closed unsaved: the text on disk builds the net with stage "val" again.
    void server.connection.sendNotification('textDocument/didClose', { textDocument: { uri: solverUri } });
    await netPublished(2, /only in TEST with stage "val"/, seen);
  },
);
