// A Dropout ratio training cannot run with: Caffe builds the layer, and the first forward pass in
// TRAIN stops on it (above 1, below 0) or makes NaN of every value (exactly 1, as a float). Each case
// is run through the real Caffe's forward pass in TRAIN (and built in TEST, which copies through).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../../../server/src/analysis/analyze';
import { parse } from '../../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../../server/src/schema/bundled';
import { buildWithPycaffe } from '../../../../helpers/pycaffe-nets';
import { needs } from '../../../../helpers/resources';

const schema = loadBundledSchema();

const v2 = (ratio: string) => `name: "drop"
layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 2 dim: 3 } } }
layer { name: "drop" type: "Dropout" bottom: "x" top: "y" dropout_param { dropout_ratio: ${ratio} } }
`;
const v1 = (ratio: string) => `name: "drop"
input: "x" input_dim: 2 input_dim: 3 input_dim: 1 input_dim: 1
layers { name: "drop" type: DROPOUT bottom: "x" top: "y" dropout_param { dropout_ratio: ${ratio} } }
`;
const v0 = (ratio: string) => `name: "drop"
input: "x" input_dim: 2 input_dim: 3 input_dim: 1 input_dim: 1
layers { layer { name: "drop" type: "dropout" dropout_ratio: ${ratio} } bottom: "x" top: "y" }
`;

interface Case {
  what: string;
  text: string;
  /** What training's first forward pass does: runs, makes NaN of the top, or stops with these words. */
  caffe: 'runs' | 'NaN' | string;
}

const CASES: Case[] = [
  { what: 'the default ratio', text: v2('0.5').replace(/ dropout_param \{[^}]*\}/, ''), caffe: 'runs' },
  { what: 'a ratio of 0.5', text: v2('0.5'), caffe: 'runs' },
  { what: 'a ratio of 0 (drops nothing)', text: v2('0'), caffe: 'runs' },
  { what: 'a ratio just below 1', text: v2('0.999'), caffe: 'runs' },
  { what: 'a ratio of 1', text: v2('1'), caffe: 'NaN' },
  { what: 'a ratio that is 1 as a float', text: v2('0.99999999'), caffe: 'NaN' },
  { what: 'a ratio above 1', text: v2('1.5'), caffe: 'Check failed: p >= 0' },
  { what: 'a ratio of 5 (0.5 meant)', text: v2('5'), caffe: 'Check failed: p >= 0' },
  { what: 'a negative ratio', text: v2('-0.5'), caffe: 'Check failed: p <= 1' },
  { what: 'a V1 layer', text: v1('2'), caffe: 'Check failed: p >= 0' },
  { what: 'a V0 layer', text: v0('2'), caffe: 'Check failed: p >= 0' },
  { what: 'a V0 layer with a ratio of 1', text: v0('1'), caffe: 'NaN' },
];

function problems(text: string) {
  return analyze(text, parse(text), { schema, schemaKind: 'bundled' }).diagnostics.filter(
    (d) => d.code === 'train-forward',
  );
}

for (const c of CASES) {
  test(`dropout ratio: ${c.what}`, () => {
    const found = problems(c.text);
    if (c.caffe === 'runs') {
      assert.deepEqual(found, []);
      return;
    }
    assert.equal(found.length, 1);
    const [d] = found;
    // On the ratio's value, told for TRAIN only (TEST copies the bottom through).
    assert.match(c.text.slice(d.start, d.end), /^-?[\d.]+$/);
    assert.deepEqual(d.phases?.found, ['TRAIN']);
    if (c.caffe === 'NaN') assert.match(d.message, /NaN \(0 × inf\)/);
    else assert.ok(d.message.includes(`"${c.caffe}"`), d.message);
  });
}

test('the messages say what Caffe does and what to write', () => {
  const [nan] = problems(v2('1'));
  assert.equal(
    nan.message,
    "dropout_ratio 1 drops every value and scales what is kept by 1 / (1 - 1) = inf: in training every value of top 'y' is NaN (0 × inf), and so is any loss computed from it. Give a ratio below 1 (the default is 0.5). (in the TRAIN phase)",
  );
  const [stop] = problems(v2('5'));
  assert.equal(
    stop.message,
    'dropout_ratio 5 is not a probability (Dropout drops each value with that probability): training\'s first forward pass stops Caffe as it draws with keep probability 1 - 5 ("Check failed: p >= 0"). Give a ratio in [0, 1) (the default is 0.5). (in the TRAIN phase)',
  );
});

test('a TEST-only Dropout, a placeholder ratio and a fork option say nothing', () => {
  const testOnly = v2('2').replace('top: "y" ', 'top: "y" include { phase: TEST } ');
  assert.deepEqual(problems(testOnly), []);
  assert.deepEqual(problems(v2('RATIO')), []);
  // A fork's Dropout (NVIDIA's engine) may read the ratio otherwise: not judged by BVLC's.
  assert.deepEqual(problems(v2('2 engine: CUDNN')), []);
});

test('a net built only in TEST is not judged; with force_backward, TEST still copies through', () => {
  assert.deepEqual(problems(v2('2').replace('name: "drop"\n', 'name: "drop"\nstate { phase: TEST }\n')), []);
  const forced = problems(v2('2').replace('name: "drop"\n', 'name: "drop"\nforce_backward: true\n'));
  assert.deepEqual(
    forced.map((d) => d.phases?.found),
    [['TRAIN']],
  );
});

test('the real Caffe runs, makes NaN, or stops exactly as told', needs('pycaffe'), () => {
  const train = buildWithPycaffe(
    CASES.map((c) => ({ text: c.text, phase: 'TRAIN' as const, backward: true })),
  );
  const testPhase = buildWithPycaffe(
    CASES.map((c) => ({ text: c.text, phase: 'TEST' as const, backward: true })),
  );
  CASES.forEach((c, i) => {
    const v = train[i];
    if (c.caffe === 'runs' || c.caffe === 'NaN') {
      assert.ok('net' in v, `${c.what}: Caffe stopped: ${'refused' in v ? v.refused : ''}`);
      assert.deepEqual(v.net.nonFinite, c.caffe === 'NaN' ? ['y'] : [], c.what);
    } else {
      assert.ok('refused' in v, `${c.what}: Caffe ran it`);
      assert.ok(v.refused.includes(c.caffe), `${c.what}: Caffe said ${v.refused}`);
    }
    // TEST copies the bottom through, whatever the ratio.
    const t = testPhase[i];
    assert.ok('net' in t && t.net.nonFinite?.length === 0, `${c.what} in TEST`);
  });
});
