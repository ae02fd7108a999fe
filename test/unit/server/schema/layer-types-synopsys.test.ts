import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FORK_LAYER_TYPES } from '../../../../server/src/schema/layer-types-forks';
import { BVLC_TYPE_NAMES, findLayerType } from '../../../../server/src/schema/layer-types';
import {
  SYNOPSYS_LAYER_TYPES,
  layer,
  synopsysTable,
} from '../../../../server/src/schema/layer-types-synopsys';
import { SYNOPSYS_OP_LAYER_TYPES } from '../../../../server/src/schema/layer-types-synopsys-ops';

const SYNOPSYS = [...SYNOPSYS_LAYER_TYPES, ...SYNOPSYS_OP_LAYER_TYPES];

test("Synopsys' layer types are new to BVLC, unique and described", () => {
  assert.equal(SYNOPSYS.length, 155);
  const types = SYNOPSYS.map((l) => l.type);
  assert.equal(new Set(types).size, types.length, 'a type is listed twice');
  for (const l of SYNOPSYS) {
    assert.ok(!BVLC_TYPE_NAMES.has(l.type), `${l.type} is a BVLC type`);
    assert.deepEqual(l.forks, ['synopsys'], l.type);
    assert.ok(l.description.trim().length > 0, `${l.type}: no description`);
    assert.ok(l.description.endsWith('.'), `${l.type}: the description does not end with a period`);
    for (const p of l.params) assert.match(p, /^[a-z0-9_]+_param$/, `${l.type}: ${p}`);
    for (const c of [l.bottoms, l.tops]) if (c?.max !== undefined) assert.ok(c.min <= c.max, l.type);
  }
});

test("Synopsys' layer types are part of the fork table and found under the synopsys fork", () => {
  for (const l of SYNOPSYS) assert.ok(FORK_LAYER_TYPES.includes(l), `${l.type} is not in FORK_LAYER_TYPES`);
  for (const type of ['HardSwish', 'SpaceToBatchND', 'Permute']) {
    const entry = SYNOPSYS.find((l) => l.type === type);
    assert.ok(entry, type);
    assert.equal(findLayerType(type, 'synopsys'), entry, type);
  }
  assert.deepEqual(findLayerType('SpaceToBatchND', 'synopsys')?.params, ['space_to_batch_nd_param']);
  assert.deepEqual(findLayerType('HardSwish', 'synopsys')?.bottoms, { min: 1, max: 1 });
  // AtanLayer declares `ExactBottomBlobs`, which Caffe never calls: no bottom count.
  assert.equal(findLayerType('Atan', 'synopsys')?.bottoms, undefined);
  // Another fork's entry for a type Synopsys also registers stays that fork's.
  assert.notEqual(findLayerType('Permute', 'ssd'), findLayerType('Permute', 'synopsys'));
  assert.equal(findLayerType('HardSwish', 'ssd'), undefined);
});

test('a Synopsys table pairs each layer with the description after it', () => {
  const [entry] = synopsysTable([layer('X', ['x_param'], { min: 1, max: 1 }), 'Does x.']);
  assert.deepEqual(entry, {
    type: 'X',
    description: 'Does x.',
    params: ['x_param'],
    forks: ['synopsys'],
    bottoms: { min: 1, max: 1 },
  });
  assert.throws(() => synopsysTable([layer('X'), layer('Y'), 'Does y.']), /entry 0/);
  assert.throws(() => synopsysTable([layer('X')]), /entry 0/);
});
