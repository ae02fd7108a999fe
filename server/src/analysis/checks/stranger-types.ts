// The layer types no known Caffe registers, found around an unknown field: a `*_param` block beside
// such a type (openpose_train's OPData with op_transform_param), or a field of a standard block in
// such a layer (BinaryConvolution's convolution_param with binaryconnect_term), is that Caffe's.

import type { FieldNode } from '../../parser/ast';
import { ALL_LAYER_TYPES, forksWithLayerType, namedForks } from '../../schema/layer-types';
import { PLUGIN_LAYER_TYPES } from '../../schema/plugin-layer-types';
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

/** Per document: the first stranger layer type of its net that comes with a block of its own. */
const strangerNets = new WeakMap<object, string | null>();

/**
 * The first layer type of the document's net that no known Caffe (nor a plugin, nor the repository's
 * sources) registers and whose layer has a `*_param` block the schema lacks (DN_CaffeScript's
 * DenseBlock with denseblock_param): the net is written for another Caffe, which may add fields to
 * Caffe's own messages too. Read from the document's top-level layers (the checks of blocks may run
 * before the net is built).
 */
export function strangerNetType(ctx: CheckContext): string | undefined {
  let found = strangerNets.get(ctx.ast);
  if (found === undefined) {
    found = null;
    for (const field of ctx.ast.fields) {
      const body = field.name === 'layer' && field.value?.kind === 'message' ? field.value : undefined;
      if (body === undefined) continue;
      const value = body.fields.find((f) => f.name === 'type')?.value;
      const type = value?.kind === 'string' ? value.value : undefined;
      if (type === undefined || type === '' || KNOWN_TYPES.has(type) || PLUGIN_LAYER_TYPES.has(type))
        continue;
      if (ctx.repositoryLayerType?.(type) !== undefined) continue;
      const own = body.fields.some(
        (f) => f.name.endsWith('_param') && ctx.schema.field('caffe.LayerParameter', f.name) === undefined,
      );
      if (own) {
        found = type;
        break;
      }
    }
    strangerNets.set(ctx.ast, found);
  }
  return found ?? undefined;
}
