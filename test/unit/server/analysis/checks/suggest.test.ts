// Did-you-mean: real slips get the name meant; other names that merely share an ending do not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closestNames } from '../../../../../server/src/analysis/checks/suggest';

const FIELDS = [
  'num_output',
  'weight_filler',
  'convolution_param',
  'kernel_size',
  'cos_data_param',
  'squeeze_param',
  'reshape_param',
  'pooling_param',
];

test('slips of a letter or two get the name meant', () => {
  for (const [slip, meant] of [
    ['num_ouput', 'num_output'],
    ['num_ouptut', 'num_output'],
    ['wiegth_filler', 'weight_filler'],
    ['convolution_parm', 'convolution_param'],
    ['kernal_size', 'kernel_size'],
    ['Kernel_Size', 'kernel_size'],
    ['poolng_param', 'pooling_param'],
    // Two slips apart, one each side of what they share.
    ['kernal_sze', 'kernel_size'],
  ])
    assert.deepEqual(closestNames(slip, FIELDS), [meant], slip);
});

test('a name written in another case is offered alone', () => {
  assert.deepEqual(closestNames('SeLu', ['ReLU', 'ELU', 'SeLU', 'PReLU']), ['SeLU']);
  assert.deepEqual(closestNames('crop', ['Crop', 'Clip']), ['Crop']);
  assert.deepEqual(closestNames('Relu', ['ReLU', 'ReLU6', 'ELU']), ['ReLU']);
});

test('another name sharing a long ending is no slip: nothing is offered', () => {
  // Each is a field of some other Caffe: its stem differs from the candidate's as a whole.
  for (const other of ['bbox_data_param', 'squeezedet_param', 'resize_param', 'kernel_shape'])
    assert.deepEqual(closestNames(other, FIELDS), [], other);
  assert.deepEqual(closestNames('NdPooling', ['Pooling', 'ROIPooling']), []);
  assert.deepEqual(closestNames('POOLING3D', ['POOLING']), []);
});

test('a short stem with most of its letters changed is no slip', () => {
  // Layers and fields of other Caffes: two of the three letters that differ are other letters.
  assert.deepEqual(closestNames('DocData', ['CoSData', 'Data']), []);
  assert.deepEqual(closestNames('doc_data_param', FIELDS), []);
  assert.deepEqual(closestNames('apl_param', ['pad_param', 'spp_param']), []);
  assert.deepEqual(closestNames('ImageFloatData', ['ImageLocData']), []);
  assert.deepEqual(closestNames('filter_param', ['interp_param', 'tile_param']), []);
  assert.deepEqual(closestNames('new_length', ['new_height', 'new_width']), []);
  assert.deepEqual(closestNames('vstep_size', ['stepsize', 'iter_size']), ['stepsize']);
});
