// A BVLC layer another Caffe changed (fork-variants.ts): R-FCN's own Caffe (daijifeng001/caffe-rfcn)
// gives SoftmaxWithLoss a third top and one loss_weight per top. BVLC's check stays an error in a net
// with no layer of R-FCN's; in a net that uses R-FCN's own layer types it is a warning naming that
// Caffe, and only for what that Caffe accepts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../../../server/src/analysis/analyze';
import type { AnalysisDiagnostic } from '../../../../../server/src/analysis/diagnostic';
import { parse } from '../../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../../server/src/schema/bundled';

const schema = loadBundledSchema();

const INPUTS = `name: "ohem"
layer { name: "in" type: "Input" top: "score" top: "labels" top: "maps" top: "rois"
  input_param { shape { dim: 8 dim: 21 } shape { dim: 8 } shape { dim: 1 dim: 98 dim: 14 dim: 14 }
    shape { dim: 8 dim: 5 } } }
`;

/** R-FCN's position-sensitive pooling (registered by R-FCN's Caffes only). */
const PSROI = `layer { name: "psroi" type: "PSROIPooling" bottom: "maps" bottom: "rois" top: "pooled"
  psroi_pooling_param { spatial_scale: 0.0625 output_dim: 2 group_size: 7 } }
`;

/** SmoothL1Loss: several forks register it, so it tells no one Caffe. */
const SMOOTH_L1 = `layer { name: "smooth" type: "SmoothL1Loss" bottom: "score" bottom: "score" top: "box_loss" }
`;

const OHEM_SOFTMAX = `layer { name: "per_roi" type: "SoftmaxWithLoss" bottom: "score" bottom: "labels"
  top: "temp_loss" top: "temp_prob" top: "per_roi_loss"
  loss_weight: 0 loss_weight: 0 loss_weight: 0 propagate_down: false propagate_down: false }
`;

function problems(text: string): AnalysisDiagnostic[] {
  return analyze(text, parse(text), { schema, schemaKind: 'bundled' }).diagnostics.filter(
    (d) => d.code === 'blob-count',
  );
}

test("a third SoftmaxWithLoss top in a net of R-FCN's layers is a warning that names R-FCN's own Caffe", () => {
  const text = INPUTS + PSROI + OHEM_SOFTMAX;
  const found = problems(text);
  assert.equal(found.length, 1, JSON.stringify(found));
  const [warning] = found;
  assert.equal(warning.severity, 'warning');
  assert.equal(text.slice(warning.start, warning.end), '"per_roi_loss"');
  assert.match(warning.message, /at most 2 tops, this layer has 3 tops: BVLC Caffe stops building the net/);
  assert.match(warning.message, /uses PSROIPooling layers/);
  assert.match(warning.message, /daijifeng001\/caffe-rfcn/);
  // Said once: the loss weights BVLC's inner Softmax refuses are not told again for the same layer.
  assert.doesNotMatch(found.map((d) => d.message).join('\n'), /passes its loss_weight values/);
});

test('the same layer in a net with no layer only R-FCN registers stays an error', () => {
  for (const others of ['', SMOOTH_L1]) {
    const found = problems(INPUTS + others + OHEM_SOFTMAX);
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0].severity, 'error');
    assert.match(found[0].message, /: Caffe stops building the net/);
    assert.doesNotMatch(found[0].message, /caffe-rfcn/);
  }
});

test("more tops than R-FCN's Caffe takes stay an error", () => {
  const four = OHEM_SOFTMAX.replace('top: "per_roi_loss"', 'top: "per_roi_loss" top: "extra"').replace(
    'loss_weight: 0 propagate_down',
    'loss_weight: 0 loss_weight: 0 propagate_down',
  );
  const found = problems(INPUTS + PSROI + four);
  assert.equal(found.length, 1, JSON.stringify(found));
  assert.equal(found[0].severity, 'error');
  assert.match(found[0].message, /at most 2 tops, this layer has 4 tops/);
});

