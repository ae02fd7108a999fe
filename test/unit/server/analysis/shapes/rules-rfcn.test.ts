import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNet } from '../../../../../server/src/analysis/model/net';
import { inferShapes } from '../../../../../server/src/analysis/shapes';
import { loadBundledFork } from '../../../../../server/src/schema/bundled';
import { loadParser } from './test-parse';

const parsed = loadParser();
const rfcn = loadBundledFork('rfcn')!;

/** py-R-FCN's head (train_agnostic_ohem.prototxt): 128 regions, 21 classes, class-agnostic boxes. */
const INPUTS = `input: "rfcn_cls" input_shape { dim: 1 dim: 1029 dim: 38 dim: 50 }
input: "rfcn_bbox" input_shape { dim: 1 dim: 392 dim: 38 dim: 50 }
input: "rois" input_shape { dim: 128 dim: 5 dim: 1 dim: 1 }
input: "labels" input_shape { dim: 128 dim: 1 dim: 1 dim: 1 }
input: "bbox_targets" input_shape { dim: 128 dim: 8 dim: 1 dim: 1 }
input: "bbox_inside_weights" input_shape { dim: 128 dim: 8 dim: 1 dim: 1 }
`;

const HEAD = `layer { name: "ps_cls" type: "PSROIPooling" bottom: "rfcn_cls" bottom: "rois" top: "ps_cls"
  psroi_pooling_param { spatial_scale: 0.0625 output_dim: 21 group_size: 7 } }
layer { name: "cls_score" type: "Pooling" bottom: "ps_cls" top: "cls_score" pooling_param { pool: AVE kernel_size: 7 stride: 7 } }
layer { name: "ps_loc" type: "PSROIPooling" bottom: "rfcn_bbox" bottom: "rois" top: "ps_loc"
  psroi_pooling_param { spatial_scale: 0.0625 output_dim: 8 group_size: 7 } }
layer { name: "bbox_pred" type: "Pooling" bottom: "ps_loc" top: "bbox_pred" pooling_param { pool: AVE kernel_size: 7 stride: 7 } }
layer { name: "per_roi_loss_cls" type: "SoftmaxWithLossOHEM" bottom: "cls_score" bottom: "labels"
  top: "temp_loss_cls" top: "temp_prob_cls" top: "per_roi_loss_cls" }
layer { name: "per_roi_loss_bbox" type: "SmoothL1LossOHEM" bottom: "bbox_pred" bottom: "bbox_targets"
  bottom: "bbox_inside_weights" top: "temp_loss_bbox" top: "per_roi_loss_bbox" }
layer { name: "per_roi_loss" type: "Eltwise" bottom: "per_roi_loss_cls" bottom: "per_roi_loss_bbox" top: "per_roi_loss" }
layer { name: "annotator" type: "BoxAnnotatorOHEM" bottom: "rois" bottom: "per_roi_loss" bottom: "labels"
  bottom: "bbox_inside_weights" top: "labels_ohem" top: "bbox_loss_weights_ohem"
  box_annotator_ohem_param { roi_per_img: 128 ignore_label: -1 } }
layer { name: "loss_bbox" type: "SmoothL1LossOHEM" bottom: "bbox_pred" bottom: "bbox_targets"
  bottom: "bbox_loss_weights_ohem" top: "loss_bbox" loss_param { normalization: PRE_FIXED pre_fixed_normalizer: 128 } }
`;

async function run(text: string) {
  const result = inferShapes(buildNet((await parsed)(text)), 'TRAIN', rfcn);
  return { result, top: (name: string) => result.blobs.get(name) };
}

test("R-FCN's position-sensitive RoI pooling and hard example mining, as Microsoft/caffe shapes them", async () => {
  const { result, top } = await run(INPUTS + HEAD);
  assert.deepEqual(
    result.problems.map((p) => p.message),
    [],
  );
  assert.deepEqual(top('ps_cls'), [128, 21, 7, 7]);
  assert.deepEqual(top('cls_score'), [128, 21, 1, 1]);
  assert.deepEqual(top('ps_loc'), [128, 8, 7, 7]);
  assert.deepEqual(top('temp_loss_cls'), []);
  assert.deepEqual(top('temp_prob_cls'), [128, 21, 1, 1]);
  assert.deepEqual(top('per_roi_loss_cls'), [128, 1, 1, 1]);
  assert.deepEqual(top('per_roi_loss_bbox'), [128, 1, 1, 1]);
  assert.deepEqual(top('per_roi_loss'), [128, 1, 1, 1]);
  assert.deepEqual(top('labels_ohem'), [128, 1, 1, 1]);
  assert.deepEqual(top('bbox_loss_weights_ohem'), [128, 8, 1, 1]);
  assert.deepEqual(top('loss_bbox'), []);
  const ps = result.layers.find((l) => l.layer.name === 'ps_cls');
  assert.deepEqual([ps?.status, ps?.params], ['rule', 0]);
});

test("R-FCN's layers stop where Caffe's CHECKs do, in its words", async () => {
  const channels = await run(INPUTS + HEAD.replace('output_dim: 21', 'output_dim: 20'));
  assert.match(
    channels.result.problems[0]?.message ?? '',
    /PSROIPooling: the score maps \(1×1029×38×50\) have 1029 channels, output_dim × group_size² is 20 × 7² = 980; Caffe stops \("input channel number does not match layer parameters"\)/,
  );
  assert.equal(channels.top('ps_cls'), null);

  const zero = await run(
    INPUTS +
      HEAD.replace(
        'group_size: 7 } }\nlayer { name: "cls_score"',
        'group_size: 0 } }\nlayer { name: "cls_score"',
      ),
  );
  assert.match(zero.result.problems[0]?.message ?? '', /group_size must be > 0, it is 0; Caffe stops/);

  const labels = await run(
    INPUTS.replace('input: "labels" input_shape { dim: 128', 'input: "labels" input_shape { dim: 64') + HEAD,
  );
  assert.match(
    labels.result.problems[0]?.message ?? '',
    /SoftmaxWithLossOHEM: bottoms 0 \(128×21×1×1\) and 1 \(64×1×1×1\) differ in their first dimension/,
  );

  const rois = await run(INPUTS.replace('dim: 128 dim: 5', 'dim: 128 dim: 4') + HEAD);
  const annotator = rois.result.problems.find((p) => p.message.startsWith('BoxAnnotatorOHEM'));
  assert.match(
    annotator?.message ?? '',
    /bottom 0 \(128×4×1×1\) has channels 4, each region needs 5; Caffe stops \(a CHECK_EQ on bottom\[0\]->channels\(\)\)/,
  );

  const targets = await run(
    INPUTS.replace(
      'input: "bbox_targets" input_shape { dim: 128 dim: 8',
      'input: "bbox_targets" input_shape { dim: 128 dim: 84',
    ) + HEAD,
  );
  assert.match(
    targets.result.problems[0]?.message ?? '',
    /SmoothL1LossOHEM: bottom 1 \(128×84×1×1\) has channels 84, the predictions have 8/,
  );
});

test('a required R-FCN field left out gives unknown tops, not a second error', async () => {
  const { result, top } = await run(INPUTS + HEAD.replace('output_dim: 21 ', ''));
  assert.equal(top('ps_cls'), null);
  assert.deepEqual(
    result.problems.filter((p) => p.severity === 'error').map((p) => p.message),
    [],
  );
});
