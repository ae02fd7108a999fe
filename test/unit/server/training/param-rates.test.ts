// Effective rates and decays per parameter blob: defaults, written specs, blob counts per layer type,
// frozen layers, BatchNorm's statistics, types whose blobs are unknown, V1 layers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNet } from '../../../../server/src/analysis/model/net';
import { parse } from '../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../server/src/schema/bundled';
import { effectiveRates, type LayerRates } from '../../../../server/src/training/param-rates';

function rates(net: string, baseLr = 0.01, weightDecay = 0.0005): LayerRates[] {
  return effectiveRates(
    buildNet(parse(net), loadBundledSchema()),
    { baseLr, weightDecay },
    loadBundledSchema(),
  );
}

function table(found: readonly LayerRates[]): string[] {
  return found.map(
    (l) =>
      `${l.layer.name}: ${l.blobs.map((b) => `${b.role} ${b.lr}/${b.decay}`).join(', ')}${l.frozen ? ' frozen' : ''}${l.countKnown ? '' : ' (count unknown)'}${l.extraSpecs.length ? ` +${l.extraSpecs.length} extra` : ''}`,
  );
}

const NET = `
layer { name: "data" type: "Input" top: "x" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }
layer { name: "conv1" type: "Convolution" bottom: "x" top: "c1"
  param { lr_mult: 1 decay_mult: 1 } param { lr_mult: 2 decay_mult: 0 }
  convolution_param { num_output: 4 kernel_size: 3 } }
layer { name: "conv2" type: "Convolution" bottom: "c1" top: "c2"
  convolution_param { num_output: 4 kernel_size: 3 bias_term: false } }
layer { name: "relu" type: "ReLU" bottom: "c2" top: "c2" }
layer { name: "bn" type: "BatchNorm" bottom: "c2" top: "c2" }
layer { name: "scale" type: "Scale" bottom: "c2" top: "c2" scale_param { bias_term: true } }
layer { name: "fc" type: "InnerProduct" bottom: "c2" top: "fc"
  param { lr_mult: 0 decay_mult: 0 } param { lr_mult: 0 decay_mult: 0 }
  inner_product_param { num_output: 2 } }
layer { name: "py" type: "Python" bottom: "fc" top: "p" param { lr_mult: 10 }
  python_param { module: "m" layer: "L" } }
layer { name: "tiny" type: "Bias" bottom: "p" bottom: "fc" top: "b" param { lr_mult: 3 } }
`;

test('base_lr x lr_mult and weight_decay x decay_mult per blob, 1 where no spec is written', () => {
  assert.deepEqual(table(rates(NET)), [
    'conv1: weights 0.01/0.0005, bias 0.02/0',
    'conv2: weights 0.01/0.0005',
    'bn: mean 0/0.0005, variance 0/0.0005, moving average factor 0/0.0005 frozen',
    'scale: scale 0.01/0.0005, bias 0.01/0.0005',
    'fc: weights 0/0, bias 0/0 frozen',
    // 0.01f × 10 is the float 0.099999994 (Caffe multiplies in single precision).
    'py: blob 0 0.099999994/0.0005 (count unknown)',
    // A Bias layer given its bias as a second bottom has no parameter: its spec is one too many.
    'tiny:  +1 extra',
  ]);
});

test('rates are single-precision products, written as their shortest decimal', () => {
  const [conv] = rates(
    'layer { name: "c" type: "Convolution" param { lr_mult: 3 } convolution_param { num_output: 1 kernel_size: 1 } }',
    0.1,
    0.1,
  );
  // 0.1f * 3 = 0.3 in single precision is 0.30000001192...; its shortest decimal is 0.3.
  assert.equal(conv.blobs[0].lr, 0.3);
  assert.equal(conv.blobs[0].decay, 0.1);
  assert.equal(conv.blobs[0].spec?.lrMult, 3);
  assert.equal(conv.blobs[1].spec, undefined);
});

test('recurrent layers, a Scale fed its scale, V1 layers with blobs_lr', () => {
  const found = rates(`
layer { name: "lstm" type: "LSTM" bottom: "x" bottom: "cont" top: "h" recurrent_param { num_output: 4 } }
layer { name: "rnn" type: "RNN" bottom: "x" bottom: "cont" bottom: "s" top: "r" recurrent_param { num_output: 4 } }
layer { name: "sc" type: "Scale" bottom: "h" bottom: "g" top: "y" }
layer { name: "pr" type: "PReLU" bottom: "y" top: "y" param { lr_mult: 0 } }
`);
  assert.deepEqual(table(found), [
    'lstm: W_xc 0.01/0.0005, b_c 0.01/0.0005, W_hc 0.01/0.0005',
    'rnn: W_xh 0.01/0.0005, b_h 0.01/0.0005, W_xh_static 0.01/0.0005, W_hh 0.01/0.0005, W_ho 0.01/0.0005, b_o 0.01/0.0005',
    'pr: slopes 0/0.0005 frozen',
  ]);
  const v1 =
    rates(`layers { name: "ip" type: INNER_PRODUCT bottom: "x" top: "y" blobs_lr: 1 blobs_lr: 2 weight_decay: 1 weight_decay: 0
  inner_product_param { num_output: 3 } }`);
  assert.deepEqual(table(v1), ['ip: weights 0.01/0.0005, bias 0.02/0']);
});

test('an unknown type without specs lists nothing; a solver without base_lr learns nothing', () => {
  assert.deepEqual(rates('layer { name: "u" type: "MyLayer" bottom: "x" top: "y" }'), []);
  const [c] = effectiveRates(
    buildNet(parse('layer { name: "c" type: "InnerProduct" inner_product_param { num_output: 1 } }')),
    {},
  );
  assert.deepEqual(
    c.blobs.map((b) => [b.lr, b.decay]),
    [
      [0, 0],
      [0, 0],
    ],
  );
});
