// The entry points load their bundle through V8's code cache (bin/load-cached.js): the first start
// writes the cache, later starts read it, and a damaged cache only costs a compile.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { startServer } from '../helpers/lsp-client';
import { repoRoot } from '../helpers/paths';

const cli = path.join(repoRoot, 'bin', 'caffe-prototxt.js');

function run(cache: string, ...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, CAFFE_PROTOTXT_CACHE: cache },
  });
}

const cached = (cache: string) => {
  try {
    return readdirSync(path.join(cache, 'v8')).filter((f) => f.endsWith('.bin'));
  } catch {
    return [];
  }
};

test('the CLI writes the code cache on its first start and gives the same answers from it', () => {
  const cache = mkdtempSync(path.join(os.tmpdir(), 'caffe-code-cache-'));
  try {
    const first = run(cache, 'check', 'examples');
    assert.equal(first.status, 1, first.stderr);
    assert.equal(cached(cache).length, 1, 'one cache entry for the bundle');
    const second = run(cache, 'check', 'examples');
    assert.equal(second.status, first.status);
    assert.equal(second.stdout, first.stdout);
    assert.equal(second.stderr, first.stderr);
    // A damaged entry is rejected by V8: the bundle is compiled again and the entry rewritten.
    const entry = path.join(cache, 'v8', cached(cache)[0]);
    writeFileSync(entry, 'not a code cache');
    const third = run(cache, 'check', 'examples');
    assert.equal(third.stdout, first.stdout);
    assert.equal(cached(cache).length, 1);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test('the language server starts through the cached loader as VS Code starts it', async () => {
  const cache = mkdtempSync(path.join(os.tmpdir(), 'caffe-code-cache-'));
  const server = await startServer({
    entry: path.join(repoRoot, 'bin', 'language-server.js'),
    env: { CAFFE_PROTOTXT_CACHE: cache },
  });
  try {
    const uri = 'file:///virtual/cached.prototxt';
    server.open(uri, 'layer {\n  name: "r"\n  type: "ReLU"\n}\n');
    const hover = (await server.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 2, character: 10 },
    })) as Hover | null;
    assert.match((hover?.contents as MarkupContent).value, /ReLU/);
  } finally {
    await server.stop();
    assert.equal(cached(cache).length, 1, 'written when the server exits');
    rmSync(cache, { recursive: true, force: true });
  }
});
