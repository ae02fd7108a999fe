// The deploy net beside a train/val net fills the image size its data layer cannot say, in the editor's
// analyses as in `caffe-prototxt shapes`; changing the folder on disk makes the analyses look again.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildNet } from '../../../../server/src/analysis/model/net';
import { inferShapes } from '../../../../server/src/analysis/shapes';
import { deployFills, deployNetInputs } from '../../../../server/src/analysis/shapes/deploy-inputs';
import { DocumentStore } from '../../../../server/src/documents';
import { parse } from '../../../../server/src/parser/parse';
import { DEFAULT_SETTINGS } from '../../../../server/src/settings';
import { Analyses } from '../../../../server/src/workspace/analyses';
import { DeployNets } from '../../../../server/src/workspace/deploy-nets';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-nets-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

const TRAIN_VAL = `name: "net"
layer { name: "data" type: "Data" top: "data" top: "label" include { phase: TRAIN }
  data_param { source: "train_db" batch_size: 32 backend: LMDB } transform_param { crop_size: 24 mean_file: "m" } }
layer { name: "data" type: "Data" top: "data" top: "label" include { phase: TEST }
  data_param { source: "val_db" batch_size: 10 backend: LMDB } transform_param { crop_size: 24 mean_file: "m" } }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv" convolution_param { num_output: 8 kernel_size: 5 } }
layer { name: "pool" type: "Pooling" bottom: "conv" top: "pool" pooling_param { pool: MAX kernel_size: 2 stride: 2 } }
layer { name: "ip" type: "InnerProduct" bottom: "pool" top: "ip" inner_product_param { num_output: 10 } }
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "ip" bottom: "label" top: "loss" }
`;
const DEPLOY = (c: number) => `input: "data"\ninput_shape { dim: 1 dim: ${c} dim: 28 dim: 28 }\n`;

