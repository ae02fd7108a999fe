// Parameter blobs shared by name between layers: the shapes (or, with share_mode: PERMISSIVE, the
// counts) and the lr_mult / decay_mult Net::Init requires to agree. Each case is checked against what
// caffe.Net refuses, in its words.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../../../server/src/analysis/analyze';
import { parse } from '../../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../../server/src/schema/bundled';
import { assertCaffeRefuses } from '../../../../helpers/pycaffe-nets';
import { has } from '../../../../helpers/resources';

const schema = loadBundledSchema();

const INPUTS = `name: "shared"
layer { name: "in" type: "Input" top: "x" top: "y" top: "g"
  input_param { shape { dim: 2 dim: 3 dim: 6 dim: 6 } shape { dim: 2 dim: 3 dim: 6 dim: 6 } shape { dim: 2 dim: 1 dim: 6 dim: 6 } } }
`;

interface Case {
  what: string;
  layers: string;
  /** Caffe's own words when it refuses the net; undefined when it builds it. */
  caffe?: string;
  /** Where the error is: the `nth` (default 1) occurrence of this text after the inputs. */
  at?: string;
  nth?: number;
}

const conv = (name: string, bottom: string, specs: string, outputs = 4) =>
  `layer { name: "${name}" type: "Convolution" bottom: "${bottom}" top: "${name}" ${specs} ` +
  `convolution_param { num_output: ${outputs} kernel_size: 3 } }\n`;
const ip = (name: string, bottom: string, specs: string, extra = '') =>
  `layer { name: "${name}" type: "InnerProduct" bottom: "${bottom}" top: "${name}" ${specs} ` +
  `inner_product_param { num_output: 5 ${extra} } }\n`;

const CASES: Case[] = [
  {
    what: 'two branches share a convolution of the same shape',
    layers:
      conv('a', 'x', 'param { name: "w" lr_mult: 1 } param { name: "b" lr_mult: 2 }') +
      conv('b', 'y', 'param { name: "w" lr_mult: 1 } param { name: "b" lr_mult: 2 }'),
  },
  {
    what: 'a branch of other input channels',
    layers: conv('a', 'x', 'param { name: "w" }') + conv('b', 'g', 'param { name: "w" }'),
    caffe: "Cannot share param 'w' owned by layer 'a' with layer 'b'; shape mismatch.",
    at: '"w"',
    nth: 2,
  },
  {
    what: 'a branch of other num_output: the bias differs too, the weights first',
    layers:
      conv('a', 'x', 'param { name: "w" } param { name: "b" }') +
      conv('b', 'y', 'param { name: "w" } param { name: "b" }', 8),
    caffe: "Cannot share param 'w' owned by layer 'a' with layer 'b'; shape mismatch.",
    at: '"w"',
    nth: 2,
  },
  {
    what: 'weights and bias of one layer given one name',
    layers: conv('a', 'x', 'param { name: "w" } param { name: "w" }'),
    caffe: "Cannot share param 'w' owned by layer 'a' with layer 'a'; shape mismatch.",
    at: '"w"',
    nth: 2,
  },
  {
    what: 'transposed inner product: strict shapes differ',
    layers: ip('a', 'x', 'param { name: "w" }') + ip('b', 'y', 'param { name: "w" }', 'transpose: true'),
    caffe: "Cannot share param 'w' owned by layer 'a' with layer 'b'; shape mismatch.",
    at: '"w"',
    nth: 2,
  },
  {
    what: 'transposed inner product, PERMISSIVE: the counts agree',
    layers:
      ip('a', 'x', 'param { name: "w" }') +
      ip('b', 'y', 'param { name: "w" share_mode: PERMISSIVE }', 'transpose: true'),
  },
  {
    what: 'inner product of other inputs, PERMISSIVE: the counts differ',
    layers: ip('a', 'x', 'param { name: "w" }') + ip('b', 'g', 'param { name: "w" share_mode: PERMISSIVE }'),
    caffe: "Cannot share param 'w' owned by layer 'a' with layer 'b'; count mismatch.",
    at: '"w"',
    nth: 2,
  },
  {
    what: 'lr_mult written by the owner only',
    layers: conv('a', 'x', 'param { name: "w" lr_mult: 3 }') + conv('b', 'y', 'param { name: "w" }'),
  },
  {
    what: 'another lr_mult for the shared blob',
    layers:
      conv('a', 'x', 'param { name: "w" lr_mult: 1 }') + conv('b', 'y', 'param { name: "w" lr_mult: 2 }'),
    caffe: "Shared param 'w' has mismatched lr_mult.",
    at: 'lr_mult: 2',
  },
  {
    what: 'the first lr_mult written by a sharer, another by the next',
    layers:
      conv('a', 'x', 'param { name: "w" }') +
      conv('b', 'y', 'param { name: "w" lr_mult: 2 }') +
      conv('c', 'y', 'param { name: "w" lr_mult: 5 }'),
    caffe: "Shared param 'w' has mismatched lr_mult.",
    at: 'lr_mult: 5',
  },
  {
    what: 'another decay_mult for the shared blob',
    layers:
      conv('a', 'x', 'param { name: "w" decay_mult: 1 }') +
      conv('b', 'y', 'param { name: "w" decay_mult: 0 }'),
    caffe: "Shared param 'w' has mismatched decay_mult.",
    at: 'decay_mult: 0',
  },
  {
    what: 'BatchNorm statistics shared across inputs of other channels',
    layers:
      'layer { name: "a" type: "BatchNorm" bottom: "x" top: "a" param { name: "m" } param { name: "v" } param { name: "f" } }\n' +
      'layer { name: "b" type: "BatchNorm" bottom: "g" top: "b" param { name: "m" } param { name: "v" } param { name: "f" } }\n',
    caffe: "Cannot share param 'm' owned by layer 'a' with layer 'b'; shape mismatch.",
    at: '"m"',
    nth: 2,
  },
  {
    what: 'Scale of the same channels shared',
    layers:
      'layer { name: "a" type: "Scale" bottom: "x" top: "a" param { name: "s" } }\n' +
      'layer { name: "b" type: "Scale" bottom: "y" top: "b" param { name: "s" } }\n',
  },
];

