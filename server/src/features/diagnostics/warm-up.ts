// What a first start of an entry point runs once, before bin/load-cached.js saves V8's code cache:
// the diagnostics of a small net, in memory (no file is read or written, nothing is printed). The
// cache then holds the reader, the analysis and the checks that nearly every later start runs, and
// holds the same whichever command ran first: the functions a first run happened to compile
// (everything a large net's shapes touched, or nothing past the help text) made later starts slower.

import { DocumentStore } from '../../documents';
import { Analyses } from '../../workspace/analyses';
import { PythonWorkspace } from '../../workspace/python-workspace';
import { prototxtDiagnostics } from './gather';

/** A train/test net of the common layer types, with phase rules, a loss and a typo-free body. */
const NET = `name: "warm-up"
layer { name: "data" type: "Input" top: "data" top: "label"
  input_param { shape { dim: 2 dim: 3 dim: 28 dim: 28 } shape { dim: 2 } } }
layer { name: "conv1" type: "Convolution" bottom: "data" top: "conv1"
  param { lr_mult: 1 } param { lr_mult: 2 }
  convolution_param { num_output: 8 kernel_size: 5 stride: 1 weight_filler { type: "xavier" }
    bias_filler { type: "constant" } } }
layer { name: "bn1" type: "BatchNorm" bottom: "conv1" top: "conv1" }
layer { name: "relu1" type: "ReLU" bottom: "conv1" top: "conv1" }
layer { name: "pool1" type: "Pooling" bottom: "conv1" top: "pool1"
  pooling_param { pool: MAX kernel_size: 2 stride: 2 } }
layer { name: "ip1" type: "InnerProduct" bottom: "pool1" top: "ip1"
  inner_product_param { num_output: 10 weight_filler { type: "xavier" } } }
layer { name: "drop1" type: "Dropout" bottom: "ip1" top: "ip1" dropout_param { dropout_ratio: 0.5 }
  include { phase: TRAIN } }
layer { name: "accuracy" type: "Accuracy" bottom: "ip1" bottom: "label" top: "accuracy"
  include { phase: TEST } }
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "ip1" bottom: "label" top: "loss" }
`;

/**
 * The diagnostics of the warm-up net (none: it is written without mistakes), or undefined when they
 * could not be had. Never throws: a start that cannot warm up only saves a smaller cache.
 */
export function warmUp(): readonly unknown[] | undefined {
  try {
    const documents = new DocumentStore();
    const analyses = new Analyses(documents, undefined, true);
    const python = new PythonWorkspace({ createParser: () => Promise.reject(new Error('not used')) });
    const uri = 'untitled:caffe-prototxt-warm-up.prototxt';
    const doc = documents.open(uri, 'prototxt', 1, NET);
    const found = prototxtDiagnostics(analyses.analyzedDoc(doc), python);
    documents.close(uri);
    return found;
  } catch {
    return undefined;
  }
}
