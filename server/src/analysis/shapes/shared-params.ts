// Parameter blobs shared by name (`param { name: "w" }` on two layers, as a siamese net's branches do)
// and what Net::Init checks of them, layer by layer in the phase's order: the first layer to name a
// blob owns it; a later one's blob must have the owner's shape (only its count with
// `share_mode: PERMISSIVE`), and an lr_mult or decay_mult it writes must equal one written before for
// that blob. A problem depends on two layers, so it is judged after a phase's inference, never kept
// with one layer's result.

import type { Span } from '../../parser/ast';
import type { Schema } from '../../schema/schema';
import type { AnalysisDiagnostic } from '../diagnostic';
import type { NetLayer, ParamSpecInfo } from '../model/net';
import { canonicalAxis, count, formatShape, isKnownDim, perAxis } from './arith';
import { parameterBlobRoles, specField } from './param-blobs';
import { LayerParams } from './params';
import { hasValuelessBlob, nonBvlcParam, UnreadableParam } from './readable-params';
import type { LayerShapes, Shape } from './types';

/** True when the layer names params and every one was named by an earlier layer; records the names. */
export function sharesParams(specs: readonly { name?: string }[], seen: Set<string>): boolean {
  let named = 0;
  let allSeen = true;
  for (let i = 0; i < specs.length; i++) {
    const name = specs[i].name;
    if (name === undefined || name === '') continue;
    named++;
    if (!seen.has(name)) allSeen = false;
  }
  if (named === 0) return false;
  for (let i = 0; i < specs.length; i++) {
    const name = specs[i].name;
    if (name !== undefined && name !== '') seen.add(name);
  }
  return allSeen;
}

interface Owned {
  layer: NetLayer;
  role: string;
  /** Undefined when not known here. */
  shape: Shape | undefined;
  /** The lr_mult and decay_mult the blob has once a spec wrote them. */
  lr?: number;
  decay?: number;
}

/**
 * The sharing problems of one phase's layers (in its order), pushed onto `problems`. Nothing is done
 * for a phase where no two specs name the same blob.
 */
export function sharingProblems(
  layers: readonly LayerShapes[],
  schema: Schema | undefined,
  problems: AnalysisDiagnostic[],
): void {
  if (!namesRepeat(layers)) return;
  const owners = new Map<string, Owned>();
  for (const result of layers) {
    const layer = result.layer;
    const specs = layer.paramSpecs;
    if (!specs.some((s) => s.name)) continue;
    const params = new LayerParams(layer, schema);
    const judged = layer.type !== 'Python' && !hasValuelessBlob(layer) && nonBvlcParam(layer) === undefined;
    const roles = judged ? parameterBlobRoles(layer, params) : undefined;
    const shapes = roles && readShapes(layer, result.bottoms, params);
    // Only the specs of blobs the layer has are matched (more is "Too many params", reported already).
    const n = Math.min(specs.length, roles?.length ?? specs.length);
    // Caffe stops at the layer's first problem.
    const before = problems.length;
    for (let i = 0; i < n && problems.length === before; i++) {
      const spec = specs[i];
      const name = spec.name;
      if (!name) continue;
      const role = roles?.[i] ?? `blob ${i}`;
      const owner = owners.get(name);
      if (owner === undefined) {
        owners.set(name, { layer, role, shape: shapes?.[i], lr: spec.lrMult, decay: spec.decayMult });
        continue;
      }
      const push = (message: string, at: Span) =>
        problems.push({ severity: 'error', code: 'param-share', message, start: at.start, end: at.end });
      const shared = `param '${name}' is shared with layer '${owner.layer.name}'`;
      const caffe = `Caffe stops building the net ("`;
      const shape = shapes?.[i];
      if (shape !== undefined && owner.shape !== undefined) {
        const permissive = shareMode(spec) === 'PERMISSIVE';
        const differ = permissive ? differentCounts(owner.shape, shape) : differentShapes(owner.shape, shape);
        if (differ) {
          const there = `${owner.role} ${formatShape(owner.shape)} there`;
          const sizes = `${there}, ${role === owner.role ? '' : `${role} `}${formatShape(shape)} here`;
          push(
            permissive
              ? `${shared}, but the counts differ: ${sizes}; ${caffe}Cannot share param '${name}' owned by layer '${owner.layer.name}' with layer '${layer.name}'; count mismatch.")`
              : `${shared}, but the shapes differ: ${sizes}; ${caffe}Cannot share param '${name}' owned by layer '${owner.layer.name}' with layer '${layer.name}'; shape mismatch.")`,
            specField(spec, 'name') ?? spec.span,
          );
          continue;
        }
      }
      for (const [key, field] of [
        ['lr', 'lr_mult'],
        ['decay', 'decay_mult'],
      ] as const) {
        const value = key === 'lr' ? spec.lrMult : spec.decayMult;
        if (value === undefined) continue;
        if (owner[key] === undefined) owner[key] = value;
        else if (owner[key] !== value && problems.length === before)
          push(
            `${shared}, where it has ${field} ${owner[key]}, not ${value}; ${caffe}Shared param '${name}' has mismatched ${field}.")`,
            specField(spec, field) ?? spec.span,
          );
      }
    }
  }
}

