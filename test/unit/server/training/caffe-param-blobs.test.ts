// Our count of parameter blobs per layer type against the blobs real Caffe makes for each layer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { buildNet } from '../../../../server/src/analysis/model/net';
import { parse } from '../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../server/src/schema/bundled';
import { parameterBlobs } from '../../../../server/src/training/param-rates';
import { findPycaffe, runWithPycaffe, skipUnlessPycaffe } from '../../../helpers/caffe-solver';
import { repoRoot } from '../../../helpers/paths';

const folder = path.join(repoRoot, 'test/fixtures/training');
const pycaffe = findPycaffe();

const COUNT_BLOBS = `import sys, json, caffe
net = caffe.Net(sys.argv[1], caffe.TEST)
print(json.dumps({name: len(net.layer_dict[name].blobs) for name in net._layer_names}))
`;

test('each layer has as many parameter blobs as Caffe gives it', { skip: skipUnlessPycaffe(pycaffe) }, () => {
  assert.ok(pycaffe.folder, pycaffe.missing || 'pycaffe');
  const run = runWithPycaffe(pycaffe.folder, COUNT_BLOBS, ['param-blobs.prototxt'], folder);
  assert.equal(run.status, 0, `${run.error?.message ?? ''}\n${run.log.slice(-2000)}`);
  const caffe = JSON.parse(run.out) as Record<string, number>;
  const schema = loadBundledSchema();
  const net = buildNet(parse(fs.readFileSync(path.join(folder, 'param-blobs.prototxt'), 'utf8')), schema);
  const ours = Object.fromEntries(net.layers.map((l) => [l.name, parameterBlobs(l, schema)?.length]));
  // Caffe adds split layers of its own; compare the layers the file declares.
  const declared = Object.fromEntries(net.layers.map((l) => [l.name, caffe[l.name]]));
  assert.deepEqual(ours, declared);
  assert.equal(net.layers.length, 23);
});
