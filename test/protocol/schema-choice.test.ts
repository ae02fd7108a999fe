// A schema shipped with the extension chosen by name (`bundled:rfcn` in prototxt.schema.paths): the
// nets are checked against it as the schema in use, the status names it, and the list of schemas to
// choose from offers every shipped one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ListSchemasResult, SchemaStatusParams } from '../../common/protocol';
import { fileUri, startServer, type TestServer } from '../helpers/lsp-client';

let server: TestServer;
let root = '';
const statuses: SchemaStatusParams[] = [];

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-choice-'));
  server = await startServer({
    rootPath: root,
    configuration: (section) => (section === 'prototxt' ? { schema: { paths: ['bundled:rfcn'] } } : null),
  });
  server.connection.onNotification('prototxt/schemaStatus', (p: SchemaStatusParams) => {
    statuses.push(p);
  });
});
after(async () => {
  await server.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

test('a net is checked against the chosen shipped schema, and the status and the list say so', async () => {
  const file = path.join(root, 'net.prototxt');
  const text =
    'layer { name: "p" type: "PSROIPooling" bottom: "a" bottom: "b" top: "p"\n' +
    '  psroi_pooling_param { spatial_scale: 0.0625 output_dim: 3 group_size: 1 } prior_box_param { } }\n';
  fs.writeFileSync(file, text);
  const uri = fileUri(file);
  server.open(uri, text);
  // The settings arrive after the server starts: the diagnostics made once they are read.
  const diagnostics = await server.diagnostics(uri, (p) =>
    p.diagnostics.every((d) => d.code !== 'fork-field'),
  );
  // R-FCN's own field is fine; SSD's is an error, as protobuf says under R-FCN's caffe.proto, that
  // names the Caffes that define it.
  const told = diagnostics
    .filter((d) => d.code === 'fork-field' || d.code === 'unknown-field')
    .map((d) => String(d.message));
  assert.deepEqual(
    told.map((m) => m.split('. ')[0]),
    ['Message type "caffe.LayerParameter" has no field named "prior_box_param"'],
  );
  assert.match(told[0], /SSD \(weiliu89\/caffe\), .* define it/);
  const list = (await server.connection.sendRequest('prototxt/listSchemas', { uri })) as ListSchemasResult;
  assert.ok(list.bundled?.some((b) => b.setting === 'bundled:ssd' && b.label === 'SSD (weiliu89/caffe)'));
  assert.equal(list.current?.setting, 'bundled:rfcn');
  assert.equal(list.current?.label, 'R-FCN (Microsoft/caffe) (bundled)');
  assert.equal(list.current?.kind, 'configured');
  const status = statuses.filter((s) => s.uri === uri).at(-1);
  assert.equal(status?.setting, 'bundled:rfcn');
});
