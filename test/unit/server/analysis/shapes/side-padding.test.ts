// Synopsys Caffe's padding per side (pad_t, pad_b, pad_l, pad_r) and pad_type 1 (TensorFlow's SAME),
// as its conv_layer.cpp, deconv_layer.cpp and pooling_layer.cpp shape them, with its set-up CHECKs.
// Expected sizes are worked out from those sources' arithmetic in the comments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBundledFork, loadBundledSchema } from '../../../../../server/src/schema/bundled';
import { inferText, inputLayer as input } from './infer-text';

const synopsys = loadBundledFork('synopsys')!;

const run = (text: string, schema = synopsys) => inferText(text, schema);

test('convolution and deconvolution padded per side, as a TensorFlow conversion writes them', () => {
  const net =
    input([1, 3, 224, 224]) +
    // (224 + 0 + 1 - 3) / 2 + 1 = 112 on both axes.
    'layer { name: "c" type: "Convolution" bottom: "data" top: "c"\n' +
    '  convolution_param { num_output: 8 kernel_size: 3 stride: 2 pad_l: 0 pad_r: 1 pad_t: 0 pad_b: 1 } }\n' +
    // Height (112 + 3 + 3 - 7) / 1 + 1 = 112; width (112 + 1 + 0 - 7) + 1 = 107.
    'layer { name: "c2" type: "Convolution" bottom: "c" top: "c2"\n' +
    '  convolution_param { num_output: 4 kernel_size: 7 pad_t: 3 pad_b: 3 pad_l: 1 } }\n' +
    // 2 · (112 − 1) + 4 − (1 + 1) = 224 high; 2 · (107 − 1) + 4 − (1 + 0) = 215 wide.
    'layer { name: "d" type: "Deconvolution" bottom: "c2" top: "d"\n' +
    '  convolution_param { num_output: 2 kernel_size: 4 stride: 2 pad_t: 1 pad_b: 1 pad_l: 1 } }\n';
  for (const schema of [synopsys, loadBundledSchema()]) {
    // The same under Synopsys Caffe's schema and the bundled BVLC one (where these are a fork's fields).
    const { top, messages } = run(net, schema);
    assert.deepEqual(messages, []);
    assert.deepEqual(top('c'), [1, 8, 112, 112]);
    assert.deepEqual(top('c2'), [1, 4, 112, 107]);
    assert.deepEqual(top('d'), [1, 2, 224, 215]);
  }
});

test("pad_type 1 is TensorFlow's SAME for a convolution and a pooling, and nothing for a deconvolution", () => {
  const net =
    input([1, 3, 225, 225]) +
    // ceil(225 / 2) = 113, whatever the kernel.
    'layer { name: "c" type: "Convolution" bottom: "data" top: "c"\n' +
    '  convolution_param { num_output: 8 kernel_size: 3 stride: 2 pad_type: 1 } }\n' +
    // ceil(113 / 2) = 57.
    'layer { name: "p" type: "Pooling" bottom: "c" top: "p"\n' +
    '  pooling_param { pool: MAX kernel_size: 3 stride: 2 pad_type: 1 } }\n' +
    // Its compute_output_shape reads no pad_type: 2 · (57 − 1) + 4 = 116.
    'layer { name: "d" type: "Deconvolution" bottom: "p" top: "d"\n' +
    '  convolution_param { num_output: 2 kernel_size: 4 stride: 2 pad_type: 1 } }\n';
  const { top, messages } = run(net);
  assert.deepEqual(messages, []);
  assert.deepEqual(top('c'), [1, 8, 113, 113]);
  assert.deepEqual(top('p'), [1, 8, 57, 57]);
  assert.deepEqual(top('d'), [1, 2, 116, 116]);
});

test('pooling padded per side rounds as ceil_mode says and drops a last window that starts in the padding', () => {
  const net =
    input([1, 2, 112, 6]) +
    // Height ceil((112 + 0 + 1 − 3) / 2) + 1 = 56, (56 − 1) · 2 = 110 < 112: kept.
    // Width ceil((6 + 0 + 1 − 3) / 2) + 1 = 3, (3 − 1) · 2 = 4 < 6: kept.
    'layer { name: "p" type: "Pooling" bottom: "data" top: "p"\n' +
    '  pooling_param { pool: MAX kernel_size: 3 stride: 2 pad_l: 0 pad_r: 1 pad_t: 0 pad_b: 1 } }\n' +
    // Width: ceil((6 + 0 + 1 − 2) / 2) + 1 = 4, but (4 − 1) · 2 = 6 ≥ 6 + 0 starts in the padding: 3.
    // Height floor((112 + 1 − 2) / 2) + 1 = 56 with ceil_mode false.
    'layer { name: "q" type: "Pooling" bottom: "data" top: "q"\n' +
    '  pooling_param { pool: AVE kernel_size: 2 stride: 2 pad_r: 1 pad_b: 1 ceil_mode: false } }\n' +
    'layer { name: "r" type: "Pooling" bottom: "data" top: "r"\n' +
    '  pooling_param { pool: AVE kernel_size: 2 stride: 2 pad_r: 1 pad_b: 1 } }\n';
  const { top, messages } = run(net);
  assert.deepEqual(messages, []);
  assert.deepEqual(top('p'), [1, 2, 56, 3]);
  // floor((6 + 1 − 2) / 2) + 1 = 3 wide.
  assert.deepEqual(top('q'), [1, 2, 56, 3]);
  // ceil: height ceil(111 / 2) + 1 = 57, (57 − 1) · 2 = 112 ≥ 112: 56; width 4 → 3 as above.
  assert.deepEqual(top('r'), [1, 2, 56, 3]);
});

