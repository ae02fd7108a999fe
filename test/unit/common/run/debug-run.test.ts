import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import {
  announcedEndpoint,
  announcementWatcher,
  debugHarnessArgs,
  withoutAnnouncement,
} from '../../../../common/run/debug-run';
import { fixtures, pythonSkipReason, repoRoot, SYSTEM_PYTHON } from './helpers';

test('the harness is asked to listen on loopback only', () => {
  assert.deepEqual(debugHarnessArgs(undefined), []);
  assert.deepEqual(debugHarnessArgs({ port: 5678 }), ['--debug-listen', '127.0.0.1:5678']);
});

test('the announcement is read from a complete first line only, and kept out of the result', () => {
  const line = '{"debugger": {"host": "127.0.0.1", "port": 40123}}\n';
  assert.equal(announcedEndpoint(line.slice(0, -1)), undefined);
  assert.deepEqual(announcedEndpoint(line), { host: '127.0.0.1', port: 40123 });
  assert.equal(announcedEndpoint('{"ok": true}\n'), undefined);
  assert.equal(withoutAnnouncement(`${line}{"ok": true}\n`), '{"ok": true}\n');
  assert.equal(withoutAnnouncement('{"ok": true}\n'), '{"ok": true}\n');
});

test('the watcher tells once, when the line is complete', () => {
  const seen: number[] = [];
  const watch = announcementWatcher({ port: 0, onListening: (e) => seen.push(e.port) });
  watch('{"debugger": {"host": "127.0.0.1", ');
  assert.deepEqual(seen, []);
  watch('{"debugger": {"host": "127.0.0.1", "port": 7}}\n');
  watch('{"debugger": {"host": "127.0.0.1", "port": 7}}\n{"ok": true}\n');
  assert.deepEqual(seen, [7]);
});

test('the harness refuses to listen beyond loopback', { skip: pythonSkipReason() }, () => {
  const request = {
    module: 'scale_layer',
    layer: 'ChannelScale',
    bottoms: [{ shape: [2, 3] }],
    pycaffe: 'never',
  };
  const r = spawnSync(
    SYSTEM_PYTHON,
    [path.join(repoRoot, 'client', 'python', 'run_layer.py'), '--debug-listen', '0.0.0.0:5678'],
    { input: JSON.stringify(request), encoding: 'utf8', env: { ...process.env, PYTHONPATH: fixtures } },
  );
  const result = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as {
    ok: boolean;
    error?: { type: string; message: string };
  };
  assert.equal(result.ok, false);
  assert.equal(result.error?.type, 'DebugAddress');
  assert.match(result.error?.message ?? '', /loopback only/);
});
