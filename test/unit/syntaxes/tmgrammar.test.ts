// Runs vscode-tmgrammar-test on the grammar fixtures: each fixture line is followed by `# ^^^ scope`
// assertions that the tool checks against the real VS Code tokenizer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { grammarPath, repoRoot } from './tokenizer';

const fixtures = path.join(repoRoot, 'test/fixtures/grammar');

test('vscode-tmgrammar-test passes on every grammar fixture', () => {
  const files = readdirSync(fixtures).filter((f) => f.endsWith('.prototxt'));
  assert.ok(files.length >= 3, `expected grammar fixtures in ${fixtures}`);
  const require = createRequire(__filename);
  const cli = path.join(path.dirname(require.resolve('vscode-tmgrammar-test/package.json')), 'dist/unit.js');
  const run = spawnSync(
    process.execPath,
    [cli, '--compact', '-g', grammarPath, '--config', path.join(repoRoot, 'package.json'), ...files],
    { cwd: fixtures, encoding: 'utf8' },
  );
  const output = `${run.stdout}\n${run.stderr}`;
  assert.equal(run.status, 0, `vscode-tmgrammar-test failed:\n${output}`);
  for (const f of files) assert.match(output, new RegExp(`${f.replace('.', '\\.')} run successfuly`));
});
