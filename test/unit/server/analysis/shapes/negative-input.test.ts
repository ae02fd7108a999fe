// A legacy input (`input:` with `input_dim`s or an `input_shape`) with a negative dim: Caffe makes it
// an Input layer, whose blob refuses the shape. One error, on the shape, and nothing said downstream.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../../../../server/src/analysis/analyze';
import { parse } from '../../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../../server/src/schema/bundled';
import { assertCaffeRefuses } from '../../../../helpers/pycaffe-nets';
import { has } from '../../../../helpers/resources';

const RELU = 'layer { name: "r" type: "ReLU" bottom: "data" top: "r" }\n';

const CASES = [
  {
    what: 'four input_dims, one negative',
    text: `input: "data"\ninput_dim: 1\ninput_dim: -1\ninput_dim: 8\ninput_dim: 8\n${RELU}`,
    caffe: 'Check failed: shape[i] >= 0',
    at: 'input_dim: 1',
  },
  {
    what: 'an input_shape with a negative dim',
    text: `input: "data"\ninput_shape { dim: 2 dim: -3 }\n${RELU}`,
    caffe: 'Check failed: shape[i] >= 0',
    at: 'input_shape',
  },
  { what: 'an input_shape of positive dims', text: `input: "data"\ninput_shape { dim: 2 dim: 3 }\n${RELU}` },
];

test('a negative dim of a legacy input is one error, on its shape', () => {
  const schema = loadBundledSchema();
  for (const c of CASES) {
    const errors = analyze(c.text, parse(c.text), { schema, schemaKind: 'user' }).diagnostics.filter(
      (d) => d.severity === 'error',
    );
    if (c.caffe === undefined) {
      assert.deepEqual(errors, [], c.what);
      continue;
    }
    assert.equal(errors.length, 1, `${c.what}: ${JSON.stringify(errors)}`);
    assert.equal(errors[0].code, 'shape-invalid');
    assert.ok(errors[0].message.includes(`("${c.caffe}")`), errors[0].message);
    assert.match(errors[0].message, /^input 'data' would be .*-.*: a dim cannot be negative/);
    assert.equal(errors[0].start, c.text.indexOf(c.at), c.what);
  }
});

test('caffe.Net refuses exactly these nets, in the same words', (t) => {
  if (!has(t, 'pycaffe')) return;
  assertCaffeRefuses(CASES, (c) => c.text, 'TEST');
});
