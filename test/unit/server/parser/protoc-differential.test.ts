// protoc as the judge of what protobuf reads: a net with one character (or a pair of them) put in at
// a random place, ASCII or not, is rejected by protoc exactly when the engine reports a problem that
// protobuf's own parser has (syntax, unknown names, values of the wrong kind or range). Caffe's own
// rules on top (undefined bottoms, shapes) are not protobuf's and are left out of the comparison.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { analyze } from '../../../../server/src/analysis/analyze';
import { parse } from '../../../../server/src/parser/parse';
import { schemaFromProtoText } from '../../../../server/src/schema/user-proto';
import { readFileSync } from 'node:fs';
import { corpusDir, has } from '../../../helpers/resources';

/** Codes of the problems protobuf's text-format parser has too (`not-prototxt` is told only of a file that does not parse). */
const PROTOBUF_CODES = new Set([
  'syntax',
  'unknown-field',
  'unknown-enum-value',
  'expected-bool',
  'expected-colon',
  'expected-enum',
  'expected-integer',
  'expected-message',
  'expected-number',
  'expected-scalar',
  'expected-string',
  'out-of-range',
  'duplicate-field',
  'missing-required',
  'not-prototxt',
]);

/** A net of the common forms, and one of the rarer ones (V1 layers, escapes, lists, `< >`, numbers in hex and octal). */
const NETS = [
  `name: "n" # a comment
layer {
  name: "data"
  type: "Input"
  top: "data"
  input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } }
}
layer {
  name: "conv1"
  type: "Convolution"
  bottom: "data"
  top: "conv1"
  param { lr_mult: 1.5 decay_mult: -0.5 }
  convolution_param { num_output: 4 kernel_size: 3 weight_filler { type: 'xavier' std: 1e-2 } bias_term: true }
}
layer { name: "relu"; type: "ReLU", bottom: "conv1" top: "conv1" relu_param < negative_slope: 0.1f > }
layer { name: "pool" type: "Pooling" bottom: "conv1" top: "pool" pooling_param { pool: MAX kernel_size: 2 stride: 0x2 } }
force_backward: 0x1
`,
  String.raw`name: 'n\x41\101\t\'q\'' "joined" 'parts'
input: "data"
input_shape { dim: [1, 3, 0x8, 010] }
force_backward: t
layers {
  name: "c" type: CONVOLUTION bottom: "data" top: "c"
  blobs_lr: [1, 2]
  convolution_param < num_output: 2 kernel_size: 3 pad: 0 bias_term: false weight_filler { type: "gaussian" std: .01 } >
}
layer { name: "p"; type: "Pooling"; bottom: "c"; top: "p"; pooling_param: { pool: 1 kernel_size: 2 } }
state { phase: TEST stage: ["a", "b"] }
debug_info: False
`,
];

const ASCII = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));
const OTHERS = [0x85, 0xa0, 0xad, 0xe9, 0x2003, 0x200b, 0x2028, 0x3000, 0xfeff, 0xfffd, 0x1f600].map((c) =>
  String.fromCodePoint(c),
);

test('one or two characters put in, replaced or taken out anywhere: protoc rejects the net exactly when the engine has a protobuf problem', (t) => {
  if (!has(t, 'protoc', 'corpus')) return;
  const protoDir = path.join(corpusDir, 'schemas', 'bvlc');
  const proto = path.join(protoDir, 'caffe.proto');
  const { schema } = schemaFromProtoText(readFileSync(proto, 'utf8'), proto);
  const problems = (text: string) =>
    analyze(text, parse(text), { schema, schemaKind: 'user' }).diagnostics.filter(
      (d) => d.severity === 'error' && PROTOBUF_CODES.has(String(d.code)),
    );
  const protocReads = (text: string) =>
    spawnSync('protoc', ['--encode=caffe.NetParameter', `--proto_path=${protoDir}`, 'caffe.proto'], {
      input: Buffer.from(text, 'utf8'),
    }).status === 0;
  for (const net of NETS) {
    assert.deepEqual(problems(net), []);
    assert.ok(protocReads(net));
  }
  const edit = fc.record({
    net: fc.constantFrom(...NETS),
    at: fc.nat(NETS[0].length),
    char: fc.oneof(fc.constantFrom(...ASCII), fc.constantFrom(...OTHERS)),
    twice: fc.boolean(),
    how: fc.constantFrom('insert', 'replace', 'delete'),
  });
  fc.assert(
    fc.property(edit, ({ net, at, char, twice, how }) => {
      const put = how === 'delete' ? '' : twice ? char + char : char;
      const text = net.slice(0, at) + put + net.slice(how === 'insert' ? at : at + (twice ? 2 : 1));
      const found = problems(text);
      const where = JSON.stringify(
        `${text.slice(Math.max(0, at - 15), at)}⟦${char}⟧${text.slice(at + 1, at + 15)}`,
      );
      assert.equal(
        found.length === 0,
        protocReads(text),
        `${where}: ${found.map((d) => d.message).join(' / ')}`,
      );
    }),
    { numRuns: 400, seed: 20261206 },
  );
});
