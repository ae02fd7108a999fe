// The test-resource rule (test/helpers/resources.ts): a missing resource skips with its reason locally
// and fails under CI=true. Checked on a small test file run in a child process with pycaffe pointed at
// a folder that does not exist.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../helpers/resources';

const helper = path.join(repoRoot, 'test', 'helpers', 'resources.ts');
const SAMPLE = `
import { test } from 'node:test';
import { has, needs } from ${JSON.stringify(helper)};
test('declared', needs('pycaffe'), () => { console.log('BODY RAN'); });
test('inside', (t) => { if (!has(t, 'pycaffe')) return; console.log('BODY RAN'); });
`;

function runSample(ci: string | undefined): { status: number | null; out: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resources-'));
  try {
    const file = path.join(dir, 'sample.test.ts');
    fs.writeFileSync(file, SAMPLE);
    const env: NodeJS.ProcessEnv = { ...process.env, CAFFE_PROTOTXT_PYCAFFE: path.join(dir, 'nowhere') };
    delete env.CI;
    delete env.NODE_TEST_CONTEXT; // else the child thinks it runs inside this test file
    if (ci !== undefined) env.CI = ci;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', file], {
      cwd: repoRoot,
      env,
      encoding: 'utf8',
    });
    return { status: r.status, out: r.stdout + r.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('locally a missing resource skips the test and prints why', () => {
  const { status, out } = runSample(undefined);
  assert.equal(status, 0, out);
  assert.match(out, /skipped 2/);
  assert.match(out, /no pycaffe built in .*nowhere; run scripts\/pycaffe\.sh/);
  assert.doesNotMatch(out, /BODY RAN/);
});

test('with CI=true a missing resource fails both kinds of test with the reason', () => {
  const { status, out } = runSample('true');
  assert.equal(status, 1, out);
  assert.match(out, /pass 0/);
  assert.doesNotMatch(out, /skipped [1-9]/);
  assert.match(out, /no pycaffe built in .*nowhere.*\(CI=true: a missing test resource fails\)/);
  assert.match(out, /✖ declared/);
  assert.match(out, /✖ inside/);
  assert.doesNotMatch(out, /BODY RAN/);
});
