// prototxt/installedLayerTypes: the client says what the user's Caffe registers; a layer of another
// type gets Caffe's run-time error as a warning, and it goes when the list is no longer known.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { InstalledLayerTypesNotification, type InstalledLayerTypesParams } from '../../common/protocol';
import { BVLC_LAYER_TYPES } from '../../server/src/schema/layer-types';
import { fileUri, startServer, type TestServer } from '../helpers/lsp-client';
import { tempDir } from '../helpers/temp-dir';

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

test(
  'the run interpreter as a Python 2 (its version, not its name) silences the Python 2 warnings',
  LIMIT,
  async () => {
    const root = tempDir('installed-py2-');
    writeFileSync(
      path.join(root, 'old_layer.py'),
      "import caffe\n\nclass Old(caffe.Layer):\n    def setup(self, bottom, top):\n        print 'up'\n",
    );
    const net = `layer { name: "old" type: "Python" top: "t" python_param { module: "old_layer" layer: "Old" } }\n`;
    writeFileSync(path.join(root, 'net.prototxt'), net);
    const py2server = await startServer({ rootPath: root });
    try {
      const netUri = fileUri(path.join(root, 'net.prototxt'));
      const warned = (p: PublishDiagnosticsParams) =>
        p.diagnostics.some((d) => d.code === 'python-module-python2');
      py2server.open(netUri, net);
      await py2server.diagnostics(netUri, warned);
      const as = (pythonMajor: number): InstalledLayerTypesParams => ({
        types: BVLC_LAYER_TYPES.map((l) => l.type),
        label: '/opt/conda/envs/legacy/bin/python',
        pythonMajor,
      });
      // Each wait takes a publication after the one before it (the helper also looks at earlier ones).
      let wasWarned = false;
      const cleared = py2server.diagnostics(netUri, (p) => {
        if (warned(p)) wasWarned = true;
        return wasWarned && !warned(p);
      });
      await py2server.connection.sendNotification(InstalledLayerTypesNotification, as(2));
      await cleared;
      let afterWarning = false;
      let wasCleared = false;
      const again = py2server.diagnostics(netUri, (p) => {
        if (warned(p)) afterWarning = true;
        else if (afterWarning) wasCleared = true;
        return wasCleared && warned(p);
      });
      await py2server.connection.sendNotification(InstalledLayerTypesNotification, as(3));
      await again;
    } finally {
      await py2server.stop();
    }
  },
);

test(
  "the interpreter's modules: an import neither it nor the workspace has is told on the net and in the file",
  LIMIT,
  async () => {
    const root = tempDir('installed-modules-');
    const layerPy =
      'import caffe\nimport numpy\nfrom helpers import boxes\n\nclass L(caffe.Layer):\n' +
      '    def setup(self, bottom, top):\n        pass\n';
    writeFileSync(path.join(root, 'layer.py'), layerPy);
    writeFileSync(path.join(root, 'helpers.py'), 'import absent_zz\nboxes = 1\n');
    const net = `layer { name: "p" type: "Python" top: "t" python_param { module: "layer" layer: "L" } }\n`;
    writeFileSync(path.join(root, 'net.prototxt'), net);
    const modulesServer = await startServer({ rootPath: root });
    try {
      const netUri = fileUri(path.join(root, 'net.prototxt'));
      const helperUri = fileUri(path.join(root, 'helpers.py'));
      const missing = (ds: readonly Diagnostic[]) => ds.filter((d) => d.code === 'python-import-missing');
      const as = (modules?: string[]): InstalledLayerTypesParams => ({
        types: BVLC_LAYER_TYPES.map((l) => l.type),
        label: '/usr/bin/python3',
        ...(modules ? { modules } : {}),
      });
      modulesServer.open(netUri, net);
      modulesServer.open(helperUri, 'import absent_zz\nboxes = 1\n', 'python');
      // Not told before the interpreter said what it has.
      const first = await modulesServer.diagnostics(netUri);
      assert.equal(missing(first).length, 0);
      const onNet = modulesServer.diagnostics(netUri, (p) => missing(p.diagnostics).length === 1);
      const inFile = modulesServer.diagnostics(helperUri, (p) => missing(p.diagnostics).length === 1);
      await modulesServer.connection.sendNotification(
        InstalledLayerTypesNotification,
        as(['caffe', 'numpy', 'os', 'sys']),
      );
      const [n, f] = await Promise.all([onNet, inFile]);
      assert.match(
        String(missing(n)[0].message),
        /^Module 'layer' cannot be imported: helpers\.py line 1 imports 'absent_zz', which is neither installed for \/usr\/bin\/python3 nor on the workspace's search path \(reached through layer\.py -> helpers\.py\)\./,
      );
      assert.deepEqual(missing(f)[0].range.start, { line: 0, character: 0 });
      // Installed after all (asked again): the warnings go.
      let told = false;
      const gone = modulesServer.diagnostics(netUri, (p) => {
        if (missing(p.diagnostics).length > 0) told = true;
        return told && missing(p.diagnostics).length === 0;
      });
      await modulesServer.connection.sendNotification(
        InstalledLayerTypesNotification,
        as(['absent_zz', 'caffe', 'numpy', 'os', 'sys']),
      );
      await gone;
    } finally {
      await modulesServer.stop();
    }
  },
);
