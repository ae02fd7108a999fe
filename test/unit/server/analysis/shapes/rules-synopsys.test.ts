// Synopsys Caffe's Squeeze, Pad, ResizeBilinear and ResizeNearestNeighbor, and its NeuronLayers, as
// its squeeze_layer.cpp, pad_layer.cpp and resize_*_layer.cpp shape them (sizes worked out in comments).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBundledFork, loadBundledSchema } from '../../../../../server/src/schema/bundled';
import { inferText, inputLayer as input } from './infer-text';

const synopsys = loadBundledFork('synopsys')!;

function layer(name: string, type: string, body: string, bottom = 'data'): string {
  return `layer { name: "${name}" type: "${type}" bottom: "${bottom}" top: "${name}" ${body} }\n`;
}

const run = (text: string, schema = synopsys) => inferText(text, schema);

test('Squeeze drops the listed axes of size 1, or every one, and its NeuronLayers keep the shape', () => {
  const net =
    input([1, 1001, 1, 1]) +
    layer('all', 'Squeeze', '') +
    layer('listed', 'Squeeze', 'squeeze_param { axis: 2 axis: -1 }') +
    layer('first', 'Squeeze', 'squeeze_param { axis: 0 }') +
    layer('hs', 'HardSwish', '', 'listed') +
    layer('sp', 'Softplus', '', 'hs');
  for (const schema of [synopsys, loadBundledSchema()]) {
    // Under BVLC's schema too, where squeeze_param is a fork's block (validation warns of it).
    const { top, messages } = run(net, schema);
    assert.deepEqual(messages, []);
    assert.deepEqual(top('all'), [1001]);
    assert.deepEqual(top('listed'), [1, 1001]);
    assert.deepEqual(top('first'), [1001, 1, 1]);
    assert.deepEqual(top('hs'), [1, 1001]);
    assert.deepEqual(top('sp'), [1, 1001]);
  }
});

test("Squeeze's CHECKs, in its words", () => {
  const cases: [string, RegExp][] = [
    [
      layer('s', 'Squeeze', 'squeeze_param { axis: 1 }'),
      /axis 1 is 1001, not 1.*"Can't remove axis that is not shape 1!"/,
    ],
    [
      layer('s', 'Squeeze', 'squeeze_param { axis: 5 }'),
      /"Given axis index should not be greater than bottom axis count!"/,
    ],
    [layer('s', 'Squeeze', 'squeeze_param { axis: 4 }'), /axis 4 is out of range for a 4-axis input/],
    [
      'layer { name: "s" type: "Squeeze" bottom: "data" top: "data" }\n',
      /cannot compute in place.*"Squeeze Layer does not allow in-place computation\."/,
    ],
  ];
  for (const [body, words] of cases) {
    const { top, messages } = run(input([1, 1001, 1, 1]) + body);
    assert.equal(messages.length, 1, `${body}: ${messages.join(' | ')}`);
    assert.match(messages[0], words);
    assert.equal(top('s') ?? null, null);
  }
});

test('Pad widens each axis by its two paddings; they must be two per input axis', () => {
  // 1+0+0, 3+0+0, 224+0+1, 224+0+1.
  const ok = run(
    input([1, 3, 224, 224]) + layer('p', 'Pad', 'pad_param { paddings: [0, 0, 0, 0, 0, 1, 0, 1] }'),
  );
  assert.deepEqual(ok.messages, []);
  assert.deepEqual(ok.top('p'), [1, 3, 225, 225]);
  const odd = run(input([1, 3, 8, 8]) + layer('p', 'Pad', 'pad_param { paddings: [1, 1, 1] }'));
  assert.match(odd.messages[0], /"Paddings for each dimension should have 2 values!"/);
  const short = run(input([1, 3, 8, 8]) + layer('p', 'Pad', 'pad_param { paddings: [1, 1, 1, 1] }'));
  assert.match(
    short.messages[0],
    /4 paddings for a 4-axis input, which takes 8.*"Paddings' num should be 2 times/,
  );
  assert.equal(short.top('p') ?? null, null);
});

test('a resize: its output size, else the input times its scale rounded down, NHWC unless told', () => {
  const net =
    input([1, 33, 33, 256]) +
    // NHWC by default: height and width are axes 1 and 2, channels last.
    layer(
      'up',
      'ResizeBilinear',
      'resize_bilinear_param { output_height: 129 output_width: 129 align_corners: true }',
    ) +
    // floor(33 · 2) = 66, floor(33 · 0.5) = 16.
    layer(
      'nn',
      'ResizeNearestNeighbor',
      'resize_nearest_neighbor_param { scale_height: 2 scale_width: 0.5 }',
    ) +
    layer(
      'nchw',
      'ResizeBilinear',
      'resize_bilinear_param { data_format: "NCHW" output_height: 65 output_width: 64 }',
    );
  const { top, messages } = run(net);
  assert.deepEqual(messages, []);
  assert.deepEqual(top('up'), [1, 129, 129, 256]);
  assert.deepEqual(top('nn'), [1, 66, 16, 256]);
  assert.deepEqual(top('nchw'), [1, 33, 65, 64]);
  const flags = run(
    input([1, 8, 8, 3]) +
      layer('r', 'ResizeBilinear', 'resize_bilinear_param { align_corners: true half_pixel_centers: true }'),
  );
  assert.match(flags.messages[0], /"If half_pixel_centers is True, align_corners must be False\."/);
  const onnx = run(
    input([1, 8, 8, 3]) +
      layer(
        'r',
        'ResizeNearestNeighbor',
        'resize_nearest_neighbor_param { half_pixel_centers: true half_pixel_onnx: true }',
      ),
  );
  assert.match(
    onnx.messages[0],
    /"Maximum one Flag in align_corners, half_pixel_center or half_pixel_onnx could be True\."/,
  );
});

