// Synopsys Caffe's DepthToSpace, SpaceToDepth, UpsampleDarknet and ICNetSubgraph, as its
// depth_to_space_layer.cpp, space_to_depth_layer.cpp, upsample_darknet_layer.cpp and
// icnet_subgraph_layer.cpp shape them (sizes worked out in comments).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBundledFork } from '../../../../../server/src/schema/bundled';
import { inferText, inputLayer as input } from './infer-text';

const synopsys = loadBundledFork('synopsys')!;

function layer(name: string, type: string, body: string, bottom = 'data'): string {
  return `layer { name: "${name}" type: "${type}" bottom: "${bottom}" top: "${name}" ${body} }\n`;
}

const run = (text: string) => inferText(text, synopsys);

test('DepthToSpace and SpaceToDepth move values between channels and space, NHWC by default', () => {
  const { top, messages } = run(
    input([1, 8, 6, 12]) +
      // NHWC: 8×6 grows by 2 to 16×12; 12 channels shrink by 2² to 3.
      layer('d2s', 'DepthToSpace', 'depth_to_space_param { block_size: 2 }') +
      // And back: 16×12 by 2 is 8×6, 3 channels times 4 is 12.
      layer('s2d', 'SpaceToDepth', 'space_to_depth_param { block_size: 2 }', 'd2s') +
      // NCHW (and DCR, CRD): 8 channels / 2² = 2, 6×12 grows to 12×24.
      layer('nchw', 'DepthToSpace', 'depth_to_space_param { block_size: 2 data_format: "DCR" }') +
      layer('up', 'UpsampleDarknet', 'upsample_darknet_param { stride: 2 }') +
      layer('same', 'UpsampleDarknet', '') +
      layer('ic', 'ICNetSubgraph', ''),
  );
  assert.deepEqual(messages, []);
  assert.deepEqual(top('d2s'), [1, 16, 12, 3]);
  assert.deepEqual(top('s2d'), [1, 8, 6, 12]);
  assert.deepEqual(top('nchw'), [1, 2, 12, 24]);
  // The last two axes times the stride, 1 by default.
  assert.deepEqual(top('up'), [1, 8, 12, 24]);
  assert.deepEqual(top('same'), [1, 8, 6, 12]);
  assert.deepEqual(top('ic'), [1, 8, 6, 12]);
  // SpaceToDepth NCHW: 12 channels × 3² = 108, 9×3 by 3 is 3×1.
  const nchw = run(
    input([1, 12, 9, 3]) +
      layer('s', 'SpaceToDepth', 'space_to_depth_param { block_size: 3 data_format: "NCHW" }'),
  );
  assert.deepEqual(nchw.messages, []);
  assert.deepEqual(nchw.top('s'), [1, 108, 3, 1]);
});

test("their CHECKs, in Caffe's words, and what is left unknown", () => {
  const cases: [string, RegExp | null][] = [
    // 10 channels are not a multiple of 2² = 4: the top (1, 16, 12, 2) holds 384 values, not 480.
    [
      input([1, 8, 6, 10]) + layer('s', 'DepthToSpace', 'depth_to_space_param { block_size: 2 }'),
      /block_size 2 does not divide the channels of 1×8×6×10 \(NHWC\): its top 1×16×12×2 holds 384 values, the input 480; Caffe stops \("output count must match input count"\)/,
    ],
    // A height of 7 does not split into blocks of 2: 3×3 blocks × 8 channels = 72, not 84.
    [
      input([1, 7, 6, 2]) + layer('s', 'SpaceToDepth', 'space_to_depth_param { block_size: 2 }'),
      /does not divide the height and width of 1×7×6×2/,
    ],
    // SpaceToDepth has no DCR: its top keeps the batch axis alone.
    [
      input([1, 4, 4, 4]) +
        layer('s', 'SpaceToDepth', 'space_to_depth_param { block_size: 2 data_format: "DCR" }'),
      /data_format "DCR" is none of NHWC, NCHW, so its top is 1, not a rearrangement of 1×4×4×4/,
    ],
    [
      input([1, 4, 4, 4]) +
        'layer { name: "s" type: "DepthToSpace" bottom: "data" top: "data" depth_to_space_param { block_size: 2 } }\n',
      /cannot compute in place.*"DepthToSpace Layer does not allow in-place computation\."/,
    ],
    [
      input([1, 4, 4, 4]) + layer('s', 'DepthToSpace', 'depth_to_space_param { block_size: 0 }'),
      /block_size 0 is not a positive size; Caffe divides by it/,
    ],
    [
      input([4, 4]) + layer('s', 'ICNetSubgraph', ''),
      /its input must have 4 axes \(num, channels, height, width\), not 4×4; Caffe stops \("Input must have 4 axes/,
    ],
    // block_size is required (validation reports its absence); a 3-axis input is read past its end.
    [input([1, 4, 4, 4]) + layer('s', 'DepthToSpace', 'depth_to_space_param { }'), null],
    [input([4, 4, 4]) + layer('s', 'DepthToSpace', 'depth_to_space_param { block_size: 2 }'), null],
    [input([4]) + layer('s', 'UpsampleDarknet', ''), null],
  ];
  for (const [net, words] of cases) {
    const { top, messages } = run(net);
    if (words === null) assert.deepEqual(messages, [], net);
    else {
      assert.equal(messages.length, 1, `${net}: ${messages.join(' | ')}`);
      assert.match(messages[0], words);
    }
    assert.equal(top('s') ?? null, null, net);
  }
});

test("Reshape with pixelshuffler: SRGAN's pixel shuffle, in place of the shape", () => {
  // SRGAN's generator: 256 channels at 128×128 become 256 / 2² = 64 channels at 256×256.
  const { top, messages } = run(
    input([1, 256, 128, 128]) +
      layer('ps', 'Reshape', 'reshape_param { pixelshuffler: 2 }') +
      // pixelshuffler 1 is BVLC's Reshape: its shape is read.
      layer('flat', 'Reshape', 'reshape_param { pixelshuffler: 1 shape { dim: 0 dim: -1 } }', 'ps'),
  );
  assert.deepEqual(messages, []);
  assert.deepEqual(top('ps'), [1, 64, 256, 256]);
  assert.deepEqual(top('flat'), [1, 64 * 256 * 256]);
  // 6 channels do not split into 2² = 4: the top (1, 1, 8, 8) holds 64 values, the input 96.
  const odd = run(input([1, 6, 4, 4]) + layer('s', 'Reshape', 'reshape_param { pixelshuffler: 2 }'));
  assert.equal(odd.messages.length, 1);
  assert.match(
    odd.messages[0],
    /pixelshuffler 2 does not divide the 6 channels of 1×6×4×4 into 4: its top 1×1×8×8 holds 64 values, the input 96; Caffe stops \("output count must match input count"\)/,
  );
  assert.equal(odd.top('s') ?? null, null);
  // An error, though Synopsys Caffe rewrote BVLC's Reshape: the shuffle follows its own code.
  assert.equal(odd.result.problems[0].severity, 'error');
  const zero = run(input([1, 4, 4, 4]) + layer('s', 'Reshape', 'reshape_param { pixelshuffler: 0 }'));
  assert.match(zero.messages.join(), /pixelshuffler 0 is not a positive factor/);
});