/** Whether two specs anywhere in the phase give the same name (cheap: most nets name none). */
function namesRepeat(layers: readonly LayerShapes[]): boolean {
  let seen: Set<string> | undefined;
  for (const result of layers) {
    const specs = result.layer.paramSpecs;
    for (let i = 0; i < specs.length; i++) {
      const name = specs[i].name;
      if (!name) continue;
      seen ??= new Set();
      if (seen.has(name)) return true;
      seen.add(name);
    }
  }
  return false;
}

/** Both shapes known where they differ: of other lengths, or a dim known in both and not equal. */
function differentShapes(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return true;
  for (let i = 0; i < a.length; i++) if (isKnownDim(a[i]) && isKnownDim(b[i]) && a[i] !== b[i]) return true;
  return false;
}

function differentCounts(a: Shape, b: Shape): boolean {
  const x = count(a);
  const y = count(b);
  return isKnownDim(x) && isKnownDim(y) && x !== y;
}

/** The shape of each parameter blob the layer makes on these bottoms (undefined where not known). */
export function readShapes(
  layer: NetLayer,
  bottoms: readonly (Shape | null)[],
  params: LayerParams,
): readonly (Shape | undefined)[] | undefined {
  try {
    return blobShapes(layer, bottoms[0] ?? undefined, bottoms, params);
  } catch (e) {
    // A value validation rejects is reported there.
    if (e instanceof UnreadableParam) return undefined;
    throw e;
  }
}

const UNKNOWN = Number.NaN;

function blobShapes(
  layer: NetLayer,
  b: Shape | undefined,
  bottoms: readonly (Shape | null)[],
  params: LayerParams,
): readonly (Shape | undefined)[] | undefined {
  switch (layer.type) {
    case 'Convolution':
    case 'Deconvolution': {
      const p = params.block('convolution_param');
      if (b === undefined) return undefined;
      const axis = canonicalAxis(p.number('axis', 1), b.length);
      if (axis === undefined) return undefined;
      const spatial = b.length - axis - 1;
      const kernel =
        p.has('kernel_h') || p.has('kernel_w')
          ? [p.number('kernel_h', 0), p.number('kernel_w', 0)]
          : perAxis(p.numbers('kernel_size'), spatial, 0);
      if (kernel === undefined) return undefined;
      const out = p.number('num_output', 0);
      const group = p.number('group', 1);
      const channels = b[axis];
      const weights =
        layer.type === 'Convolution'
          ? [out, isKnownDim(channels) ? channels / group : UNKNOWN, ...kernel]
          : [channels, out / group, ...kernel];
      return [weights, [out]];
    }
    case 'InnerProduct': {
      const p = params.block('inner_product_param');
      const out = p.number('num_output', 0);
      const axis = b === undefined ? undefined : canonicalAxis(p.number('axis', 1), b.length);
      const inputs = b === undefined || axis === undefined ? UNKNOWN : count(b, axis);
      return [p.bool('transpose', false) ? [inputs, out] : [out, inputs], [out]];
    }
    case 'Embed': {
      const p = params.block('embed_param');
      const out = p.number('num_output', 0);
      return [[p.number('input_dim', 0), out], [out]];
    }
    case 'PReLU':
      if (params.block('prelu_param').bool('channel_shared', false)) return [[]];
      return [[b === undefined || b.length < 2 ? UNKNOWN : b[1]]];
    case 'BatchNorm': {
      const channels = b === undefined ? UNKNOWN : b.length === 1 ? 1 : b[1];
      return [[channels], [channels], [1]];
    }
    case 'Scale':
    case 'Bias': {
      const p = params.block(layer.type === 'Scale' ? 'scale_param' : 'bias_param');
      // With a second bottom, the scale (or bias) is that blob; Scale's own bias takes its shape.
      const second = bottoms[1];
      const shape =
        bottoms.length > 1
          ? (second ?? undefined)
          : b && axesFrom(b, p.number('axis', 1), p.number('num_axes', 1));
      return [shape, shape];
    }
    case 'Parameter': {
      const shape = params.block('parameter_param').messages('shape')[0];
      return [shape === undefined ? [] : shape.numbers('dim')];
    }
  }
  return undefined;
}

/** The dims a Scale or Bias parameter covers: `num_axes` of them from `axis` (-1: to the end). */
function axesFrom(b: Shape, axisValue: number, numAxes: number): Shape | undefined {
  const axis = canonicalAxis(axisValue, b.length);
  if (axis === undefined) return b.length === 0 && numAxes <= 0 ? [] : undefined;
  const end = numAxes === -1 ? b.length : axis + numAxes;
  return end > b.length || numAxes < -1 ? undefined : b.slice(axis, end);
}

function shareMode(spec: ParamSpecInfo): string | undefined {
  const value = specField(spec, 'share_mode');
  return value?.kind === 'identifier' ? value.name : undefined;
}
