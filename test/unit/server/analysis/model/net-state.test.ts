// The state a solver builds a net in, as solver.cpp makes it: the phase, the net's own state merged
// in, then the solver's train_state/test_state (a set phase or level replaces, stages append); and
// the layers FilterNet keeps in exactly that state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNet } from '../../../../../server/src/analysis/model/net';
import {
  defaultState,
  describeState,
  layersInState,
  solverBuildState,
  stateKey,
} from '../../../../../server/src/analysis/model/net-state';
import { parse } from '../../../../../server/src/parser/parse';

const NET = `name: "s"
layer { name: "data" type: "Input" top: "x" }
layer { name: "train" type: "ReLU" bottom: "x" top: "a" include { phase: TRAIN } }
layer { name: "val" type: "ReLU" bottom: "x" top: "b" include { phase: TEST stage: "val" } }
layer { name: "both" type: "ReLU" bottom: "x" top: "c" include { stage: "a" stage: "b" } }
layer { name: "either" type: "ReLU" bottom: "x" top: "d" include { stage: "a" } include { stage: "b" } }
layer { name: "not_deploy" type: "ReLU" bottom: "x" top: "e" exclude { stage: "deploy" } }
layer { name: "level" type: "ReLU" bottom: "x" top: "f" include { min_level: 1 max_level: 2 } }
`;

const kept = (state: Parameters<typeof layersInState>[1]) =>
  layersInState(buildNet(parse(NET)), state).map((l) => l.name);

test('FilterNet in an exact state: phase, every stage of a rule, any include rule, exclude rules, levels', () => {
  assert.deepEqual(kept({ phase: 'TRAIN', level: 0, stages: [] }), ['data', 'train', 'not_deploy']);
  assert.deepEqual(kept({ phase: 'TEST', level: 0, stages: ['val'] }), ['data', 'val', 'not_deploy']);
  assert.deepEqual(kept({ phase: 'TEST', level: 0, stages: ['a'] }), ['data', 'either', 'not_deploy']);
  assert.deepEqual(kept({ phase: 'TEST', level: 0, stages: ['b', 'a'] }), [
    'data',
    'both',
    'either',
    'not_deploy',
  ]);
  assert.deepEqual(kept({ phase: 'TEST', level: 0, stages: ['deploy'] }), ['data']);
  assert.deepEqual(kept({ phase: 'TEST', level: 2, stages: [] }), ['data', 'not_deploy', 'level']);
  assert.deepEqual(kept({ phase: 'TEST', level: 3, stages: [] }), ['data', 'not_deploy']);
});

test('a solver state: the net own state is merged first, then the solver', () => {
  const own = { stages: ['deploy'] };
  assert.deepEqual(solverBuildState('TRAIN', own), { phase: 'TRAIN', level: 0, stages: ['deploy'] });
  assert.deepEqual(solverBuildState('TEST', { stages: [], level: 3 }, { stages: ['val'] }), {
    phase: 'TEST',
    level: 3,
    stages: ['val'],
  });
  assert.deepEqual(solverBuildState('TEST', { stages: ['x'], level: 3 }, { stages: ['y'], level: 1 }), {
    phase: 'TEST',
    level: 1,
    stages: ['x', 'y'],
  });
  // A net that sets its own phase is built in it, whatever net the solver makes of it.
  assert.equal(solverBuildState('TRAIN', { phase: 'TEST', stages: [] }).phase, 'TEST');
  assert.deepEqual(defaultState('TEST', { stages: [] }), { phase: 'TEST', level: 0, stages: [] });
});

test('states compare by phase, level and the set of stages; they read as words', () => {
  const a = { phase: 'TEST' as const, level: 0, stages: ['a', 'b'] };
  assert.equal(stateKey(a), stateKey({ ...a, stages: ['b', 'a', 'a'] }));
  assert.notEqual(stateKey(a), stateKey({ ...a, level: 1 }));
  assert.notEqual(stateKey(a), stateKey({ ...a, phase: 'TRAIN' }));
  assert.equal(describeState({ phase: 'TRAIN', level: 0, stages: [] }), 'TRAIN');
  assert.equal(describeState({ phase: 'TEST', level: 0, stages: ['val'] }), 'TEST with stage "val"');
  assert.equal(describeState({ ...a, level: 2 }), 'TEST with stages "a", "b" at level 2');
});
