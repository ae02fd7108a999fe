// One error for one cause: shape rules describe BVLC's layers, so a layer whose parameters hold a field
// BVLC lacks (a fork's option, or a misspelt name) or a value validation rejects gets unknown tops,
// never a second, shape error; true shape errors Caffe raises stay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../../../server/src/analysis/analyze';
import { parse } from '../../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../../server/src/schema/bundled';
import type { SchemaData } from '../../../../../server/src/schema/model';
import { Schema } from '../../../../../server/src/schema/schema';
import { check, checkBundled, codes } from '../checks/helpers';

const INPUTS = `layer { name: "a" type: "Input" top: "a" input_param { shape { dim: 32 dim: 16 dim: 38 dim: 38 } } }
layer { name: "b" type: "Input" top: "b" input_param { shape { dim: 32 dim: 24 dim: 19 dim: 19 } } }
`;

/** BVLC's schema with one more ConcatParameter field, as Intel's fork has it. */
function forkSchema(): Schema {
  const bvlc = loadBundledSchema();
  const data = structuredClone(bvlc.data) as SchemaData;
  const concat = data.messages.find((m) => m.fullName === 'caffe.ConcatParameter');
  assert.ok(concat);
  concat.fields.push({ name: 'per_fla_fuse', number: 99, label: 'optional', kind: 'scalar', type: 'bool' });
  return new Schema(data, { kind: 'user', label: 'fork' });
}

test("a Concat with a fork's field (per_fla_fuse) under the fork's schema: unknown tops, no shape error", () => {
  const text =
    INPUTS +
    'layer { name: "mbox_loc" type: "Concat" bottom: "a" bottom: "b" top: "mbox_loc" concat_param { axis: 1 per_fla_fuse: true } }\n' +
    'layer { name: "after" type: "ReLU" bottom: "mbox_loc" top: "after" }\n';
  const analysis = analyze(text, parse(text), { schema: forkSchema(), schemaKind: 'user' });
  assert.deepEqual(
    analysis.diagnostics.map((d) => d.code),
    [],
  );
  const layer = analysis.shapes.TRAIN?.layers.find((l) => l.layer.name === 'mbox_loc');
  assert.equal(layer?.status, 'unread-params');
  assert.equal(analysis.shapes.TRAIN?.blobs.get('after'), null);
  // Without the fork's field the same bottoms are a true mismatch.
  const plain = text.replace(' per_fla_fuse: true', '');
  assert.deepEqual(codes(check(plain), 'shape-mismatch'), ['3:15 shape-mismatch']);
});

test('a misspelt num_output is one error: no "num_output must be positive" beside it', () => {
  const text =
    INPUTS +
    'layer { name: "c" type: "Convolution" bottom: "a" top: "c" convolution_param { num_ouput: 16 kernel_size: 3 } }\n';
  assert.deepEqual(codes(check(text)), ['3:80 unknown-field']);
});

test('a misspelt field of the layer itself is one error: no set-up or shape error the misspelling caused', () => {
  // The parameter block's name, then a bottom: what Caffe would check of the layer hangs on them.
  const text =
    INPUTS +
    'layer { name: "c" type: "Convolution" bottom: "a" top: "c" convolution_parm { num_output: 16 kernel_size: 3 } }\n' +
    'layer { name: "p" type: "Pooling" botom: "c" top: "p" pooling_param { kernel_size: 2 } }\n' +
    'layer { name: "r" type: "ReLU" bottom: "p" top: "r" }\n';
  assert.deepEqual(codes(check(text)), ['3:60 unknown-field', '4:35 unknown-field']);
  const analysis = analyze(text, parse(text), { schema: loadBundledSchema(), schemaKind: 'bundled' });
  const conv = analysis.shapes.TRAIN?.layers.find((l) => l.layer.name === 'c');
  assert.equal(conv?.status, 'unread-params');
  assert.equal(analysis.shapes.TRAIN?.blobs.get('r'), null);
  // Spelt right, the same layers are checked as usual: a Pooling without its bottom is Caffe's error.
  const right = text.replace('convolution_parm', 'convolution_param').replace('botom', 'bottom');
  assert.deepEqual(codes(check(right)), []);
  assert.deepEqual(codes(check(right.replace('bottom: "c" ', ''))), ['4:25 blob-count']);
});