test("broadcasting arithmetic: as many axes agree or are 1; fewer line up with the last; Mul's own blob", () => {
  const net =
    input([2, 3, 8, 8]) +
    'layer { name: "c" type: "Input" top: "c" input_param { shape { dim: 1 dim: 3 dim: 1 dim: 1 } } }\n' +
    'layer { name: "v" type: "Input" top: "v" input_param { shape { dim: 8 } } }\n' +
    'layer { name: "s" type: "Input" top: "s" input_param { shape { } } }\n' +
    'layer { name: "add" type: "Add" bottom: "data" bottom: "c" top: "add" }\n' +
    // Fewer axes line up with the last ones: [2, 3, 8, max(8, 8)].
    'layer { name: "sub" type: "Sub" bottom: "v" bottom: "data" top: "sub" }\n' +
    'layer { name: "max" type: "Maximum" bottom: "s" bottom: "data" top: "max" }\n' +
    'layer { name: "mul" type: "Mul" bottom: "data" top: "mul" mul_param { mul_shape: 3 mul_shape: 1 mul_shape: 1 } }\n';
  const { top, messages, result } = run(net);
  assert.deepEqual(messages, []);
  assert.deepEqual(top('add'), [2, 3, 8, 8]);
  assert.deepEqual(top('sub'), [2, 3, 8, 8]);
  assert.deepEqual(top('max'), [2, 3, 8, 8]);
  assert.deepEqual(top('mul'), [2, 3, 8, 8]);
  // Mul's learned multiplier: 3 values.
  assert.equal(result.layers.find((l) => l.layer.name === 'mul')?.params, 3);
  const bad = run(
    input([2, 3, 8, 8]) +
      'layer { name: "c" type: "Input" top: "c" input_param { shape { dim: 2 dim: 4 dim: 8 dim: 8 } } }\n' +
      'layer { name: "d" type: "Div" bottom: "data" bottom: "c" top: "d" }\n',
  );
  assert.match(
    bad.messages[0],
    /2×3×8×8 and 2×4×8×8 differ in axis 1.*"Dimensions must be equal or 1 in the bottoms!"/,
  );
  assert.equal(bad.top('d') ?? null, null);
  // An Add of one bottom reads a blob Caffe never makes: unknown, nothing said.
  const one = run(input([2, 3]) + layer('a', 'Add', ''));
  assert.deepEqual(one.messages, []);
  assert.equal(one.top('a') ?? null, null);
});

test('SpaceToBatchND and BatchToSpaceND around a dilated depthwise convolution, as DeepLab v3+ converts it', () => {
  // N×C×H×W = 1×728×33×33; blocks (1, 2, 2) over C, H, W with paddings (0,0), (2,3), (2,3):
  // batch 1·1·2·2 = 4, C (728 + 0) / 1, H and W (33 + 5) / 2 = 19.
  const net =
    input([1, 728, 33, 33]) +
    layer(
      's2b',
      'SpaceToBatchND',
      'space_to_batch_nd_param { block_shape: [1, 2, 2] paddings: [0, 0, 2, 3, 2, 3] }',
    ) +
    // Back: batch 4 / 4 = 1, H and W 19·2 − (0 + 5) = 33.
    layer(
      'b2s',
      'BatchToSpaceND',
      'batch_to_space_nd_param { block_shape: [1, 2, 2] crops: [0, 0, 0, 5, 0, 5] }',
      's2b',
    );
  const { top, messages } = run(net);
  assert.deepEqual(messages, []);
  assert.deepEqual(top('s2b'), [4, 728, 19, 19]);
  assert.deepEqual(top('b2s'), [1, 728, 33, 33]);
  const uneven = run(
    input([1, 8, 33, 33]) +
      layer(
        's2b',
        'SpaceToBatchND',
        'space_to_batch_nd_param { block_shape: [1, 2, 2] paddings: [0, 0, 2, 2, 2, 3] }',
      ),
  );
  // 33 + 2 + 2 = 37 is odd.
  assert.match(
    uneven.messages[0],
    /block_shape 2 does not divide axis 2 padded to 37.*"block_shape\[1\] cannot divide bottom_shape\[2\] \+ paddings\[2\] \+ paddings\[3\]"/,
  );
  assert.equal(uneven.top('s2b') ?? null, null);
});

test("Synopsys Caffe's Eltwise takes one bottom (FlowNet 2.0's, scaled by its coeff); BVLC's needs two", () => {
  const net = input([1, 2, 4, 4]) + layer('scaled', 'Eltwise', 'eltwise_param { operation: SUM coeff: 0.5 }');
  const under = run(net);
  assert.deepEqual(under.messages, []);
  assert.deepEqual(under.top('scaled'), [1, 2, 4, 4]);
  const bvlc = run(net, loadBundledSchema());
  assert.equal(bvlc.messages.length, 1);
  assert.match(bvlc.messages[0], /Eltwise takes at least 2 bottoms/);
});
