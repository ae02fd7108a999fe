// Test helpers: text -> graph through the real parser, net model and shape inference.

import path from 'node:path';
import { buildNet } from '../../../../../server/src/analysis/model/net';
import { inferShapes } from '../../../../../server/src/analysis/shapes';
import { buildGraph } from '../../../../../server/src/features/graph/model';
import type { GraphPhase, NetGraph } from '../../../../../common/graph/types';
import { parse } from '../../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../../server/src/schema/bundled';
import { repoRoot } from '../../../../helpers/paths';

export { repoRoot };

export const corpus = path.resolve(repoRoot, '../shared/corpus');

export function graphOf(text: string, phase: GraphPhase = 'TEST', withShapes = true): NetGraph {
  const schema = loadBundledSchema();
  const net = buildNet(parse(text), schema);
  return buildGraph(net, phase, withShapes ? inferShapes(net, phase, schema) : undefined);
}

export const CONV_BLOCK = `name: "block"
input: "data"
input_shape { dim: 1 dim: 3 dim: 32 dim: 32 }
layer { name: "conv1" type: "Convolution" bottom: "data" top: "conv1"
  convolution_param { num_output: 8 kernel_size: 3 pad: 1 bias_term: false } }
layer { name: "bn1" type: "BatchNorm" bottom: "conv1" top: "conv1" }
layer { name: "scale1" type: "Scale" bottom: "conv1" top: "conv1" scale_param { bias_term: true } }
layer { name: "relu1" type: "ReLU" bottom: "conv1" top: "conv1" }
layer { name: "pool1" type: "Pooling" bottom: "conv1" top: "pool1"
  pooling_param { pool: MAX kernel_size: 2 stride: 2 } }
`;