function netOf(c: Case): string {
  return `${INPUTS}${c.layers}`;
}

function shareProblems(text: string) {
  return analyze(text, parse(text), { schema, schemaKind: 'bundled' }).diagnostics.filter((d) =>
    ['param-share', 'shape-invalid', 'param-count', 'blob-count'].includes(d.code ?? ''),
  );
}

for (const c of CASES) {
  test(`${c.what}: ${c.caffe ? "an error in Caffe's words" : 'no problem'}`, () => {
    const text = netOf(c);
    const problems = shareProblems(text);
    if (c.caffe === undefined) {
      assert.deepEqual(problems, []);
      return;
    }
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.equal(problems[0].severity, 'error');
    assert.equal(problems[0].code, 'param-share');
    assert.ok(problems[0].message.includes(`("${c.caffe}")`), problems[0].message);
    const field = c.at?.includes(': ') ? c.at.slice(0, c.at.indexOf(': ') + 2) : '';
    let at = text.indexOf(c.at as string, INPUTS.length);
    for (let n = 1; n < (c.nth ?? 1); n++) at = text.indexOf(c.at as string, at + 1);
    assert.equal(
      problems[0].start,
      at + field.length,
      `placed at ${text.slice(problems[0].start, problems[0].end)}`,
    );
  });
}

test('caffe.Net refuses exactly the nets reported here, with the same words', (t) => {
  if (!has(t, 'pycaffe')) return;
  assertCaffeRefuses(CASES, netOf);
});

test('a name shared across phases is judged in each phase alone', () => {
  // The TRAIN and TEST branches never meet in one net, so their shapes may differ.
  const text =
    INPUTS +
    conv('a', 'x', 'param { name: "w" } include { phase: TRAIN }') +
    conv('b', 'g', 'param { name: "w" } include { phase: TEST }');
  assert.deepEqual(shareProblems(text), []);
});