test("a loss_weight per top of a two-top SoftmaxWithLoss: an error under BVLC, a warning in R-FCN's nets", () => {
  const two = `layer { name: "cls" type: "SoftmaxWithLoss" bottom: "score" bottom: "labels"
  top: "loss" top: "prob" loss_weight: 1 loss_weight: 0 }
`;
  const plain = problems(INPUTS + two);
  assert.equal(plain.length, 1, JSON.stringify(plain));
  assert.equal(plain[0].severity, 'error');
  assert.match(plain[0].message, /passes its loss_weight values to the Softmax it makes inside/);

  const rfcn = problems(INPUTS + PSROI + two);
  assert.equal(rfcn.length, 1, JSON.stringify(rfcn));
  assert.equal(rfcn[0].severity, 'warning');
  assert.match(rfcn[0].message, /passes its loss_weight values/);
  assert.match(rfcn[0].message, /likely meant for R-FCN's own Caffe \(daijifeng001\/caffe-rfcn\)/);
});

test("a loss_weight count that no Caffe takes stays an error in R-FCN's nets", () => {
  // Two weights for three tops: LossLayer's own check refuses it in every Caffe.
  const text =
    INPUTS +
    PSROI +
    OHEM_SOFTMAX.replace('loss_weight: 0 loss_weight: 0 loss_weight: 0', 'loss_weight: 1 loss_weight: 0');
  const errors = problems(text).filter((d) => d.severity === 'error');
  assert.equal(errors.length, 1, JSON.stringify(problems(text)));
  assert.match(errors[0].message, /loss_weight/);
});

// MNC's own Caffe (daijifeng001/caffe-mnc) gives SigmoidCrossEntropyLoss a third bottom: a weight per
// element. MNC's nets (models/VGG16/cfm, mnc_5stage) use it beside that Caffe's MaskPooling layers.
const MNC_INPUTS = `name: "mnc"
layer { name: "in" type: "Input" top: "mask_score" top: "mask_targets" top: "mask_weight" top: "conv" top: "rois"
  input_param { shape { dim: 4 dim: 1 dim: 21 dim: 21 } shape { dim: 4 dim: 1 dim: 21 dim: 21 }
    shape { dim: 4 dim: 1 dim: 21 dim: 21 } shape { dim: 1 dim: 8 dim: 14 dim: 14 } shape { dim: 4 dim: 5 } } }
`;
const MASK_POOLING = `layer { name: "pool_mask" type: "MaskPooling" bottom: "conv" bottom: "rois" top: "pooled" }
`;
const WEIGHTED_SIGMOID = `layer { name: "loss_mask" type: "SigmoidCrossEntropyLoss"
  bottom: "mask_score" bottom: "mask_targets" bottom: "mask_weight" top: "loss_mask" }
`;

test("a third SigmoidCrossEntropyLoss bottom in a net of MNC's layers is a warning naming MNC's Caffe", () => {
  const found = problems(MNC_INPUTS + MASK_POOLING + WEIGHTED_SIGMOID);
  assert.equal(found.length, 1, JSON.stringify(found));
  assert.equal(found[0].severity, 'warning');
  assert.match(
    found[0].message,
    /takes 2 bottoms, this layer has 3 bottoms: BVLC Caffe stops building the net/,
  );
  assert.match(found[0].message, /uses MaskPooling layers, so it is likely meant for MNC's own Caffe/);
  assert.match(found[0].message, /daijifeng001\/caffe-mnc/);

  // Without a layer of MNC's, BVLC's check stands.
  const plain = problems(MNC_INPUTS + WEIGHTED_SIGMOID);
  assert.equal(plain.length, 1, JSON.stringify(plain));
  assert.equal(plain[0].severity, 'error');
  // A fourth bottom is more than MNC's Caffe takes too.
  const four = WEIGHTED_SIGMOID.replace('bottom: "mask_weight"', 'bottom: "mask_weight" bottom: "rois"');
  const more = problems(MNC_INPUTS + MASK_POOLING + four);
  assert.equal(more.length, 1, JSON.stringify(more));
  assert.equal(more[0].severity, 'error');
  assert.match(more[0].message, /takes 2 bottoms, this layer has 4 bottoms/);
});

test("weights of another size than the scores stop MNC's Caffe: an error on the third bottom", () => {
  const text = (MNC_INPUTS + MASK_POOLING + WEIGHTED_SIGMOID).replace(
    'shape { dim: 4 dim: 1 dim: 21 dim: 21 } shape { dim: 1 dim: 8',
    'shape { dim: 4 dim: 1 dim: 14 dim: 14 } shape { dim: 1 dim: 8',
  );
  const all = analyze(text, parse(text), { schema, schemaKind: 'bundled' }).diagnostics;
  const errors = all.filter((d) => d.severity === 'error');
  assert.equal(errors.length, 1, JSON.stringify(all));
  assert.equal(text.slice(errors[0].start, errors[0].end), '"mask_weight"');
  assert.match(
    errors[0].message,
    /the weights mask_weight \(4×1×14×14\) and mask_score \(4×1×21×21\) differ in size/,
  );
  assert.match(errors[0].message, /layer weight must be the same count/);
});

test("a one-bottom Eltwise: an error under BVLC, a warning in a net with FlowNet 2.0's layers", () => {
  const scale = `layer { name: "scale" type: "Eltwise" bottom: "score" top: "scaled"
  eltwise_param { operation: SUM coeff: 0.625 } }
`;
  const alone = problems(INPUTS + scale);
  assert.equal(alone.length, 1);
  assert.equal(alone[0].severity, 'error');
  assert.match(alone[0].message, /^Eltwise takes at least 2 bottoms, this layer has 1 bottom: Caffe stops/);
  // PWC-Net's nets: FlowNet 2.0's correlation beside it.
  const correlation = `layer { name: "corr" type: "Correlation" bottom: "maps" bottom: "maps" top: "corr" }
`;
  const flow = problems(INPUTS + correlation + scale);
  assert.equal(flow.length, 1);
  assert.equal(flow[0].severity, 'warning');
  assert.match(
    flow[0].message,
    /BVLC Caffe stops .* This net uses Correlation layers, so it is likely meant for FlowNet 2\.0's Caffe \(lmb-freiburg\/flownet2\) or one built on it, whose Eltwise takes a single bottom/,
  );
  // No bottom at all is refused there too.
  const none = problems(
    INPUTS + correlation + 'layer { name: "e" type: "Eltwise" top: "e" eltwise_param { operation: SUM } }\n',
  );
  assert.equal(none[0]?.severity, 'error');
});
