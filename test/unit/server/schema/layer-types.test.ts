import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUNDLED_FORKS, loadBundledFork, loadBundledSchema } from '../../../../server/src/schema/bundled';
import {
  ALL_LAYER_TYPES,
  BVLC_LAYER_TYPES,
  findLayerType,
  forksWithLayerType,
  layerTypesFor,
  mergingForkHas,
  namedForks,
  PRIMARY_LAYER_TYPES,
} from '../../../../server/src/schema/layer-types';
import { V1_LAYER_TYPE_NAMES } from '../../../../server/src/schema/v1-layer-types';

test('BVLC layer types are unique and read only LayerParameter fields that exist', () => {
  const s = loadBundledSchema();
  const types = BVLC_LAYER_TYPES.map((l) => l.type);
  assert.equal(new Set(types).size, types.length);
  assert.equal(types.length, 61);
  for (const l of BVLC_LAYER_TYPES) {
    assert.equal(l.forks, undefined);
    for (const p of l.params) assert.ok(s.field('LayerParameter', p), `${l.type}: ${p}`);
    for (const c of [l.bottoms, l.tops]) if (c?.max !== undefined) assert.ok(c.min <= c.max, l.type);
  }
  assert.deepEqual(findLayerType('Convolution')?.params, ['convolution_param']);
  assert.deepEqual(findLayerType('InnerProduct')?.bottoms, { min: 1, max: 1 });
  assert.ok(findLayerType('Python'));
  assert.equal(findLayerType('PriorBox'), undefined, 'fork types are not BVLC types');
});

test('fork layer types name forks that exist and params their proto defines', () => {
  const forkNames = new Set(BUNDLED_FORKS.map((f) => f.name));
  for (const l of ALL_LAYER_TYPES.filter((x) => x.forks)) {
    for (const fork of l.forks ?? []) {
      assert.ok(forkNames.has(fork as never), `${l.type}: ${fork}`);
      const s = loadBundledFork(fork);
      const known = l.params.filter((p) => s?.field('LayerParameter', p));
      assert.ok(l.params.length === 0 || known.length > 0, `${l.type} reads none of its params in ${fork}`);
    }
  }
  assert.deepEqual([...forksWithLayerType('ROIPooling')].sort(), [
    'ducha',
    'fastrcnn',
    'rfcn',
    'synopsys',
    'tsn',
  ]);
  assert.deepEqual(forksWithLayerType('PSROIPooling'), ['rfcn']);
  // SegNet's BN is its own (bn_mode, up to three tops), listed apart from ducha-aiki's and PSPNet's.
  assert.deepEqual([...forksWithLayerType('BN')].sort(), ['ducha', 'pspnet', 'segnet', 'synopsys', 'tsn']);
  // Temporal Segment Networks' VideoData (a video list's segments) is not SSD's (a webcam).
  assert.deepEqual(findLayerType('VideoData', 'tsn')?.tops, { min: 2, max: 2 });
  assert.deepEqual(findLayerType('VideoData', 'ssd')?.params[0], 'video_data_param');
  assert.deepEqual(findLayerType('BN', 'segnet')?.tops, { min: 1, max: 3 });
  assert.deepEqual(findLayerType('BN', 'pspnet')?.tops, { min: 1, max: 1 });
  assert.deepEqual(forksWithLayerType('Upsample'), ['segnet', 'synopsys']);
  assert.ok(layerTypesFor('ssd').some((l) => l.type === 'PriorBox'));
  assert.ok(!layerTypesFor('fastrcnn').some((l) => l.type === 'PriorBox'));
  assert.equal(findLayerType('PriorBox', 'ssd')?.params[0], 'prior_box_param');
  assert.equal(findLayerType('ReLU', 'ssd')?.type, 'ReLU');
});

test('the V1 map covers every V1 LayerType value and points at registered types', () => {
  const s = loadBundledSchema();
  const values = s.enum('V1LayerParameter.LayerType')?.values.map((v) => v.name) ?? [];
  assert.ok(values.length > 30);
  assert.deepEqual(Object.keys(V1_LAYER_TYPE_NAMES).sort(), [...values].sort());
  for (const [v1, v2] of Object.entries(V1_LAYER_TYPE_NAMES)) {
    if (v1 !== 'NONE') assert.ok(findLayerType(v2), `${v1} -> ${v2}`);
  }
  assert.equal(V1_LAYER_TYPE_NAMES['SOFTMAX_LOSS'], 'SoftmaxWithLoss');
});

test("a merging fork's table fills gaps: its types are told as other forks' and plugins' where those have them", () => {
  // Synopsys Caffe registers ROIPooling too: named, but never alone where another fork has it.
  assert.deepEqual([...namedForks(forksWithLayerType('ROIPooling'))].sort(), [
    'ducha',
    'fastrcnn',
    'rfcn',
    'tsn',
  ]);
  assert.deepEqual(namedForks(forksWithLayerType('HardSwish')), ['synopsys']);
  // ShuffleChannel and ConvolutionDepthwise are widely used plugins first.
  assert.deepEqual(forksWithLayerType('ShuffleChannel'), []);
  assert.deepEqual(forksWithLayerType('ConvolutionDepthwise'), []);
  assert.equal(mergingForkHas('synopsys', 'ShuffleChannel'), true);
  assert.equal(mergingForkHas('ssd', 'Permute'), false, 'SSD merges no other fork');
  // Without a fork in use, the entries told are the other forks' (and the plugins' texts).
  const told = (type: string) => ALL_LAYER_TYPES.filter((l) => l.type === type).flatMap((l) => l.forks ?? []);
  assert.equal(told('Interp').includes('synopsys'), false);
  assert.deepEqual(told('ShuffleChannel'), []);
  assert.deepEqual(told('HardSwish'), ['synopsys']);
  assert.ok(PRIMARY_LAYER_TYPES.every((l) => !l.forks?.includes('synopsys')));
  // Under the fork itself, its whole table.
  assert.equal(findLayerType('ShuffleChannel', 'synopsys')?.forks?.[0], 'synopsys');
  assert.ok(layerTypesFor('synopsys').some((l) => l.type === 'Interp' && l.forks?.includes('synopsys')));
});
