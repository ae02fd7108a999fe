// The entry points load their bundle through V8's code cache (bin/load-cached.js): the first start
// writes the cache, later starts read it, and a damaged cache only costs a compile.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileUri, startServer } from '../helpers/lsp-client';
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

test('the cache holds the same whichever command ran first', () => {
  // Saved once the bundle is set up and has run its warm-up, before the command runs: a first check of
  // many nets used to leave a cache of everything it compiled, which changed later starts.
  const sizes = ['--version', 'check examples', 'shapes examples/net/train_val.prototxt'].map((command) => {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'caffe-code-cache-'));
    try {
      run(cache, ...command.split(' '));
      const entries = cached(cache);
      assert.equal(entries.length, 1, command);
      return statSync(path.join(cache, 'v8', entries[0])).size;
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
  // V8's serialization is not byte for byte the same from one process to the next: a few bytes apart.
  for (const size of sizes.slice(1))
    assert.ok(Math.abs(size - sizes[0]) < sizes[0] / 1000, `${sizes.join(', ')}`);
});

test('a write keeps the newest entries of the cache folder and drops the oldest', () => {
  const cache = mkdtempSync(path.join(os.tmpdir(), 'caffe-code-cache-'));
  try {
    // Entries other bundles and Node versions left, one a minute older than the next, and a temporary
    // file a killed process left two hours ago.
    const dir = path.join(cache, 'v8');
    mkdirSync(dir, { recursive: true });
    const now = Date.now() / 1000;
    for (let i = 0; i < 20; i++) {
      const file = path.join(dir, `old${String(i).padStart(2, '0')}.bin`);
      writeFileSync(file, 'an entry of another bundle');
      utimesSync(file, now - 3600 + i * 60, now - 3600 + i * 60);
    }
    const temp = path.join(dir, 'left.bin.123.tmp');
    writeFileSync(temp, 'half written');
    utimesSync(temp, now - 7200, now - 7200);
    const first = run(cache, '--version');
    assert.equal(first.status, 0, first.stderr);
    const left = cached(cache).sort();
    assert.equal(left.length, 12);
    // The entry just written and the eleven newest of the others.
    assert.equal(left.filter((f) => !f.startsWith('old')).length, 1);
    assert.deepEqual(
      left.filter((f) => f.startsWith('old')),
      Array.from({ length: 11 }, (_, k) => `old${String(k + 9).padStart(2, '0')}.bin`),
    );
    assert.ok(!readdirSync(dir).includes('left.bin.123.tmp'));
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

/** A definition of the Python layer class in the e2e workspace, asked until the index is built. */
async function pythonDefinition(cache: string): Promise<unknown> {
  const root = path.join(repoRoot, 'test/fixtures/e2e-workspace');
  const server = await startServer({
    rootPath: root,
    entry: path.join(repoRoot, 'bin', 'language-server.js'),
    env: { CAFFE_PROTOTXT_CACHE: cache },
  });
  try {
    const file = path.join(root, 'net.prototxt');
    const text = readFileSync(file, 'utf8');
    const uri = fileUri(file);
    server.open(uri, text);
    const offset = text.indexOf('layer: "ScaleLayer"') + 'layer: "'.length + 2;
    const lines = text.slice(0, offset).split('\n');
    const position = { line: lines.length - 1, character: lines[lines.length - 1].length };
    // The index is built in the background: ask until it answers (bounded).
    for (let i = 0; i < 100; i++) {
      const found = (await server.connection.sendRequest('textDocument/definition', {
        textDocument: { uri },
        position,
      })) as unknown[] | null;
      if (found && found.length > 0) return found[0];
      await new Promise((r) => setTimeout(r, 100));
    }
    return undefined;
  } finally {
    await server.stop();
  }
}

test('the language server runs as VS Code starts it, compiled and then from the cache', async () => {
  const cache = mkdtempSync(path.join(os.tmpdir(), 'caffe-code-cache-'));
  try {
    const first = await pythonDefinition(cache);
    assert.match(JSON.stringify(first), /scale_layer\.py/);
    assert.equal(cached(cache).length, 1, 'written when the server started');
    // From the cache, the Python index (which loads its grammar at run time) works as well.
    assert.deepEqual(await pythonDefinition(cache), first);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});
