// SSD's DetectionOutput as weiliu89/caffe's detection_output_layer.cpp sets it up: its inputs checked
// against the number of prior boxes, in Caffe's words, and a top of one row of 7 per detection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBundledFork } from '../../../../../server/src/schema/bundled';
import { memoryOf } from '../../../../../server/src/analysis/shapes/memory';
import { inferText } from './infer-text';

const ssd = loadBundledFork('ssd')!;
const synopsys = loadBundledFork('synopsys')!;

function input(name: string, dims: readonly number[]): string {
  const shape = dims.map((d) => `dim: ${d}`).join(' ');
  return `layer { name: "${name}" type: "Input" top: "${name}" input_param { shape { ${shape} } } }\n`;
}

/** 8 prior boxes (a PriorBox top of 1×2×32); location and confidence predictions as given. */
function net(loc: readonly number[], conf: readonly number[], param: string): string {
  return (
    input('loc', loc) +
    input('conf', conf) +
    input('prior', [1, 2, 32]) +
    'layer { name: "det" type: "DetectionOutput" bottom: "loc" bottom: "conf" bottom: "prior" top: "det"\n' +
    `  detection_output_param { ${param} } }\n`
  );
}

test('DetectionOutput: one row of 7 values per detection, their number known once the net runs', () => {
  // 8 priors × 4 coordinates = 32 location values; 8 priors × 21 classes = 168 scores.
  const { top, messages } = inferText(net([2, 32], [2, 168], 'num_classes: 21'), ssd);
  assert.deepEqual(messages, []);
  assert.deepEqual(top('det'), [1, 1, NaN, 7]);
  // Without shared locations, 4 coordinates per class: 8 × 21 × 4 = 672.
  const own = inferText(net([2, 672], [2, 168], 'num_classes: 21 share_location: false'), ssd);
  assert.deepEqual(own.messages, []);
});

test("Caffe's memory for data counts the one row DetectionOutput's top is built with", () => {
  // Its Reshape sizes the top 1×1×1×7 (a fake row) and the forward pass resizes it to the detections.
  const { result } = inferText(net([2, 32], [2, 168], 'num_classes: 21'), ssd);
  const memory = memoryOf(result);
  // The inputs (64 + 336 + 64 values), then the one row of 7.
  assert.deepEqual(memory.topBytes, [64 * 4, 336 * 4, 64 * 4, 7 * 4]);
  assert.equal(memory.dataBytes, (64 + 336 + 64 + 7) * 4);
});

test("DetectionOutput's checks, in Caffe's words", () => {
  const cases: [string, RegExp][] = [
    // A net fine-tuned to 2 classes whose confidence layers still predict 21.
    [
      net([2, 32], [2, 168], 'num_classes: 2'),
      /^DetectionOutput: 8 prior boxes × num_classes 2 need 16 confidence scores per image, 2×168 holds 168 \(num_classes counts the classes the confidence layers predict, background included\); Caffe stops \("Number of priors must match number of confidence predictions\."\)$/,
    ],
    [
      net([2, 36], [2, 168], 'num_classes: 21'),
      /8 prior boxes \(1×2×32\) need 32 location predictions per image, 2×36 holds 36; Caffe stops \("Number of priors must match number of location predictions\."\)/,
    ],
    [
      net([2, 32], [2, 168], 'num_classes: 21 share_location: false'),
      /need 672 location predictions per image \(21 classes, share_location false\)/,
    ],
    [
      net([2, 32], [2, 168], 'share_location: true'),
      /num_classes is not given; Caffe stops \("Must specify num_classes"\)/,
    ],
    [
      net([2, 32], [3, 168], 'num_classes: 21'),
      /of different batches; Caffe stops \("Check failed: bottom\[0\]->num\(\) == bottom\[1\]->num\(\)"\)/,
    ],
    [
      net([2, 32], [2, 168], 'num_classes: 21 nms_param { nms_threshold: -0.5 }'),
      /nms_threshold -0\.5 is negative; Caffe stops \("nms_threshold must be non negative\."\)/,
    ],
  ];
  for (const [text, words] of cases) {
    const { top, messages } = inferText(text, ssd);
    assert.equal(messages.length, 1, `${text}: ${messages.join(' | ')}`);
    assert.match(messages[0], words);
    assert.equal(top('det') ?? null, null);
  }
});

test("another Caffe's DetectionOutput (a field SSD's lacks) is left unknown, without a problem", () => {
  // Synopsys Caffe's TFLite-style detection shapes its top otherwise.
  const { top, messages } = inferText(
    net([2, 32], [2, 16], 'num_classes: 21 tflite_detection: true'),
    synopsys,
  );
  assert.deepEqual(messages, []);
  assert.equal(top('det') ?? null, null);
});
