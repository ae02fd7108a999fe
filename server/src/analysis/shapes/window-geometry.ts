// What the sliding-window layers (convolutions, pooling) share: kernel, stride and pad per spatial
// axis, whether a kernel fits its padded input, and the result of a layer that cannot be set up.

import { isKnownDim, perAxis } from './arith';
import type { ParamBlock } from './params';
import type { RuleContext, RuleOutput } from './types';

export const CONV = 'convolution_param';

/**
 * One of kernel, stride or pad per spatial axis: `h` and `w` for a 2-D input when either is given, else
 * the repeated `list` (once, or once per axis); undefined + report on error.
 */
export function perSpatialAxis(
  ctx: RuleContext,
  p: ParamBlock,
  axes: number,
  h: string,
  w: string,
  list: string,
  fallback: number,
  block = CONV,
): number[] | undefined {
  if (p.has(h) || p.has(w)) {
    if (axes !== 2) {
      ctx.report(
        `${h}/${w} can only be used for 2-D ${ctx.layer.type}, the input has ${axes} spatial axes`,
        block,
      );
      return undefined;
    }
    return [p.number(h, fallback), p.number(w, fallback)];
  }
  const values = perAxis(p.numbers(list), axes, fallback);
  if (values === undefined) {
    ctx.report(`${list} must be given once or once per spatial axis (${axes})`, p.span(list) ?? block);
  }
  return values;
}

/** Whether a value is zero or negative (plain loops: the rules run once per layer). */
export function anyNonPositive(values: readonly number[]): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] <= 0) return true;
  return false;
}

/** Whether a padded input (`pad` per side, or Synopsys Caffe's sides) fits a kernel extent; else reported. */
export function fits(
  ctx: RuleContext,
  input: number,
  extent: number,
  pad: number | { total: number; written: string },
  axis: number,
  strict: boolean,
): boolean {
  const total = typeof pad === 'number' ? 2 * pad : pad.total;
  if (!isKnownDim(input) || input + total >= extent) return true;
  const written = typeof pad === 'number' ? `2×${pad}` : pad.written;
  // Pooling takes what there is: the window is clipped to the input and the layer builds.
  const builds = strict ? '' : ': Caffe builds the layer and pools the part of each window inside the input';
  ctx.report(
    `kernel extent ${extent} is larger than the padded input ${input + total} (${input} + ${written}) on axis ${axis}${builds}`,
    undefined,
    'kernel-too-large',
    strict ? 'error' : 'warning',
  );
  return false;
}

/** A problem of a layer that cannot be set up: reported at `at`, and no tops, blobs or work. */
export function bad(
  ctx: RuleContext,
  message: string,
  at: string | { start: number; end: number },
): RuleOutput {
  ctx.report(message, at);
  return { tops: [], params: null, macs: null };
}
