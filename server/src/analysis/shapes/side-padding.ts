// Synopsys Caffe's padding beside BVLC's `pad`: a pad per side of a 2-D window (`pad_t`, `pad_b`,
// `pad_l`, `pad_r`, as a TensorFlow conversion pads one side more than the other) and the older
// `pad_type: 1` (TensorFlow's "SAME": the output is the input divided by the stride, rounded up).
// Read by the convolution and pooling rules under any schema (these fields are Synopsys Caffe's alone),
// with the CHECKs of its base_conv_layer.cpp and pooling_layer.cpp set-up, in their words.

import type { Span } from '../../parser/ast';
import type { ParamBlock } from './params';
import { UnreadableParam } from './readable-params';
import type { RuleContext } from './types';

/** Padding per spatial axis (height, width) as Synopsys Caffe reads it; see `sidePadding`. */
export type SidePadding =
  /** Each axis padded by `before` (top, left) and `total` in all. */
  | { kind: 'sides'; before: [number, number]; total: [number, number] }
  /** pad_type 1: TensorFlow's "SAME". */
  | { kind: 'same' };

const SIDES = ['pad_t', 'pad_b', 'pad_l', 'pad_r'] as const;
/** Every field of this padding: a block without one (every BVLC net's) is read no further. */
const FIELDS: ReadonlySet<string> = new Set([...SIDES, 'pad_type']);

/** The layer whose block is read: their set-up CHECKs differ, and a deconvolution ignores pad_type. */
export type PaddedLayer = 'convolution' | 'deconvolution' | 'pooling';

/**
 * The block's Synopsys padding: undefined when it has none (no side padded, pad_type absent or 0;
 * a deconvolution's pad_type counts for nothing), null when Caffe stops at it (reported), in its
 * LayerSetUp's order. Pooling's CHECKs ask whether a field is written; the convolution's ask for
 * `pad` that way and for the others' values. `axes`: the window's spatial axes.
 */
export function sidePadding(
  ctx: RuleContext,
  p: ParamBlock,
  block: string,
  axes: number,
  layer: PaddedLayer,
): SidePadding | null | undefined {
  if (!p.writesAny(FIELDS)) return undefined;
  const pooling = layer === 'pooling';
  const stop = (what: string, words: string, at: Span | string): null => {
    ctx.report(`${what}: Caffe stops ("${words}")`, at);
    return null;
  };
  // `pad`, `pad_h` or `pad_w` beside the other padding (pooling: written at all; else non-zero).
  const symmetric = (field: 'pad' | 'pad_h' | 'pad_w') =>
    pooling || field === 'pad' ? p.has(field) : p.number(field, 0) !== 0;
  const typed = p.has('pad_type');
  if (typed) {
    const at = p.span('pad_type') ?? block;
    if (symmetric('pad'))
      return stop('pad_type and pad both given', 'Either pad or pad_type should be specified; not both.', at);
    if (symmetric('pad_h') || symmetric('pad_w'))
      return stop(
        'pad_type and pad_h/pad_w both given',
        'Either pad_h/w or pad_type should be specified; not both.',
        at,
      );
  }
  const [t, b, l, r] = SIDES.map((side) => p.number(side, 0));
  const type = p.number('pad_type', 0);
  if (t !== 0 || b !== 0 || l !== 0 || r !== 0) {
    const at = SIDES.map((side) => p.span(side)).find((s) => s !== undefined) ?? block;
    const both = (other: string) => `pad_t/pad_b/pad_l/pad_r and ${other} both given`;
    if (!pooling && axes !== 2)
      return stop(
        `pad_t/pad_b/pad_l/pad_r pad a 2-D window only, this one has ${axes} spatial axes`,
        'pad_l, pad_r, pad_t & pad_b can only be used for 2D convolution.',
        at,
      );
    if (symmetric('pad'))
      return stop(both('pad'), 'Either pad or pad_l/r/t/b should be specified; not both.', at);
    if (symmetric('pad_h') || symmetric('pad_w'))
      return stop(both('pad_h/pad_w'), 'Either pad_h/w or pad_l/r/t/b should be specified; not both.', at);
    if (pooling ? typed : type !== 0)
      return stop(both('pad_type'), 'Either pad_type or pad_l/r/t/b should be specified; not both.', at);
    return { kind: 'sides', before: [t, l], total: [t + b, l + r] };
  }
  if (!typed || type === 0 || layer === 'deconvolution') return undefined;
  if (type === 1) return { kind: 'same' };
  return stop(
    `pad_type ${type} is neither 0 (as pad) nor 1 (TensorFlow's SAME)`,
    pooling ? 'Unknown pooling padding type.' : 'Unknown padding type.',
    p.span('pad_type') ?? block,
  );
}

/**
 * For a rule that does not follow Synopsys Caffe's padding (its Im2col and ConvolutionDepthwise pad per
 * side too): the layer's tops are left unknown, as for any parameter a rule cannot read, when the block
 * has any.
 */
export function refuseSidePadding(p: ParamBlock): void {
  if (!p.writesAny(FIELDS)) return;
  for (const field of [...SIDES, 'pad_type'])
    if (p.number(field, 0) !== 0) throw new UnreadableParam(p.span(field) as Span);
}

/**
 * Synopsys Caffe's pooled size along spatial axis `i` (0: height) with its padding: pad_type 1 first,
 * else the sides, which drop a last window that would start in the padding as `pad` does.
 */
export function sidePooledSize(
  input: number,
  kernel: number,
  stride: number,
  ceil: boolean,
  side: SidePadding,
  i: number,
): number {
  if (side.kind === 'same') return Math.ceil(input / stride);
  const span = (input + side.total[i] - kernel) / stride;
  let out = (ceil ? Math.ceil(span) : Math.floor(span)) + 1;
  if ((out - 1) * stride >= input + side.before[i]) out--;
  return out;
}

/** How the side padding of axis `i` (0: height) is written: `top+bottom` or `left+right`. */
export function sidesWritten(side: SidePadding & { kind: 'sides' }, i: number): string {
  return `${side.before[i]}+${side.total[i] - side.before[i]}`;
}
