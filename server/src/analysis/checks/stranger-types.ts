// The layer types no known Caffe registers, found around an unknown field: a `*_param` block beside
// such a type (openpose_train's OPData with op_transform_param), or a field of a standard block in
// such a layer (BinaryConvolution's convolution_param with binaryconnect_term), is that Caffe's.

import type { FieldNode } from '../../parser/ast';
import { ALL_LAYER_TYPES, forksWithLayerType, namedForks } from '../../schema/layer-types';
import type { Registration } from '../../schema/checkout-layers';
import type { ResolvedBlock } from '../model/resolve';
import type { CheckContext } from './context';

/** The type of the layer `parent` is, when `node` is one of its `*_param` blocks and no known Caffe registers that type. */
export function unknownTypeOfBlock(parent: ResolvedBlock, node: FieldNode): string | undefined {
  if (parent.def.fullName !== 'caffe.LayerParameter' || !node.name.endsWith('_param')) return undefined;
  return strangeType(parent);
}

/**
 * The type of the layer `parent` is and the forks that register it, when `node` is one of its `*_param`
 * blocks and that type is one only forks register (none of which defines the block, or it would be a
 * fork's field): happynear's Normalize with normalize_param is not SSD's, which reads norm_param.
 */
export function forkTypeOfBlock(
  parent: ResolvedBlock,
  node: FieldNode,
): { type: string; forks: readonly string[] } | undefined {
  if (parent.def.fullName !== 'caffe.LayerParameter' || !node.name.endsWith('_param')) return undefined;
  const value = parent.node.fields.find((f) => f.name === 'type')?.value;
  const type = value?.kind === 'string' ? value.value : undefined;
  const forks = type === undefined ? [] : namedForks(forksWithLayerType(type));
  return type !== undefined && forks.length > 0 ? { type, forks } : undefined;
}

/**
 * Where the repository's own sources register the type of the layer `parent` is, when `node` is one of
 * its `*_param` blocks and no known Caffe registers that type (arcface-caffe's AdaCosAddmScale with
 * adacos_add_m_scale_param): the block is that layer's addition to caffe.proto.
 */
export function repositoryTypeOfBlock(
  ctx: CheckContext,
  parent: ResolvedBlock,
  node: FieldNode,
): Registration | undefined {
  if (ctx.repositoryLayerType === undefined) return undefined;
  const type = unknownTypeOfBlock(parent, node);
  return type === undefined ? undefined : ctx.repositoryLayerType(type);
}

/** The type of a layer block when it is one no known Caffe registers. */
function strangeType(layer: ResolvedBlock): string | undefined {
  const value = layer.node.fields.find((f) => f.name === 'type')?.value;
  const type = value?.kind === 'string' ? value.value : undefined;
  return type !== undefined && type !== '' && !KNOWN_TYPES.has(type) ? type : undefined;
}

const KNOWN_TYPES: ReadonlySet<string> = new Set(ALL_LAYER_TYPES.map((l) => l.type));

/** How far back the walk's blocks are searched for the layer holding a block (its blocks come after it). */
const LAYER_LOOKBACK = 64;

/**
 * The type of the layer whose `*_param` block `parent` (the walk's block `at`) is, when no known Caffe
 * registers that type.
 */
export function unknownTypeAround(ctx: CheckContext, at: number, parent: ResolvedBlock): string | undefined {
  const owner = parent.owner;
  if (!owner?.name.endsWith('_param')) return undefined;
  for (let j = at - 1; j >= 0 && j >= at - LAYER_LOOKBACK; j--) {
    const block = ctx.blocks[j];
    if (!block.node.fields.includes(owner)) continue;
    return block.def.fullName === 'caffe.LayerParameter' ? strangeType(block) : undefined;
  }
  return undefined;
}
