// A file named like a prototxt that holds YAML or JSON gets one `not-prototxt` error where its format
// shows, instead of a syntax error or unknown field per line; prototxt being edited (a value not yet
// typed, a stray line) keeps its own diagnostics.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkBundled, type Found } from './helpers';

const only = (found: Found[]) => found.map((f) => `${f.at} ${f.code}`);

// An experiment's configuration as a Fast R-CNN fork dumps it (yaml.dump of its easydict).
const FAST_RCNN_CONFIG = [
  'EXP_DIR: vgg16_rgb',
  'TRAIN:',
  '  SCALES: !!python/tuple [600]',
  '  MAX_SIZE: 1000',
  '  BBOX_REG: True',
  'TEST:',
  '  SCALES: !!python/tuple [600]',
  '  NMS: 0.3',
  '',
].join('\n');

test('a YAML configuration is one not-prototxt error, on the key that opens the first block', () => {
  const found = checkBundled(FAST_RCNN_CONFIG);
  assert.deepEqual(only(found), ['2:1 not-prototxt']);
  assert.equal(found[0].severity, 'error');
  assert.match(found[0].message, /^This file is YAML, not protobuf text format \("TRAIN:" opens a block/);
  assert.match(found[0].message, /TRAIN \{ \.\.\. \}/);
  assert.match(found[0].message, /--ignore not-prototxt/);
});

test('with Windows line ends too', () => {
  assert.deepEqual(only(checkBundled(FAST_RCNN_CONFIG.replace(/\n/g, '\r\n'))), ['2:1 not-prototxt']);
});

test('a YAML tag tells it on its own, placed on the tag', () => {
  const found = checkBundled('name: "x"\nSCALES: !!python/tuple [600, 800]\n');
  assert.deepEqual(only(found), ['2:9 not-prototxt']);
  assert.match(found[0].message, /the YAML tag !!python\/tuple/);
});

test('a local tag is a slip in a net or solver, and YAML only beside blocks by indentation', () => {
  // `!x1` for `0x1`: a net of `{ }` blocks, and a solver (no blocks) with one such value.
  const net = checkBundled('layer { name: "a" type: "ReLU" }\nforce_backward: !x1\n');
  assert.ok(!net.some((f) => f.code === 'not-prototxt'), JSON.stringify(net));
  assert.ok(net.some((f) => f.code === 'syntax' && f.at === '2:17'));
  const solver = checkBundled('base_lr: 0.01\nlr_policy: !step\n');
  assert.ok(!solver.some((f) => f.code === 'not-prototxt'), JSON.stringify(solver));
  assert.deepEqual(only(checkBundled('A:\n  b: !local 1\nC:\n  d: 1\n')), ['1:1 not-prototxt']);
  assert.deepEqual(only(checkBundled('layer { name: "a" }\nx: !!str 1\n')), ['2:4 not-prototxt']);
});

test('a YAML document marker tells it on its own', () => {
  const found = checkBundled('---\nbase_lr: 0.01\n');
  assert.deepEqual(only(found), ['1:1 not-prototxt']);
  assert.match(found[0].message, /document marker ---/);
});

test('a JSON document is one not-prototxt error', () => {
  const found = checkBundled('{\n  "layers": [{"name": "conv1", "type": "Convolution"}]\n}\n');
  assert.deepEqual(only(found), ['1:1 not-prototxt']);
  assert.match(found[0].message, /^This file is JSON/);
  assert.match(found[0].message, /name it \.json/);
});

test("a web page saved under a net's name is one not-prototxt error", () => {
  // SocialMediaWeakLabeling's resnet_50.prototxt: GitHub's page of the file, 65,578 syntax errors.
  const page =
    '\n\n<!DOCTYPE html>\n<html lang="en">\n  <head>\n    <meta charset="utf-8">\n  </head>\n  <body>layer { }</body>\n</html>\n';
  const found = checkBundled(page);
  assert.deepEqual(only(found), ['3:1 not-prototxt']);
  assert.match(
    found[0].message,
    /^This file is a web page, not protobuf text format \(it opens with <!DOCTYPE html>\)/,
  );
  // A net whose first error is a `<` placeholder is still a net.
  assert.ok(!checkBundled('<NUM> layer { }\n').some((f) => f.code === 'not-prototxt'));
});

test('a text-format block at the top level is not read as JSON', () => {
  const found = checkBundled('{ name: "x" }\n');
  assert.ok(!found.some((f) => f.code === 'not-prototxt'));
  assert.ok(found.some((f) => f.code === 'syntax'));
});

test('a solver with one value not yet typed keeps its own diagnostics', () => {
  // `lr_policy:` waiting for its value, the next line indented: a single block by indentation.
  const found = checkBundled('base_lr: 0.01\nlr_policy:\n  momentum: 0.9\nmax_iter: 100\n');
  assert.ok(!found.some((f) => f.code === 'not-prototxt'), JSON.stringify(found));
  assert.ok(found.some((f) => f.code === 'syntax'));
});

test('a net written with `layer:` and indented fields is a net with a mistake, not YAML', () => {
  const text = [
    'name: "n"',
    'layer {',
    '  name: "data"',
    '  type: "Input"',
    '  top: "data"',
    '  input_param { shape { dim: 1 dim: 3 } }',
    '}',
    'layer:',
    '  name: "relu"',
    'layer:',
    '  name: "relu2"',
    '',
  ].join('\n');
  const found = checkBundled(text);
  assert.ok(!found.some((f) => f.code === 'not-prototxt'), JSON.stringify(found));
});

test('YAML-looking lines far from the first syntax error do not count', () => {
  const text = [
    'name: "n" }', // the first error
    'base_lr: 0.01',
    'max_iter: 10',
    'TRAIN:',
    '  SCALES: !!python/tuple [600]',
    'TEST:',
    '  NMS: 0.3',
    '',
  ].join('\n');
  const found = checkBundled(text);
  assert.ok(!found.some((f) => f.code === 'not-prototxt'), JSON.stringify(found));
});

test('a prototxt that parses is never looked at', () => {
  const found = checkBundled('name: "n"\ninput: "data"\ninput_shape { dim: 1 dim: 3 }\n');
  assert.deepEqual(only(found), []);
});

test('any mix of YAML and text-format lines: an analysis, and a not-prototxt error stands alone', () => {
  const line = fc.constantFrom(
    'TRAIN:',
    'TEST:  # comment',
    '  SCALES: !!python/tuple [600]',
    '  MAX_SIZE: 1000',
    '  - item',
    '  - 5',
    '---',
    'base_lr: 0.01',
    'layer {',
    '}',
    'name:',
    '  name: "x"',
    '{"a": 1}',
    '',
    '# note',
    '\r',
  );
  fc.assert(
    fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
      const text = lines.join('\n');
      const found = checkBundled(text);
      const foreign = found.filter((f) => f.code === 'not-prototxt');
      if (foreign.length > 0) assert.equal(found.length, 1, text);
    }),
    { numRuns: 300 },
  );
});
