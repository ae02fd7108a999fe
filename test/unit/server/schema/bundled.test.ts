import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUNDLED_FORKS, loadBundledFork, loadBundledSchema } from '../../../../server/src/schema/bundled';
import { DESCRIPTIONS } from '../../../../server/src/schema/descriptions';
import { schemaFromProtoText } from '../../../../server/src/schema/user-proto';

test('every description key names something in the bundled BVLC schema', () => {
  const s = loadBundledSchema();
  const missing: string[] = [];
  for (const key of Object.keys(DESCRIPTIONS)) {
    if (s.message(key) || s.enum(key)) continue;
    const dot = key.lastIndexOf('.');
    const owner = key.slice(0, dot);
    const member = key.slice(dot + 1);
    if (s.message(owner) && s.field(owner, member)) continue;
    if (s.enum(owner)?.values.some((v) => v.name === member)) continue;
    missing.push(key);
  }
  assert.deepEqual(missing, []);
});

test('every SolverParameter field and the everyday messages are described', () => {
  const s = loadBundledSchema();
  const solver = s.message('SolverParameter');
  assert.ok(solver);
  assert.deepEqual(
    solver.fields.filter((f) => f.doc === undefined).map((f) => f.name),
    [],
  );
  for (const name of [
    'NetParameter',
    'LayerParameter',
    'ConvolutionParameter',
    'PythonParameter',
    'TileParameter',
  ]) {
    assert.ok(s.message(name)?.doc, name);
  }
  assert.ok(s.enum('Phase')?.values.every((v) => v.doc));
  assert.ok(
    s.enum('ReLUParameter.Engine')?.values.every((v) => v.doc),
    'engine values share a wording',
  );
  assert.equal(s.source.label, 'BVLC Caffe (bundled)');
  assert.equal(
    s.field('LayerParameter', 'convolution_param')?.location,
    undefined,
    'bundled data has no locations',
  );
});

test('bundled forks load and add their own fields', () => {
  assert.equal(BUNDLED_FORKS.length, 13);
  for (const fork of BUNDLED_FORKS) {
    const s = loadBundledFork(fork.name);
    assert.ok(s, fork.name);
    // DeepLab v1's Caffe has only the layers of layers { } (V1LayerParameter, as BVLC names it now).
    assert.ok(s.message('LayerParameter') ?? s.message('V1LayerParameter'), fork.name);
    assert.match(s.source.label, /bundled/);
  }
  assert.ok(loadBundledFork('ssd')?.field('LayerParameter', 'prior_box_param'));
  assert.ok(loadBundledFork('fastrcnn')?.field('LayerParameter', 'roi_pooling_param'));
  assert.ok(loadBundledFork('rfcn')?.field('LayerParameter', 'psroi_pooling_param'));
  const modes = loadBundledFork('rfcn')
    ?.enum('caffe.LossParameter.NormalizationMode')
    ?.values.map((v) => v.name);
  assert.ok(modes?.includes('PRE_FIXED'));
  assert.ok(loadBundledFork('segnet')?.field('LayerParameter', 'upsample_param'));
  assert.ok(loadBundledFork('segnet')?.field('BNParameter', 'bn_mode'));
  // Temporal Segment Networks' Caffe: its own video reader, and a solver device_id list for MPI.
  assert.ok(loadBundledFork('tsn')?.field('VideoDataParameter', 'num_segments'));
  assert.equal(loadBundledFork('tsn')?.field('SolverParameter', 'device_id')?.label, 'repeated');
  // CaffeOnSpark's Caffe: the data source class of a layer, its CoSData reader's tops, MemoryData's source.
  const cos = loadBundledFork('caffeonspark');
  assert.ok(cos?.field('LayerParameter', 'source_class'));
  assert.equal(cos?.field('CoSDataParameter', 'top')?.label, 'repeated');
  assert.ok(cos?.field('MemoryDataParameter', 'share_in_parallel'));
  // DeepLab v1's Caffe predates layer { }: its layers' message is read as V1LayerParameter.
  const deeplab = loadBundledFork('deeplab');
  assert.ok(deeplab?.field('ConvolutionParameter', 'hole'));
  assert.equal(deeplab?.field('NetParameter', 'layers')?.type, 'caffe.V1LayerParameter');
  assert.equal(deeplab?.field('NetParameter', 'layer'), undefined);
  assert.ok(
    deeplab?.enum('caffe.V1LayerParameter.LayerType')?.values.some((v) => v.name === 'IMAGE_SEG_DATA'),
  );
  // So is DeconvNet's: its BN and unpooling layers are V1 types.
  const deconvnet = loadBundledFork('deconvnet');
  assert.ok(deconvnet?.field('V1LayerParameter', 'unpooling_param'));
  assert.ok(deconvnet?.enum('caffe.V1LayerParameter.LayerType')?.values.some((v) => v.name === 'BN'));
  // Synopsys Caffe: asymmetric padding, ReLU6, and the BVLC layers its sources rewrote (Eltwise
  // broadcasts there), which only it of the bundled schemas carries with it.
  const synopsys = loadBundledFork('synopsys');
  assert.ok(synopsys?.field('ConvolutionParameter', 'pad_l'));
  assert.ok(synopsys?.field('ReLUParameter', 'relu6'));
  assert.ok(
    synopsys?.enum('caffe.PoolingParameter.PoolMethod')?.values.some((v) => v.name === 'AVE_EXC_PAD'),
  );
  assert.equal(synopsys?.changedLayers?.get('Eltwise'), 'src/caffe/layers/eltwise_layer.cpp');
  assert.equal(synopsys?.changedLayers?.has('Split'), false);
  assert.equal(loadBundledFork('ssd')?.changedLayers, undefined);
  assert.equal(loadBundledSchema().field('LayerParameter', 'roi_pooling_param'), undefined);
  assert.equal(loadBundledFork('nope'), undefined);
});

test("a user's proto gives a user schema whose docs are its comments", () => {
  const { schema, errors } = schemaFromProtoText(
    'package caffe;\n// My layer.\nmessage LayerParameter {\n  optional string name = 1; // its name\n}\n',
    '/x/caffe.proto',
  );
  assert.deepEqual(errors, []);
  assert.deepEqual(schema.source, { kind: 'user', label: '/x/caffe.proto', path: '/x/caffe.proto' });
  assert.equal(schema.message('LayerParameter')?.doc, 'My layer.');
  assert.equal(schema.field('LayerParameter', 'name')?.doc, 'its name');
  assert.deepEqual(schema.field('LayerParameter', 'name')?.location, {
    file: '/x/caffe.proto',
    line: 3,
    character: 18,
  });
});
