// The diagnostics cap: `check` lists as many per file as the editor publishes (--max-diagnostics N,
// 0 for all), and the exit code still counts every error.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../../../server/src/cli/commands';
import { prototxtDiagnostics } from '../../../../server/src/features/diagnostics/gather';
import { createPythonParser } from '../../../../server/src/python/parser';
import { PythonWorkspace } from '../../../../server/src/workspace/python-workspace';
import { featureInputFor } from '../../../helpers/analyzed-document';

let dir: string;
const TEXT = Array.from({ length: 1500 }, (_, i) => `zz${i}: 1`).join('\n') + '\n';
before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'caffe-max-diagnostics-'));
  writeFileSync(path.join(dir, 'many.prototxt'), TEXT);
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function check(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(['check', ...argv], {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    cwd: dir,
  });
  return { code, out, err };
}

type JsonReport = { diagnostics: { message: string; line: number; severity: string }[] }[];

test('by default the first 1,000 and one that counts all, the same list the editor publishes', async () => {
  const { code, out } = await check('--format', 'json', 'many.prototxt');
  assert.equal(code, 1);
  const listed = (JSON.parse(out) as JsonReport)[0].diagnostics;
  assert.equal(listed.length, 1001);
  assert.match(listed[1000].message, /^1,500 problems in all; only the first 1,000 are listed\./);
  assert.equal(listed[1000].line, 1001);

  const python = new PythonWorkspace({ createParser: () => createPythonParser() });
  const published = prototxtDiagnostics(featureInputFor(TEXT), python);
  assert.deepEqual(
    published.map((d) => [d.range.start.line + 1, d.message]),
    listed.map((d) => [d.line, d.message]),
  );
});

test('--max-diagnostics N lists N and the count; 0 lists all; a bad N is a usage error', async () => {
  const three = await check('--max-diagnostics', '3', 'many.prototxt');
  assert.equal(three.code, 1);
  const lines = three.out.trimEnd().split('\n');
  assert.equal(lines.length, 4);
  assert.match(
    lines[3],
    /1,500 problems in all; only the first 3 are listed\. The 1,497 left out \(1,497 errors\) start here\. \[too-many-problems\]$/,
  );
  const all = await check('--max-diagnostics=0', 'many.prototxt');
  assert.equal(all.out.trimEnd().split('\n').length, 1500);
  const bad = await check('--max-diagnostics', '-1', 'many.prototxt');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--max-diagnostics needs a whole number/);
});
