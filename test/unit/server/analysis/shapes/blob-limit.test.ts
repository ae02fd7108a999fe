// A blob of more than INT_MAX values stops Caffe (Blob::Reshape's CHECK): a top or a parameter blob
// past it is an error of the layer that makes it, and the layers after a top past it are not judged.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../../../../server/src/analysis/analyze';
import { parse } from '../../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../../server/src/schema/bundled';
import { bundledForkSchemas } from '../../../../../server/src/workspace/bundled-choices';
import { buildWithPycaffe } from '../../../../helpers/pycaffe-nets';
import { has } from '../../../../helpers/resources';

const net = (batch: number, conv: string, ip: string) => `name: "big"
layer { name: "d" type: "Input" top: "d" input_param { shape { dim: ${batch} dim: 64 dim: 32 dim: 32 } } }
layer { name: "c" type: "Convolution" bottom: "d" top: "c" convolution_param { ${conv} } }
layer { name: "r" type: "ReLU" bottom: "c" top: "c" }
layer { name: "ip" type: "InnerProduct" bottom: "c" top: "ip" inner_product_param { ${ip} } }
`;

const TOO_MANY_TOPS = net(100, 'num_output: 100000 kernel_size: 5 pad: 2', 'num_output: 10');
const TOO_MANY_WEIGHTS = net(1, 'num_output: 64 kernel_size: 3 pad: 1', 'num_output: 40000');

function errorsOf(text: string) {
  const found = analyze(text, parse(text), { schema: loadBundledSchema(), schemaKind: 'user' }).diagnostics;
  return found
    .filter((d) => d.severity === 'error')
    .map((d) => ({ at: text.slice(d.start, d.end), message: d.message }));
}

test('a top of more than INT_MAX values: one error on it, nothing after it', () => {
  const [error, ...rest] = errorsOf(TOO_MANY_TOPS);
  assert.deepEqual(rest, []);
  assert.equal(error.at, '"c"');
  assert.equal(
    error.message,
    `top 'c' would be 100×100000×32×32, 10,240,000,000 values: more than a Caffe blob holds (2,147,483,647), so Caffe stops ("blob size exceeds INT_MAX")`,
  );
});

test('a parameter blob of more than INT_MAX values: an error of its layer', () => {
  const [error, ...rest] = errorsOf(TOO_MANY_WEIGHTS);
  assert.deepEqual(rest, []);
  assert.match(error.message, /^layer 'ip' would make parameter blob 0 as 40000×65536, 2,621,440,000 values/);
});

test('up to INT_MAX values is a blob Caffe makes', () => {
  // 1×65536 inputs: 32767 outputs make 2,147,418,112 weights, just below the limit.
  assert.deepEqual(errorsOf(net(1, 'num_output: 64 kernel_size: 3 pad: 1', 'num_output: 32767')), []);
  // 2 × 64 × 128 × 131072 = 2^31 values in one top: one past the limit.
  const top = net(2, 'num_output: 64 kernel_size: 1', 'num_output: 10').replace(
    'dim: 32 dim: 32',
    'dim: 128 dim: 131072',
  );
  assert.match(errorsOf(top)[0]?.message ?? '', /2,147,483,648 values/);
});

test("NVIDIA's Caffe divides batch_size over its GPUs: a top too large for one is a warning naming how many it takes", () => {
  for (const nvidia of ['default_forward_type: FLOAT16\n', '']) {
    const text =
      nvidia +
      TOO_MANY_TOPS.replace(
        'name: "r" type: "ReLU"',
        `name: "r" type: "ReLU"${nvidia ? '' : ' forward_type: FLOAT16'}`,
      );
    const found = analyze(text, parse(text), {
      schema: loadBundledSchema(),
      schemaKind: 'bundled',
      forks: bundledForkSchemas(),
    }).diagnostics.filter((d) => d.code === 'shape-invalid');
    // Once (on enough GPUs the later blobs fit too), and the shapes go on.
    assert.deepEqual(
      found.map((d) => [d.severity, text.slice(d.start, d.end)]),
      [['warning', '"c"']],
    );
    assert.match(
      found[0].message,
      /on one GPU: NVIDIA's Caffe divides batch_size over its GPUs, so this net takes 5 or more of them/,
    );
  }
});

test('caffe.Net stops at both, in the same words', (t) => {
  if (!has(t, 'pycaffe')) return;
  const verdicts = buildWithPycaffe([
    { text: TOO_MANY_TOPS, phase: 'TEST' },
    { text: TOO_MANY_WEIGHTS, phase: 'TEST' },
  ]);
  for (const v of verdicts) {
    assert.ok('refused' in v, 'Caffe built it');
    assert.match(v.refused, /blob size exceeds INT_MAX/);
  }
});
