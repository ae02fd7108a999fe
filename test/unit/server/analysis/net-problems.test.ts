// A net evaluated in one exact state: the blob graph and the shape errors Caffe would meet there,
// including those of states the checks do not try (several stages at once, a level).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNet } from '../../../../server/src/analysis/model/net';
import { netProblemsIn, problemKey } from '../../../../server/src/analysis/net-problems';
import { parse } from '../../../../server/src/parser/parse';

const NET = `name: "stages"
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 2 dim: 6 } } }
layer { name: "ab" type: "ReLU" bottom: "missing" top: "y" include { stage: "a" stage: "b" } }
layer { name: "deep" type: "Reshape" bottom: "data" top: "r" reshape_param { shape { dim: 5 dim: -1 } }
  include { min_level: 2 } }
layer { name: "train_only" type: "Input" top: "nothing" include { phase: TRAIN stage: "never" } }
`;

const codes = (state: Parameters<typeof netProblemsIn>[1]) =>
  (netProblemsIn({ net: buildNet(parse(NET)) }, state) ?? []).map((d) => `${d.code} ${d.message}`);

test('a layer kept only with two stages at once: its missing bottom appears in that state alone', () => {
  assert.deepEqual(codes({ phase: 'TRAIN', level: 0, stages: [] }), []);
  assert.deepEqual(codes({ phase: 'TRAIN', level: 0, stages: ['a'] }), []);
  const [found] = codes({ phase: 'TRAIN', level: 0, stages: ['a', 'b'] });
  assert.match(found, /^undefined-bottom Bottom blob "missing" of layer "ab" is not produced/);
  assert.match(found, /when built in TRAIN with stages "a", "b"/);
});

test('a layer kept from a level on: its shape error appears at that level', () => {
  assert.deepEqual(codes({ phase: 'TEST', level: 1, stages: [] }), []);
  const found = codes({ phase: 'TEST', level: 2, stages: [] });
  assert.equal(found.length, 1);
  assert.match(found[0], /^reshape-count /);
});

test('a state in which nothing makes data is not checked; keys match one problem across states', () => {
  const empty = buildNet(parse('layer { name: "r" type: "ReLU" bottom: "x" top: "y" }\n'));
  assert.equal(netProblemsIn({ net: empty }, { phase: 'TRAIN', level: 0, stages: [] }), undefined);
  const net = buildNet(parse(NET));
  const a = netProblemsIn({ net }, { phase: 'TRAIN', level: 0, stages: ['a', 'b'] })!;
  const b = netProblemsIn({ net }, { phase: 'TEST', level: 0, stages: ['b', 'a'] })!;
  assert.equal(problemKey(a[0]), problemKey(b[0]));
  assert.notEqual(a[0].message, b[0].message);
});
