import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { findPython } from '../../../../common/run/find-python';
import { SYSTEM_PYTHON } from './helpers';
import { needs } from '../../../helpers/resources';

const skip = process.platform === 'win32' ? { skip: 'POSIX shell scripts' } : needs('python');

/** A folder to use as PATH: `python3` is a real Python that cannot see numpy (-S drops site-packages). */
function fakePath(withWorkingPython: boolean): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'find-python-'));
  const noNumpy = path.join(dir, 'python3');
  writeFileSync(noNumpy, `#!/bin/sh\nexec ${SYSTEM_PYTHON} -S "$@"\n`);
  chmodSync(noNumpy, 0o755);
  if (withWorkingPython) symlinkSync(SYSTEM_PYTHON, path.join(dir, 'python'));
  return dir;
}

test('findPython skips an interpreter without numpy and says so', skip, async () => {
  const dir = fakePath(true);
  try {
    const r = await findPython({ env: { PATH: dir }, candidates: ['python3', 'python'] });
    assert.equal(r.ok, true, r.message);
    if (!r.ok) return;
    assert.equal(r.probe.candidate, 'python');
    assert.match(r.probe.numpy ?? '', /^\d+\./);
    assert.equal(r.tried.length, 2);
    assert.match(r.tried[0]?.problem ?? '', /numpy does not import/);
    assert.match(r.message, /^Using python .*numpy \d.* Skipped python3 .*numpy does not import/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('findPython lists every candidate and why when none has numpy', skip, async () => {
  const dir = fakePath(false);
  try {
    const r = await findPython({
      env: { PATH: dir },
      candidates: ['python3', 'python', '/nonexistent/bin/python3'],
    });
    assert.equal(r.ok, false);
    assert.deepEqual(
      r.tried.map((t) => [t.candidate, t.problem?.replace(/ \(.*/, '')]),
      [
        ['python3', 'numpy does not import'],
        ['python', 'not found on PATH'],
        ['/nonexistent/bin/python3', 'no such file'],
      ],
    );
    assert.match(r.message, /^No Python interpreter with numpy was found\. Tried python3 /);
    assert.match(r.message, /apt-get install python3-numpy/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an explicit interpreter is used alone, never replaced by another', skip, async () => {
  const ok = await findPython({ explicit: SYSTEM_PYTHON });
  assert.equal(ok.ok, true, ok.message);
  const bad = await findPython({ explicit: '/nonexistent/python' });
  assert.equal(bad.ok, false);
  assert.equal(bad.tried.length, 1);
  assert.match(
    bad.message,
    /^The configured Python interpreter cannot run layers: \/nonexistent\/python: no such file/,
  );
});

test('the default candidates end with /usr/bin/python3', skip, async () => {
  const r = await findPython({ env: { PATH: '/nonexistent' } });
  assert.equal(r.ok, true, r.message);
  if (r.ok) assert.equal(r.probe.candidate, SYSTEM_PYTHON);
});
