// A layer's own parameter block where the repository's own C++ sources register the layer's type: the
// block is that layer's addition to caffe.proto (P3D's bn_param of its BN, pooling3d_param of its
// Pooling3D), whatever bundled forks have a block of the same name.

import path from 'node:path';
import type { FieldNode } from '../../parser/ast';
import type { AnalysisDiagnostic } from '../diagnostic';
import type { ResolvedBlock } from '../model/resolve';
import type { CheckContext } from './context';
import { isOwnBlock } from './fork-layer-fields';

/**
 * A layer's own block (bn_param of BN) where the repository's own sources register the layer's type
 * (P3D's caffe_add_layers/src/bn_layer.cpp): the block is that layer's addition to caffe.proto, not a
 * bundled fork's, whatever forks have a block of the name. A warning that says so, with no fork to choose.
 */
export function repositoryLayerBlock(
  ctx: CheckContext,
  parent: ResolvedBlock,
  node: FieldNode,
): AnalysisDiagnostic | undefined {
  if (ctx.repositoryLayerType === undefined || parent.def.fullName !== 'caffe.LayerParameter')
    return undefined;
  const value = parent.node.fields.find((f) => f.name === 'type')?.value;
  const type = value?.kind === 'string' ? value.value : undefined;
  if (type === undefined || !isOwnBlock(type, node.name)) return undefined;
  const registration = ctx.repositoryLayerType(type);
  if (registration === undefined) return undefined;
  return {
    severity: 'warning',
    code: 'fork-field',
    message:
      `"${node.name}" of LayerParameter is not in BVLC Caffe: it goes with the layer's type "${type}", which ` +
      `this repository's ${path.basename(registration.file)} registers, so it is that layer's addition to ` +
      "caffe.proto. Add it to your Caffe's caffe.proto and check the net against that (prototxt.schema.paths or --schema).",
    start: node.nameSpan.start,
    end: node.nameSpan.end,
    forks: [],
  };
}
