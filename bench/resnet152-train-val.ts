// A ResNet-152-sized train_val (~10k lines) made from the corpus's ResNet-152 deploy file: Data
// layers for TRAIN and TEST instead of the legacy input, learning-rate and filler blocks on every
// convolution, frozen statistics on every BatchNorm, and loss/accuracy layers at the end.

import fs from 'node:fs';
import path from 'node:path';

export const corpusRoot = path.resolve(__dirname, '../../shared/corpus');
export const RESNET_152 = path.join(
  corpusRoot,
  'files/KaimingHe__deep-residual-networks/prototxt/ResNet-152-deploy.prototxt',
);

export function resnet152TrainVal(): string | undefined {
  if (!fs.existsSync(RESNET_152)) return undefined;
  const deploy = fs.readFileSync(RESNET_152, 'utf8');
  const body = deploy
    .replace(/^input:.*\n(input_dim:.*\n)+/m, DATA_LAYERS)
    .replace(/type: "Convolution"\n/g, CONV_EXTRA)
    .replace(/type: "BatchNorm"\n/g, BN_EXTRA)
    .replace(/use_global_stats: true/g, 'use_global_stats: false');
  return body + LOSS_LAYERS;
}

const DATA_LAYERS = `layer {
\tname: "data"
\ttype: "Data"
\ttop: "data"
\ttop: "label"
\tinclude { phase: TRAIN }
\ttransform_param { mirror: true crop_size: 224 mean_value: 104 mean_value: 117 mean_value: 123 }
\tdata_param { source: "train_lmdb" batch_size: 32 backend: LMDB }
}
layer {
\tname: "data"
\ttype: "Data"
\ttop: "data"
\ttop: "label"
\tinclude { phase: TEST }
\ttransform_param { mirror: false crop_size: 224 mean_value: 104 mean_value: 117 mean_value: 123 }
\tdata_param { source: "val_lmdb" batch_size: 10 backend: LMDB }
}
`;

const CONV_EXTRA = `type: "Convolution"
\tparam {
\t\tlr_mult: 1
\t\tdecay_mult: 1
\t}
`;

const BN_EXTRA = `type: "BatchNorm"
\tparam { lr_mult: 0 decay_mult: 0 }
\tparam { lr_mult: 0 decay_mult: 0 }
\tparam { lr_mult: 0 decay_mult: 0 }
`;

const LOSS_LAYERS = `
layer {
\tname: "loss"
\ttype: "SoftmaxWithLoss"
\tbottom: "fc1000"
\tbottom: "label"
\ttop: "loss"
}
layer {
\tname: "accuracy"
\ttype: "Accuracy"
\tbottom: "fc1000"
\tbottom: "label"
\ttop: "accuracy"
\tinclude { phase: TEST }
}
`;
