// Synopsys Caffe as a bundled fork: its own fields are fork warnings naming it under the bundled BVLC
// schema, and none at all under bundled:synopsys; since it carries other forks' layers (SSD's...),
// a net of those forks is still told to choose their schemas; and the BVLC layers its sources
// rewrote (Eltwise broadcasts there) make their shape errors warnings under its schema.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadBundledFork } from '../../../../../server/src/schema/bundled';
import { check, checkBundled } from './helpers';

const INPUT =
  'layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 dim: 32 dim: 32 } } }\n';

const ASYMMETRIC =
  INPUT +
  'layer { name: "c" type: "Convolution" bottom: "data" top: "c"\n' +
  '  convolution_param { num_output: 8 kernel_size: 3 pad_l: 1 pad_r: 0 pad_t: 1 pad_b: 0 } }\n' +
  'layer { name: "r" type: "ReLU" bottom: "c" top: "c" relu_param { relu6: true } }\n' +
  'layer { name: "p" type: "Pooling" bottom: "c" top: "p" pooling_param { pool: AVE_EXC_PAD kernel_size: 2 stride: 2 ceil_mode: false } }\n';

test("Synopsys Caffe's own fields and enum values are fork warnings that name it", () => {
  const found = checkBundled(ASYMMETRIC);
  assert.deepEqual(
    found.filter((f) => f.severity === 'error'),
    [],
  );
  const forkWarnings = found.filter((f) => f.code === 'fork-field');
  // The pads (one warning for the four of one block), relu6, AVE_EXC_PAD, ceil_mode.
  assert.equal(forkWarnings.length, 4, JSON.stringify(found, null, 1));
  assert.equal(forkWarnings[0].at, '3:52');
  assert.match(
    forkWarnings[0].message,
    /: "pad_l", "pad_r", "pad_t" and "pad_b" of ConvolutionParameter are not in BVLC Caffe\.$/,
  );
  assert.deepEqual(forkWarnings[0].related, [
    '3:61 "pad_r" of ConvolutionParameter, not in BVLC Caffe either',
    '3:70 "pad_t" of ConvolutionParameter, not in BVLC Caffe either',
    '3:79 "pad_b" of ConvolutionParameter, not in BVLC Caffe either',
  ]);
  for (const w of forkWarnings) {
    assert.equal(w.severity, 'warning');
    assert.match(w.message, /^Choose the Synopsys Caffe schema \(prototxt\.schema\.paths or --schema\)/);
  }
});

test('a repeated fork field is named once, each place a related location', () => {
  const filler =
    INPUT +
    'layer { name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 2 kernel_size: 1\n' +
    '  weight_filler { type: "constant" diag_val: 1 diag_val: 2 diag_val: 3 } } }\n';
  const [field] = checkBundled(filler).filter((f) => f.code === 'fork-field');
  assert.match(field.message, /: "diag_val" of FillerParameter is not in BVLC Caffe\.$/);
  assert.equal(field.related?.length, 2);
});

test('a FlowNet 2.0 type only Synopsys Caffe carries: its origin is named as the better schema', () => {
  const flow =
    INPUT + 'layer { name: "corr" type: "Correlation" bottom: "data" bottom: "data" top: "corr" }\n';
  const [corr] = checkBundled(flow).filter((f) => f.code === 'unknown-layer-type');
  assert.equal(
    corr.message,
    'Choose the Synopsys Caffe schema (prototxt.schema.paths or --schema): layer type "Correlation" is not in ' +
      "BVLC Caffe. It comes from FlowNet 2.0's Caffe (lmb-freiburg/flownet2) or one built on it, which Synopsys " +
      'Caffe (synopsys-caffe) merged: for a net written for that Caffe, its own caffe.proto is the better schema.',
  );
  // A type Synopsys Caffe has of its own names no other origin.
  const [relu] = checkBundled(ASYMMETRIC).filter((f) => f.code === 'fork-field');
  assert.doesNotMatch(relu.message, /comes from/);
});

test('under bundled:synopsys the same net has nothing to report', () => {
  const schema = loadBundledFork('synopsys');
  assert.ok(schema);
  assert.deepEqual(check(ASYMMETRIC, { schema, schemaKind: 'user' }), []);
});

