// Starting the server: without a transport it says how to start it (exit 2); settings in
// initializationOptions are read in both shapes clients send.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileUri, repoRoot, serverPath, startServer } from '../helpers/lsp-client';
import { settingsOf } from '../../server/src/lifecycle';
import { transportGiven } from '../../server/src/transport';

test('node dist/server.js without a transport: a short usage on stderr, exit 2', () => {
  const run = spawnSync(process.execPath, [serverPath], { encoding: 'utf8', input: '' });
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^Usage: node dist\/server\.js --stdio/);
  assert.ok(run.stderr.length < 1000);
  assert.ok(transportGiven(['--stdio'], false));
  assert.ok(transportGiven(['--clientProcessId=5', '--socket=3000'], false));
  assert.ok(transportGiven([], true));
  assert.ok(!transportGiven(['--clientProcessId=5'], false));
});

test('initializationOptions: { settings: { prototxt: {...} } } and { settings: {...} } alike', async () => {
  assert.deepEqual(settingsOf({ settings: { prototxt: { a: 1 } } }), { a: 1 });
  assert.deepEqual(settingsOf({ settings: { a: 1 } }), { a: 1 });
  assert.equal(settingsOf({}), undefined);
  const file = path.join(repoRoot, 'test/fixtures/check/ok/net.prototxt');
  // A layer type the settings allow: no unknown-layer-type warning in either shape.
  const text = 'name: "n"\nlayer { name: "x" type: "MyPluginLayer" }\n';
  for (const settings of [
    { prototxt: { layerTypes: { allow: ['MyPluginLayer'] } } },
    { layerTypes: { allow: ['MyPluginLayer'] } },
  ]) {
    const server = await startServer({ initializationOptions: { settings } });
    try {
      server.open(fileUri(file), text);
      const ds = await server.diagnostics(fileUri(file));
      assert.deepEqual(
        ds.map((d) => d.code),
        [],
        JSON.stringify(settings),
      );
    } finally {
      await server.stop();
    }
  }
  const plain = await startServer({});
  try {
    plain.open(fileUri(file), text);
    assert.deepEqual(
      (await plain.diagnostics(fileUri(file))).map((d) => d.code),
      ['unknown-layer-type'],
    );
  } finally {
    await plain.stop();
  }
});