test("what Synopsys Caffe's set-up refuses stops the rule with its words, and the tops are unknown", () => {
  const conv = (param: string, dims = [1, 3, 32, 32]) =>
    input(dims) +
    `layer { name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 4 kernel_size: 3 ${param} } }\n`;
  const pool = (param: string) =>
    input([1, 3, 32, 32]) +
    `layer { name: "c" type: "Pooling" bottom: "data" top: "c" pooling_param { pool: MAX kernel_size: 3 ${param} } }\n`;
  const cases: [string, RegExp][] = [
    [conv('pad: 1 pad_l: 1'), /Either pad or pad_l\/r\/t\/b should be specified; not both\./],
    // The convolution asks for `pad` written at all, even as 0.
    [conv('pad: 0 pad_r: 1'), /Either pad or pad_l\/r\/t\/b should be specified; not both\./],
    [conv('pad_h: 1 pad_w: 1 pad_t: 1'), /Either pad_h\/w or pad_l\/r\/t\/b should be specified/],
    [conv('pad_type: 1 pad_b: 1'), /Either pad_type or pad_l\/r\/t\/b should be specified/],
    [conv('pad_type: 1 pad: 1'), /Either pad or pad_type should be specified; not both\./],
    [conv('pad_type: 2'), /pad_type 2 is neither 0 .* Caffe stops \("Unknown padding type\."\)/],
    [conv('pad_l: 1', [1, 3, 8, 32, 32]), /2-D window only, this one has 3 spatial axes.*2D convolution/],
    // Pooling asks whether each is written at all: pad_h: 0 beside a side is refused too.
    [pool('pad_h: 0 pad_w: 0 pad_l: 1'), /Either pad_h\/w or pad_l\/r\/t\/b should be specified/],
    [pool('pad_type: 0 pad_l: 1'), /Either pad_type or pad_l\/r\/t\/b should be specified/],
    [pool('pad_type: 3'), /Caffe stops \("Unknown pooling padding type\."\)/],
  ];
  for (const [net, words] of cases) {
    const { top, messages } = run(net);
    assert.equal(messages.length, 1, `${net}: ${messages.join(' | ')}`);
    assert.match(messages[0], words);
    assert.equal(top('c'), null, net);
  }
  // Written as zero, the sides are no padding at all (the models write pad_l: 0 ... beside pad).
  const { top, messages } = run(conv('pad: 1 pad_l: 0 pad_r: 0 pad_t: 0 pad_b: 0'));
  assert.deepEqual(messages, []);
  assert.deepEqual(top('c'), [1, 4, 32, 32]);
});

test('a kernel larger than the input padded per side is reported with the sides as written', () => {
  const net =
    input([1, 3, 4, 4]) +
    'layer { name: "c" type: "Convolution" bottom: "data" top: "c"\n' +
    '  convolution_param { num_output: 4 kernel_size: 7 pad_t: 1 pad_b: 0 pad_l: 1 pad_r: 1 } }\n';
  // Under the bundled BVLC schema an error; under Synopsys Caffe's, whose Convolution is not BVLC's, a
  // warning that says so (as for any shape problem of a layer a fork rewrote).
  const bvlc = run(net, loadBundledSchema()).result.problems;
  assert.deepEqual(
    bvlc.map((p) => [p.severity, p.message]),
    [['error', 'kernel extent 7 is larger than the padded input 5 (4 + 1+0) on axis 2']],
  );
  const [own] = run(net).result.problems;
  assert.equal(own.severity, 'warning');
  assert.match(own.message, /^kernel extent 7 .* on axis 2 \(Synopsys Caffe's Convolution is not BVLC's/);
});

test('Im2col and ConvolutionDepthwise, which do not follow the sides here, leave their tops unknown', () => {
  for (const type of ['Im2col', 'ConvolutionDepthwise']) {
    const net =
      input([1, 3, 32, 32]) +
      `layer { name: "c" type: "${type}" bottom: "data" top: "c"\n` +
      '  convolution_param { num_output: 3 kernel_size: 3 pad_l: 1 pad_r: 1 } }\n';
    const { result, messages } = run(net);
    assert.deepEqual(messages, []);
    const layer = result.layers.find((l) => l.layer.name === 'c');
    assert.equal(layer?.status, 'unread-params', type);
    assert.deepEqual(layer?.tops, [null]);
  }
});