test('an SSD net is still told to choose the SSD or NVIDIA schema, which Synopsys Caffe merges too', () => {
  const ssd =
    INPUT +
    'layer { name: "n" type: "Normalize" bottom: "data" top: "n" norm_param { across_spatial: false } }\n';
  // The layer's type warning, which says its norm_param too.
  const normalize = checkBundled(ssd).find((f) => f.code === 'unknown-layer-type' && f.at.startsWith('2:'));
  assert.ok(normalize);
  assert.match(normalize.message, /^Choose the SSD or NVIDIA Caffe schema \(/);
  // A net that uses Synopsys Caffe's own fields too is told to choose Synopsys Caffe's first.
  const both = checkBundled(ssd + ASYMMETRIC.slice(INPUT.length));
  const merged = both.find((f) => f.code === 'unknown-layer-type' && f.at.startsWith('2:'));
  assert.ok(merged);
  assert.match(merged.message, /^Choose the Synopsys Caffe schema or another fork's \(/);
});

test("an R-CNN net's shared layer types name the fork its other layers fit, not Synopsys Caffe, which carries them all", () => {
  // person_search's net: Temporal Segment Networks' BN (bn_param { frozen slope_filler }) with
  // Fast R-CNN's ROIPooling and SmoothL1Loss (with Fast R-CNN's sigma, which TSN's lacks) and a
  // Normalize, all of which Synopsys Caffe registers too.
  const net =
    INPUT +
    'layer { name: "bn" type: "BN" bottom: "data" top: "bn" bn_param { frozen: true slope_filler { value: 1 } } }\n' +
    'layer { name: "rois" type: "Input" top: "rois" input_param { shape { dim: 4 dim: 5 } } }\n' +
    'layer { name: "pool" type: "ROIPooling" bottom: "bn" bottom: "rois" top: "pool"\n' +
    '  roi_pooling_param { pooled_w: 2 pooled_h: 2 spatial_scale: 1 } }\n' +
    'layer { name: "l1" type: "SmoothL1Loss" bottom: "pool" bottom: "pool" top: "l1" smooth_l1_loss_param { sigma: 3 } }\n' +
    'layer { name: "n" type: "Normalize" bottom: "pool" top: "n" }\n';
  const found = checkBundled(net);
  // One warning per layer, its type's, which says its block too and names the forks that have both
  // (TSN's and PSPNet's BNParameter take frozen and slope_filler; Fast R-CNN's and R-FCN's
  // SmoothL1LossParameter take sigma); the others name TSN first, which the rest of the net fits.
  assert.deepEqual(
    found.map((f) => `${f.at} ${f.code} ${f.message.replace(/ \(prototxt.*?\)/, '')}`),
    [
      '2:26 unknown-layer-type Choose the Temporal Segment Networks or PSPNet schema: layer type "BN" is not in BVLC Caffe.',
      '4:28 unknown-layer-type Choose the Temporal Segment Networks schema or another fork\'s: layer type "ROIPooling" is not in BVLC Caffe.',
      '6:26 unknown-layer-type Choose the Fast/Faster R-CNN or R-FCN schema: layer type "SmoothL1Loss" is not in BVLC Caffe.',
      '7:25 unknown-layer-type Choose the Temporal Segment Networks schema or another fork\'s: layer type "Normalize" is not in BVLC Caffe.',
    ],
  );
});

test('a shape error of a layer Synopsys Caffe rewrote is a warning under its schema, saying why', () => {
  // Its Eltwise broadcasts a smaller blob over the first (a per-channel constant here).
  const net =
    INPUT +
    'layer { name: "k" type: "Input" top: "k" input_param { shape { dim: 3 } } }\n' +
    'layer { name: "e" type: "Eltwise" bottom: "data" bottom: "k" top: "e" }\n';
  const bvlc = check(net).filter((f) => f.code === 'shape-mismatch');
  assert.equal(bvlc.length, 1);
  assert.equal(bvlc[0].severity, 'error');
  const schema = loadBundledFork('synopsys');
  const found = check(net, { schema, schemaKind: 'user' }).filter((f) => f.code === 'shape-mismatch');
  assert.equal(found.length, 1);
  assert.equal(found[0].severity, 'warning');
  assert.match(
    found[0].message,
    /\(Synopsys Caffe's Eltwise is not BVLC's: src\/caffe\/layers\/eltwise_layer\.cpp differs from every BVLC version, so it may do otherwise\)$/,
  );
});

test("its layer types: known under its schema, a fork's under others, and widely used plugins stay plugins", () => {
  const net =
    INPUT +
    'layer { name: "h" type: "HardSwish" bottom: "data" top: "h" }\n' +
    'layer { name: "s" type: "ShuffleChannel" bottom: "h" top: "s" shuffle_channel_param { group: 3 } }\n' +
    'layer { name: "a" type: "Add" bottom: "s" bottom: "h" top: "a" }\n';
  const types = (found: ReturnType<typeof check>) =>
    found.filter((f) => f.code === 'unknown-layer-type').map((f) => `${f.at} ${f.message}`);
  // Its own schema registers all three.
  assert.deepEqual(types(check(net, { schema: loadBundledFork('synopsys'), schemaKind: 'user' })), []);
  // Under the bundled BVLC schema its own types name it; ShuffleChannel is told as ShuffleNet's plugin.
  const bundled = types(checkBundled(net));
  assert.equal(bundled.length, 3, bundled.join('\n'));
  assert.match(
    bundled[0],
    /^2:\d+ Choose the Synopsys Caffe schema .*layer type "HardSwish" is not in BVLC Caffe/,
  );
  assert.match(bundled[1], /^3:\d+ Unknown layer type "ShuffleChannel": .*ShuffleNet/);
  assert.match(bundled[2], /^4:\d+ Choose the Synopsys Caffe schema .*"Add"/);
  // Another fork's schema in use does not know Synopsys Caffe's generic names (Add, Pad...): chosen as
  // the one in use, it is said not to register them.
  const pspnet = types(check(net, { schema: loadBundledFork('pspnet'), schemaKind: 'user' }));
  assert.equal(pspnet.length, 4, pspnet.join('\n'));
  // PSPNet's sources also predate BVLC's Input layer.
  assert.match(pspnet.shift() ?? '', /^1:\d+ Unknown layer type: Input: PSPNet \(hszhao\/PSPNet\)/);
  assert.match(
    pspnet[0],
    /^2:\d+ Unknown layer type: HardSwish: PSPNet \(hszhao\/PSPNet\), the schema in use \(bundled:pspnet\), does not register it, .* Synopsys Caffe \(synopsys-caffe\) has it/,
  );
  assert.match(pspnet[1], /^3:\d+ Unknown layer type "ShuffleChannel"/);
  assert.match(
    pspnet[2],
    /^4:\d+ Unknown layer type: Add: PSPNet .* Synopsys Caffe \(synopsys-caffe\) has it/,
  );
});
