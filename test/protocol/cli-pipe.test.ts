// `caffe-prototxt check folder | head -1`: the reader closes the pipe early; the CLI stops quietly
// (no EPIPE stack trace on stderr).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../helpers/lsp-client';

test('a closed stdout ends the CLI without a stack trace', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-pipe-'));
  const bad = Array.from({ length: 400 }, (_, i) => `layer { nmae: "x${i}" }\n`).join('');
  for (let i = 0; i < 20; i++) fs.writeFileSync(path.join(dir, `n${i}.prototxt`), bad);
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist/cli.js'), 'check', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const first = await new Promise<string>((resolve) =>
    child.stdout.once('data', (d: Buffer) => resolve(d.toString())),
  );
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.match(first, /unknown-field/);
  // No stack trace: at most the last line that sums up what was found.
  assert.match(stderr, /^(caffe-prototxt check: [^\n]*\n)?$/);
  assert.notEqual(code, null);
  fs.rmSync(dir, { recursive: true, force: true });
});