function write(rel: string, text: string): string {
  const file = path.join(scratch, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

test('a deploy net is a clean net without data readers that declares a 4-D input', () => {
  assert.deepEqual([...(deployNetInputs(DEPLOY(3)) ?? [])], [['data', [1, 3, 28, 28]]]);
  const inputLayer =
    'layer { name: "in" type: "Input" top: "im" input_param { shape { dim: 2 dim: 1 dim: 8 dim: 9 } } }';
  assert.deepEqual([...(deployNetInputs(inputLayer) ?? [])], [['im', [2, 1, 8, 9]]]);
  assert.equal(deployNetInputs(TRAIN_VAL), undefined, 'a net with data readers');
  assert.equal(deployNetInputs(DEPLOY(3) + 'layer {'), undefined, 'a net that does not parse');
  assert.equal(deployNetInputs('input: "v"\ninput_shape { dim: 4 dim: 5 }\n'), undefined, 'no 4-D input');
  // Nets that agree on C×H×W give it (named by the first); nets that disagree give nothing.
  const net = (name: string, shape: number[]) => ({ name, inputs: new Map([['data', shape]]) });
  const fills = deployFills([net('a.prototxt', [1, 3, 28, 28]), net('b.prototxt', [10, 3, 28, 28])]);
  const data = fills.get('data');
  assert.deepEqual(data?.shape, [NaN, 3, 28, 28]);
  assert.equal(data?.source, 'a.prototxt beside it (its input data is 3×28×28)');
  assert.equal(
    deployFills([net('a.prototxt', [1, 3, 224, 224]), net('b.prototxt', [1, 3, 299, 299])]).size,
    0,
  );
  assert.equal(data?.fill, true);
});

test('a fill takes only the dims inference leaves unknown; a stated shape replaces them all', () => {
  const net = buildNet(parse(TRAIN_VAL));
  const fill = { shape: [NaN, 3, 28, 28], source: 'd', fill: true };
  const train = inferShapes(net, 'TRAIN', undefined, undefined, { inputShapes: new Map([['data', fill]]) });
  assert.deepEqual(train.blobs.get('data'), [32, 3, 24, 24]);
  const test_ = inferShapes(net, 'TEST', undefined, undefined, { inputShapes: new Map([['data', fill]]) });
  assert.deepEqual(test_.blobs.get('data'), [10, 3, 24, 24]);
  // A rank that differs fills nothing.
  const flat = { shape: [NaN, 3], source: 'd', fill: true };
  assert.deepEqual(
    inferShapes(net, 'TRAIN', undefined, undefined, { inputShapes: new Map([['data', flat]]) }).blobs.get(
      'data',
    ),
    [32, NaN, 24, 24],
  );
  // An HDF5 reader says nothing of its tops but its batch.
  const hdf5 = buildNet(
    parse('layer { name: "h" type: "HDF5Data" top: "data" hdf5_data_param { source: "l" batch_size: 7 } }'),
  );
  assert.deepEqual(
    inferShapes(hdf5, 'TRAIN', undefined, undefined, { inputShapes: new Map([['data', fill]]) }).blobs.get(
      'data',
    ),
    [7, 3, 28, 28],
  );
});

test('a shape problem that follows an image size taken from a deploy net is a warning that says so', () => {
  const net = buildNet(parse(TRAIN_VAL.replace('kernel_size: 5', 'kernel_size: 30')));
  const fill = { shape: [NaN, 3, 28, 28], source: 'deploy.prototxt beside it', fill: true };
  const filled = inferShapes(net, 'TRAIN', undefined, undefined, { inputShapes: new Map([['data', fill]]) });
  const kernel = filled.problems.filter((p) => p.code === 'kernel-too-large');
  assert.equal(kernel.length, 1);
  assert.equal(kernel[0].severity, 'warning');
  assert.match(
    kernel[0].message,
    /\(this follows the image size taken from deploy\.prototxt beside it; the files layer "data" reads may hold another\)$/,
  );
  // Stated (in a comment, the settings or --input-shape), the same size makes it an error.
  const stated = { shape: [32, 3, 24, 24], source: '--input-shape' };
  const given = inferShapes(net, 'TRAIN', undefined, undefined, { inputShapes: new Map([['data', stated]]) });
  assert.deepEqual(
    given.problems.filter((p) => p.code === 'kernel-too-large').map((p) => p.severity),
    ['error'],
  );
});

test("the editor's analysis of a train/val net takes the image size from the deploy net beside it", () => {
  const file = write('model/train_val.prototxt', TRAIN_VAL);
  const deploy = write('model/deploy.prototxt', DEPLOY(3));
  const documents = new DocumentStore();
  const analyses = new Analyses(documents);
  const uri = pathToFileURL(file).href;
  documents.open(uri, 'prototxt', 1, TRAIN_VAL);
  const first = analyses.analyzed(uri);
  assert.deepEqual(first?.analysis.shapes.TRAIN?.blobs.get('ip'), [32, 10]);
  assert.equal(
    first?.analysis.inputShapes?.get('data')?.source,
    'deploy.prototxt beside it (its input data is 3×28×28)',
  );
  // A change to a file elsewhere keeps the analysis; a change beside it makes a new one.
  analyses.filesChanged([path.join(scratch, 'elsewhere', 'deploy.prototxt')]);
  assert.equal(analyses.analyzed(uri), first);
  fs.writeFileSync(deploy, DEPLOY(1));
  analyses.filesChanged([deploy]);
  const second = analyses.analyzed(uri);
  assert.notEqual(second, first);
  assert.equal(
    second?.analysis.inputShapes?.get('data')?.source,
    'deploy.prototxt beside it (its input data is 1×28×28)',
  );
  // A shape stated in the settings wins over the deploy net.
  analyses.configure({ ...DEFAULT_SETTINGS, shapes: { inputShapes: new Map([['data', [2, 1, 24, 24]]]) } });
  assert.deepEqual(analyses.analyzed(uri)?.analysis.shapes.TRAIN?.blobs.get('data'), [2, 1, 24, 24]);
  analyses.configure(DEFAULT_SETTINGS);
  // Without the deploy net the image size is unknown again.
  fs.rmSync(deploy);
  analyses.filesChanged([deploy]);
  assert.deepEqual(analyses.analyzed(uri)?.analysis.shapes.TRAIN?.blobs.get('data'), [32, NaN, 24, 24]);
});

test('a folder is read once, and again only after one of its net files changed', () => {
  const dir = path.join(scratch, 'once');
  write('once/deploy.prototxt', DEPLOY(3));
  const deploys = new DeployNets();
  const a = deploys.fillsFor(path.join(dir, 'a.prototxt'));
  write('once/deploy.prototxt', DEPLOY(1));
  assert.deepEqual(deploys.fillsFor(path.join(dir, 'b.prototxt')).get('data')?.shape, [NaN, 3, 28, 28]);
  assert.equal(deploys.filesChanged([path.join(dir, 'notes.txt')]), false);
  assert.equal(deploys.filesChanged([path.join(dir, 'deploy.prototxt')]), true);
  assert.deepEqual(deploys.fillsFor(path.join(dir, 'a.prototxt')).get('data')?.shape, [NaN, 1, 28, 28]);
  assert.ok(a.has('data'));
  // A deploy net does not fill itself.
  assert.equal(deploys.fillsFor(path.join(dir, 'deploy.prototxt')).size, 0);
});
