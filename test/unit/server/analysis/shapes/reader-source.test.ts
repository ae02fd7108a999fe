// A data reader without a source stops Caffe as it sets the reader up. HDF5Data is run through
// caffe.Net; Data, ImageData and WindowData follow where each opens its source (the pycaffe of these
// tests has no database backend and no OpenCV). The shapes stay as written.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../../../server/src/analysis/analyze';
import { parse } from '../../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../../server/src/schema/bundled';
import { assertCaffeRefuses } from '../../../../helpers/pycaffe-nets';
import { has } from '../../../../helpers/resources';

const schema = loadBundledSchema();

function analysed(text: string) {
  return analyze(text, parse(text), { schema, schemaKind: 'bundled' });
}

/** [text the problem is on, Caffe's words] of each reader-source problem. */
function said(text: string): [string, string][] {
  return analysed(text)
    .diagnostics.filter((d) => d.code === 'reader-source')
    .map((d) => [text.slice(d.start, d.end), d.message.replace(/^.*\("|"\)\.$/g, '')]);
}

const reader = (type: string, param: string) =>
  `name: "r"\nlayer { name: "r" type: "${type}" top: "d" top: "l" ${param} }\n`;

test('each reader without a source, in the words Caffe stops with, on the block or the source', () => {
  assert.deepEqual(said(reader('Data', 'data_param { batch_size: 2 }')), [
    ['data_param', 'Failed to open leveldb'],
  ]);
  assert.deepEqual(said(reader('Data', 'data_param { source: "" backend: LMDB batch_size: 2 }')), [
    ['""', 'No such file or directory'],
  ]);
  assert.deepEqual(said(reader('ImageData', 'image_data_param { batch_size: 2 }')), [
    ['image_data_param', 'File is empty'],
  ]);
  assert.deepEqual(said(reader('HDF5Data', 'hdf5_data_param { batch_size: 2 }')), [
    ['hdf5_data_param', 'Failed to open source file:'],
  ]);
  assert.deepEqual(said(reader('WindowData', 'window_data_param { batch_size: 2 }')), [
    ['window_data_param', 'Failed to open window file'],
  ]);
  // Without any block: on the layer's name.
  assert.deepEqual(said(reader('Data', '')), [['"r"', 'Failed to open leveldb']]);
  const [d] = analysed(reader('Data', 'data_param { batch_size: 2 }')).diagnostics;
  assert.equal(
    d.message,
    'Data: data_param.source is not given, and the layer reads its data from it: Caffe stops as it sets the layer up ("Failed to open leveldb").',
  );
});

test('a reader with a source, MemoryData and DummyData, and a fork reader say nothing', () => {
  assert.deepEqual(
    said(reader('Data', 'data_param { source: "train_lmdb" backend: LMDB batch_size: 2 }')),
    [],
  );
  assert.deepEqual(said(reader('ImageData', 'image_data_param { source: "list.txt" batch_size: 2 }')), []);
  assert.deepEqual(
    said(reader('MemoryData', 'memory_data_param { batch_size: 2 channels: 3 height: 4 width: 4 }')),
    [],
  );
  // A reader with a field BVLC lacks is a fork's: it may find its data otherwise.
  assert.deepEqual(said(reader('Data', 'data_param { batch_size: 2 cache_size: 4 }')), []);
});

test('V1 and V0 readers are upgraded first; the shapes stay as written', () => {
  const v1 = 'name: "v1"\nlayers { name: "r" type: DATA top: "d" top: "l" data_param { batch_size: 2 } }\n';
  assert.deepEqual(
    said(v1).map((s) => s[1]),
    ['Failed to open leveldb'],
  );
  const v0 = (source: string) =>
    `name: "v0"\nlayers { layer { name: "r" type: "data" ${source}batchsize: 2 } top: "d" top: "l" }\n`;
  assert.deepEqual(
    said(v0('')).map((s) => s[1]),
    ['Failed to open leveldb'],
  );
  assert.deepEqual(said(v0('source: "train_leveldb" ')), []);
  // The batch of a reader without a source is still known.
  const shapes = analysed(reader('HDF5Data', 'hdf5_data_param { batch_size: 2 }')).shapes;
  assert.equal(shapes.TRAIN?.layers.length, 1);
});

test('told in each phase that keeps the reader, as the phase rule grades it', () => {
  const text =
    'name: "p"\n' +
    'layer { name: "train" type: "Data" top: "d" top: "l" include { phase: TRAIN } data_param { source: "t" batch_size: 2 } }\n' +
    'layer { name: "test" type: "Data" top: "d" top: "l" include { phase: TEST } data_param { batch_size: 2 } }\n';
  const found = analysed(text).diagnostics.filter((d) => d.code === 'reader-source');
  assert.equal(found.length, 1);
  assert.deepEqual(found[0].phases?.found, ['TEST']);
});

test('caffe.Net stops on an HDF5Data without a source, or with an empty one', (t) => {
  if (!has(t, 'pycaffe')) return;
  const cases = [
    { what: 'no source', caffe: 'Failed to open source file:', param: 'batch_size: 2' },
    { what: 'an empty source', caffe: 'Failed to open source file:', param: 'source: "" batch_size: 2' },
  ];
  assertCaffeRefuses(cases, (c) => reader('HDF5Data', `hdf5_data_param { ${c.param} }`));
  for (const c of cases) assert.equal(said(reader('HDF5Data', `hdf5_data_param { ${c.param} }`)).length, 1);
});