test("a fork's field of the layer under BVLC's schema keeps the layer checked (not a misspelling)", () => {
  // NVIDIA Caffe's forward_type: a warning naming the fork; the shape rule still runs.
  const text =
    INPUTS +
    'layer { name: "c" type: "Convolution" bottom: "a" top: "c" forward_type: FLOAT16 convolution_param { kernel_size: 3 } }\n';
  assert.deepEqual(codes(checkBundled(text)), ['3:60 fork-field', '3:82 shape-invalid']);
});

test('V0 and V1 layers: a field their message lacks is one error', () => {
  const v0 =
    'input: "data"\ninput_dim: 1\ninput_dim: 3\ninput_dim: 8\ninput_dim: 8\n' +
    'layers { layer { name: "c" type: "conv" bottom: "data" conv_param { num_output: 4 } } top: "c" }\n';
  assert.deepEqual(
    codes(check(v0)).filter((c) => !c.endsWith('deprecated-format')),
    ['6:41 unknown-field', '6:56 unknown-field'],
  );
  const v1 =
    'input: "data"\ninput_dim: 1\ninput_dim: 3\ninput_dim: 8\ninput_dim: 8\n' +
    'layers { name: "p" type: POOLING botom: "data" top: "p" pooling_param { kernel_size: 2 } }\n';
  assert.deepEqual(
    codes(check(v1)).filter((c) => !c.endsWith('deprecated-format')),
    ['6:34 unknown-field'],
  );
});

test('a placeholder or out-of-range value is one error at its spot', () => {
  for (const value of ['NUM_CLASSES', '"{{n}}"', '-10', '2.5', '${K}', '{{ n }}', '$(N)', '@N@']) {
    const text =
      INPUTS +
      `layer { name: "ip" type: "InnerProduct" bottom: "a" top: "ip" inner_product_param { num_output: ${value} } }\n`;
    const found = check(text);
    assert.equal(found.length, 1, `${value}: ${JSON.stringify(found)}`);
    assert.notEqual(found[0].code.slice(0, 6), 'shape-', value);
  }
});

test('a Reshape whose -1 cannot divide the count stays an error (Caffe refuses it)', () => {
  const text =
    INPUTS +
    'layer { name: "r" type: "Reshape" bottom: "a" top: "r" reshape_param { shape { dim: 0 dim: -1 dim: 7 } } }\n';
  const found = check(text).filter((f) => f.severity === 'error');
  assert.deepEqual(
    found.map((f) => f.code),
    ['reshape-count'],
  );
});

test('integer types take "a" or "an" as said aloud: a uint32, an int64', () => {
  const uint = check('layer { name: "d" type: "Data" top: "d" data_param { batch_size: -1 } }\n');
  assert.match(uint.find((f) => f.code === 'out-of-range')?.message ?? '', /"batch_size" is a uint32 \(/);
  const int64 = check('input: "x"\ninput_shape { dim: 1.5 dim: many }\n');
  assert.deepEqual(
    int64.map((f) => f.message),
    [
      'Couldn\'t parse integer: 1.5. "dim" is an int64: write a whole number.',
      'Couldn\'t parse integer: many. "dim" takes an int64.',
    ],
  );
});

test("a template's placeholders anywhere in a net: one error each, nothing else", () => {
  const text = `name: \${NAME}
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: \${N} dim: 3 dim: 224 dim: 224 } } }
layer { name: \${L} type: \${TYPE} bottom: "data" top: "c1" }
layer { name: "c2" type: "Convolution" bottom: \${IN} top: "c2" convolution_param { num_output: 8 kernel_size: {{k}} } }
layer { name: "c3" type: "Convolution" bottom: "data" top: "c3" convolution_param { num_output: $K kernel_size: 3 } }
layer { name: "r" type: "ReLU" bottom: "c2" top: "c2" }
`;
  assert.deepEqual(codes(check(text)), [
    '1:7 syntax',
    '2:75 syntax',
    '3:15 syntax',
    '3:26 syntax',
    '4:48 syntax',
    '4:111 syntax',
    '5:97 syntax',
  ]);
});
