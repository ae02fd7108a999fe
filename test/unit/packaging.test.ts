// What the .vsix holds (package.json `files`, which `npm pack` reads too): the bundles and their
// loaders, the harness, grammar, snippets and stubs; nothing of node_modules or the sources.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../helpers/paths';

test('vsce lists the files the extension needs and no sources or dependencies', () => {
  const vsce = path.join(repoRoot, 'node_modules', '.bin', 'vsce');
  const r = spawnSync(vsce, ['ls', '--no-dependencies'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const files = r.stdout.split('\n').filter(Boolean);
  for (const needed of [
    'package.json',
    'dist/extension.js',
    'dist/server.js',
    'dist/python-index-worker.js',
    'bin/language-server.js',
    'bin/load-cached.js',
    'client/python/run_layer.py',
    'syntaxes/prototxt.tmLanguage.json',
  ])
    assert.ok(files.includes(needed), `${needed} is packaged`);
  assert.ok(
    !files.some((f) => /^(node_modules|server|common|test)\//.test(f) || f.endsWith('.ts')),
    files.join('\n'),
  );
});
