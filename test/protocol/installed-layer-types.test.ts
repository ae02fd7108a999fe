// prototxt/installedLayerTypes: the client says what the user's Caffe registers; a layer of another
// type gets Caffe's run-time error as a warning, and it goes when the list is no longer known.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { InstalledLayerTypesNotification, type InstalledLayerTypesParams } from '../../common/protocol';
import { BVLC_LAYER_TYPES } from '../../server/src/schema/layer-types';
import { startServer, type TestServer } from '../helpers/lsp-client';

const uri = 'file:///tmp/installed-types/net.prototxt';
const NET = `name: "n"
layer { name: "in" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 } } }
layer { name: "py" type: "Python" bottom: "data" top: "p" python_param { module: "m" layer: "L" } }
`;
const CODE = 'layer-type-not-registered';
const has = (p: PublishDiagnosticsParams) => p.diagnostics.some((d) => d.code === CODE);

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server.stop());

// A limit, so that a warning never published fails the test instead of hanging it.
const LIMIT = { timeout: 60_000 };

test(
  'the installed types make an unregistered Python layer a warning, and forgetting them clears it',
  LIMIT,
  async () => {
    server.open(uri, NET);
    const first = await server.diagnostics(uri);
    assert.equal(first.filter((d) => d.code === CODE).length, 0);
    const params: InstalledLayerTypesParams = {
      types: BVLC_LAYER_TYPES.map((l) => l.type).filter((t) => t !== 'Python'),
      label: '/opt/caffe-env/bin/python',
    };
    await server.connection.sendNotification(InstalledLayerTypesNotification, params);
    const warned = await server.diagnostics(uri, has);
    const warning = warned.find((d) => d.code === CODE);
    assert.equal(warning?.severity, 2);
    assert.equal(warning?.range.start.line, 2);
    assert.match(
      typeof warning?.message === 'string' ? warning.message : '',
      /^Unknown layer type: Python: the Caffe that \/opt\/caffe-env\/bin\/python imports was built without WITH_PYTHON_LAYER/,
    );
    let seen = false;
    const cleared = server.diagnostics(uri, (p) => {
      if (has(p)) seen = true;
      return seen && !has(p);
    });
    await server.connection.sendNotification(InstalledLayerTypesNotification, { types: null, label: '' });
    assert.equal((await cleared).filter((d) => d.code === CODE).length, 0);
  },
);
