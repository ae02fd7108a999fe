// A net that writes both `layer` and `layers`: Caffe's upgrade of the `layers` refuses it, whichever
// comes first, in a net file or in a solver's net. Each case is checked against caffe.Net, and so is
// the net the upgrade (the quick fix) writes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../../../server/src/analysis/analyze';
import { upgradeNet } from '../../../../../server/src/analysis/transforms/upgrade';
import { parse } from '../../../../../server/src/parser/parse';
import { loadBundledFork, loadBundledSchema } from '../../../../../server/src/schema/bundled';
import { buildWithPycaffe } from '../../../../helpers/pycaffe-nets';
import { has } from '../../../../helpers/resources';

const schema = loadBundledSchema();

const INPUT =
  'layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 1 dim: 2 dim: 1 dim: 1 } } }\n';
const V2_RELU = 'layer { name: "r2" type: "ReLU" bottom: "x" top: "x" }\n';
const V1_RELU = 'layers { name: "r1" type: RELU bottom: "x" top: "x" }\n';
const V0_RELU = 'layers { layer { name: "r0" type: "relu" } bottom: "x" top: "x" }\n';
const V1_INPUT = 'input: "x"\ninput_dim: 1\ninput_dim: 2\ninput_dim: 1\ninput_dim: 1\n';

const MIXED = {
  'a V1 layer after a current one': INPUT + V1_RELU + V2_RELU,
  'a current layer after V1 ones': V1_INPUT + V1_RELU + V2_RELU,
  'a current layer after a V0 one': V1_INPUT + V0_RELU + V2_RELU,
  'a V0 layer after a current one': INPUT + V0_RELU,
};

function diagnostics(text: string) {
  return analyze(text, parse(text), { schema, schemaKind: 'bundled' }).diagnostics;
}

for (const [what, text] of Object.entries(MIXED)) {
  test(`mixed formats, ${what}: one error on the first "layers", the first "layer" beside it`, () => {
    const found = diagnostics(text);
    assert.deepEqual(
      found.map((d) => d.code),
      ['mixed-format'],
      JSON.stringify(found),
    );
    const [d] = found;
    assert.equal(d.severity, 'error');
    assert.equal(text.slice(d.start, d.end), 'layers');
    assert.equal(d.start, text.indexOf('layers'));
    // The first `layer` of the net (not one inside a V0 `layers`).
    const layer = text.search(/^layer \{/m);
    assert.deepEqual(d.related, [{ start: layer, end: layer + 5, message: 'a "layer" field' }]);
    // Caffe's words where its upgrade refuses the mix (V1); what its V0 upgrade does (V0). The quick
    // fix named only where the upgrade writes the layers (V1, not V0).
    const v0 = text.includes(V0_RELU);
    assert.match(
      d.message,
      v0
        ? /Caffe's upgrade of its V0 "layers" drops every "layer" block \(or stops at a bottom only one of them makes\)/
        : /Caffe refuses to load it \("Refusing to upgrade inconsistent NetParameter input/,
    );
    assert.equal(/quick fix/.test(d.message), !v0);
  });
}

test('mixed formats under a Caffe before the Input layer: its upgrade drops the layer blocks', () => {
  // py-faster-rcnn's Caffe (2015): UpgradeV1Net logs and goes on without them.
  const fastrcnn = loadBundledFork('fastrcnn');
  assert.ok(fastrcnn);
  const text = MIXED['a current layer after V1 ones'];
  const found = analyze(text, parse(text), { schema: fastrcnn, schemaKind: 'user' }).diagnostics;
  assert.deepEqual(
    found.map((d) => [d.code, d.severity, d.start]),
    [['mixed-format', 'error', text.indexOf('layers')]],
  );
  assert.equal(
    found[0].message,
    'This net has both "layer" and "layers" fields: this Caffe\'s upgrade of its "layers" drops every "layer" block and builds the net without them ("Input NetParameter to be upgraded already specifies \'layer\' fields; these will be ignored for the upgrade."). Write its "layers" in the "layer" format (the quick fix does, or caffe-prototxt upgrade FILE).',
  );
});

test("mixed formats in a solver's net_param; a net of one format is not mixed", () => {
  const solver = `base_lr: 0.01\nlr_policy: "fixed"\nnet_param {\n${INPUT}${V1_RELU}}\n`;
  const found = diagnostics(solver).filter((d) => d.code === 'mixed-format');
  assert.equal(found.length, 1);
  assert.equal(found[0].start, solver.indexOf('layers'));
  assert.deepEqual(
    diagnostics(V1_INPUT + V1_RELU).map((d) => d.code),
    ['deprecated-format'],
  );
  assert.deepEqual(diagnostics(INPUT + V2_RELU), []);
});

test('caffe.Net refuses every mixed net (or drops its layer blocks), and builds the upgraded ones', (t) => {
  if (!has(t, 'pycaffe')) return;
  const texts = Object.values(MIXED);
  const upgraded = texts.flatMap((text) => upgradeNet(text, { indent: '  ' }, schema).text ?? []);
  // The upgrade writes the V1 mixes; it moves V0 layers, so it leaves the V0 ones to the user.
  assert.equal(upgraded.length, 2);
  for (const text of upgraded) assert.deepEqual(diagnostics(text), []);
  const verdicts = buildWithPycaffe(
    [...texts, ...upgraded].map((text) => ({ text, phase: 'TEST' as const })),
  );
  // V1: the upgrade refuses the mix. V0: the V0 upgrade keeps `layers` alone, so the net is built
  // without its `layer` blocks, or stops at a bottom only one of them makes.
  const [v1After, v1Before, v0Before, v0After] = verdicts;
  for (const v of [v1After, v1Before]) {
    assert.ok('refused' in v, JSON.stringify(v));
    assert.match(v.refused, /Refusing to upgrade inconsistent NetParameter input/);
  }
  assert.ok('net' in v0Before, JSON.stringify(v0Before));
  assert.deepEqual(
    v0Before.net.layers.map(([name]) => name),
    ['input', 'r0'],
  );
  assert.ok('refused' in v0After, JSON.stringify(v0After));
  assert.match(v0After.refused, /Unknown blob input x to layer 0/);
  for (const v of verdicts.slice(texts.length)) {
    assert.ok('net' in v, 'refused' in v ? v.refused : '');
    assert.deepEqual(v.net.blobs.x, [1, 2, 1, 1]);
    assert.deepEqual(
      v.net.layers.map(([, type]) => type),
      ['Input', 'ReLU', 'ReLU'],
    );
  }
});
