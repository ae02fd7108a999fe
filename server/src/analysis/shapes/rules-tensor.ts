// Rules for layers that join, split or rearrange blobs: Concat, Slice, Split, Eltwise, Flatten, Reshape,
// Crop, Tile, Reduction, ArgMax, BatchReindex, Filter and SSD's Permute.

import {
  canonicalAxis,
  compatibleShape,
  count,
  formatDim,
  formatShape,
  isKnownDim,
  isComplete,
  mergeShapes,
  reshapeShape,
} from './arith';
import type { Span } from '../../parser/ast';
import { pixelShuffle } from './rules-synopsys-space';
import type { RuleContext, RuleOutput, Shape, ShapeRule } from './types';

function fail(ctx: RuleContext, message: string, at?: string, code?: string): RuleOutput {
  ctx.report(message, at, code);
  return { tops: [] };
}

/** Whether two shapes of as many axes may be equal on every axis but `axis` (unknown dims match any). */
function sameOffAxis(a: Shape, b: Shape, axis: number): boolean {
  for (let j = 0; j < a.length; j++) {
    if (j === axis) continue;
    const d = a[j];
    const e = b[j];
    if (d !== e && isKnownDim(d) && isKnownDim(e)) return false;
  }
  return true;
}

function concat(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block('concat_param');
  const bottoms = ctx.bottoms as Shape[];
  const first = bottoms[0];
  const axis = canonicalAxis(
    p.has('concat_dim') ? p.number('concat_dim', 1) : p.number('axis', 1),
    first.length,
  );
  if (axis === undefined)
    return fail(ctx, `axis is out of range for a ${first.length}-axis input`, 'concat_param');
  let total = 0;
  let ok = true;
  let top = [...first];
  for (let i = 0; i < bottoms.length; i++) {
    const b = bottoms[i];
    const agrees = b.length === first.length && sameOffAxis(b, first, axis);
    if (!agrees) {
      ok = false;
      ctx.report(
        `Concat inputs disagree: ${ctx.layer.bottoms[0]?.name ?? 0} is ${formatShape(first)}, ` +
          `${ctx.layer.bottoms[i]?.name ?? i} is ${formatShape(b)} (only axis ${axis} may differ)`,
        undefined,
        'shape-mismatch',
      );
    }
    total += b[axis] ?? 0;
    // A top with every dim known has nothing to take from the others.
    if (agrees && !isComplete(top)) top = mergeShapes(top, b);
  }
  if (!ok) return { tops: [] };
  top[axis] = total;
  return { tops: [top] };
}

function slice(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block('slice_param');
  const b = ctx.bottoms[0] as Shape;
  const axis = canonicalAxis(p.has('slice_dim') ? p.number('slice_dim', 1) : p.number('axis', 1), b.length);
  if (axis === undefined)
    return fail(ctx, `axis is out of range for a ${b.length}-axis input`, 'slice_param');
  const n = ctx.layer.tops.length;
  const points = p.numbers('slice_point');
  const sizes: number[] = [];
  if (points.length > 0) {
    if (points.length !== n - 1) {
      return fail(
        ctx,
        `${points.length} slice_points need ${points.length + 1} tops, not ${n}`,
        'slice_param',
      );
    }
    let prev = 0;
    for (const pt of [...points, b[axis]]) {
      if (pt <= prev)
        return fail(ctx, `slice points must increase within 0..${formatDim(b[axis])}`, 'slice_param');
      sizes.push(pt - prev);
      prev = pt;
    }
  } else {
    if (n === 0 || (isKnownDim(b[axis]) && b[axis] % n !== 0)) {
      return fail(ctx, `axis ${axis} (${b[axis]}) cannot be divided evenly into ${n} tops`, 'slice_param');
    }
    for (let i = 0; i < n; i++) sizes.push(b[axis] / n);
  }
  return { tops: sizes.map((s) => b.map((d, j) => (j === axis ? s : d))) };
}

function eltwise(ctx: RuleContext): RuleOutput {
  const bottoms = ctx.bottoms as Shape[];
  let top = [...bottoms[0]];
  bottoms.forEach((b, i) => {
    if (compatibleShape(b, bottoms[0])) top = mergeShapes(top, b);
    else {
      ctx.report(
        `Eltwise inputs disagree: ${ctx.layer.bottoms[0]?.name ?? 0} is ${formatShape(bottoms[0])}, ` +
          `${ctx.layer.bottoms[i]?.name ?? i} is ${formatShape(b)}`,
        undefined,
        'shape-mismatch',
      );
    }
  });
  // Its coefficients are set-up checks (setup-simple.ts).
  return { tops: [top] };
}

function flatten(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block('flatten_param');
  const b = ctx.bottoms[0] as Shape;
  const start = canonicalAxis(p.number('axis', 1), b.length);
  const end = canonicalAxis(p.number('end_axis', -1), b.length);
  if (start === undefined || end === undefined || end < start) {
    return fail(ctx, `axis/end_axis are out of range for a ${b.length}-axis input`, 'flatten_param');
  }
  return { tops: [[...b.slice(0, start), count(b, start, end + 1), ...b.slice(end + 1)]] };
}

function reshape(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block('reshape_param');
  // Synopsys Caffe's: a pixel shuffle instead of the shape when pixelshuffler is not 1.
  if (p.number('pixelshuffler', 1) !== 1) return pixelShuffle(ctx);
  const spec = p.messages('shape')[0]?.numbers('dim') ?? [];
  const r = reshapeShape(ctx.bottoms[0] as Shape, spec, p.number('axis', 0), p.number('num_axes', -1));
  if ('error' in r) {
    const written = spec.length > 0 ? ` to ${spec.join(', ')}` : '';
    const from = `${ctx.layer.bottoms[0].name} (${formatShape(ctx.bottoms[0] as Shape)})`;
    return fail(ctx, `Reshape of ${from}${written}: ${r.error}`, 'reshape_param', 'reshape-count');
  }
  return { tops: [r.shape] };
}

/** CropLayer's LayerSetUp and Reshape: data cropped to the reference's size from `axis` on. */
function crop(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block('crop_param');
  const [a, ref] = ctx.bottoms as Shape[];
  const written = p.number('axis', 2);
  const axis = canonicalAxis(written, a.length);
  const refuse = (ours: string, caffe: string, at: Span | undefined, code?: string) =>
    ctx.report(`Crop: ${ours}; Caffe stops building the net ("${caffe}")`, at ?? 'crop_param', code);
  if (axis === undefined) {
    refuse(
      `axis ${written} is out of range for the ${a.length}-axis input`,
      `axis ${written} out of range for ${a.length}-D Blob`,
      p.span('axis'),
    );
    return { tops: [] };
  }
  const offsets = p.numbers('offset');
  if (offsets.length > 1 && axis + offsets.length !== a.length) {
    refuse(
      `${offsets.length} offsets for the ${a.length - axis} axes from axis ${axis}: give one, or one per axis`,
      'number of offset values specified must be equal to the number of dimensions following axis.',
      p.span('offset'),
    );
    return { tops: [] };
  }
  if (ref.length < a.length) {
    refuse(
      `the reference ${formatShape(ref)} has fewer axes than the input ${formatShape(a)}`,
      `axis ${ref.length} out of range for ${ref.length}-D Blob`,
      ctx.layer.bottoms[1]?.span,
    );
    return { tops: [] };
  }
  const top = [...a];
  for (let i = axis; i < a.length; i++) {
    const off = offsets.length === 0 ? 0 : offsets.length === 1 ? offsets[0] : offsets[i - axis];
    if (a[i] - off < ref[i])
      refuse(
        `axis ${i} of size ${a[i]} cannot give ${ref[i]} from offset ${off}`,
        `the crop for dimension ${i} is out-of-bounds with size ${ref[i]} and offset ${off}`,
        offsets.length > 0 ? p.span('offset') : ctx.layer.bottoms[1]?.span,
        'crop-out-of-bounds',
      );
    top[i] = ref[i];
  }
  return { tops: [top] };
}

function tile(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block('tile_param');
  const b = ctx.bottoms[0] as Shape;
  const axis = canonicalAxis(p.number('axis', 1), b.length);
  if (axis === undefined) return fail(ctx, `axis is out of range for a ${b.length}-axis input`, 'tile_param');
  const top = [...b];
  top[axis] *= p.number('tiles', 0);
  return { tops: [top] };
}

function reduction(ctx: RuleContext): RuleOutput {
  const b = ctx.bottoms[0] as Shape;
  const axis = canonicalAxis(ctx.params.block('reduction_param').number('axis', 0), b.length);
  if (axis === undefined)
    return fail(ctx, `axis is out of range for a ${b.length}-axis input`, 'reduction_param');
  return { tops: [b.slice(0, axis)] };
}

/** ArgMax's top_k past what it chooses from: placed on top_k. */
function tooMany(ctx: RuleContext, message: string): RuleOutput {
  const p = ctx.params.block('argmax_param');
  ctx.report(message, p.span('top_k') ?? 'argmax_param');
  return { tops: [] };
}

function argMax(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block('argmax_param');
  const b = ctx.bottoms[0] as Shape;
  const k = p.number('top_k', 1);
  if (p.has('axis')) {
    const axis = canonicalAxis(p.number('axis', 0), b.length);
    if (axis === undefined)
      return fail(ctx, `axis is out of range for a ${b.length}-axis input`, 'argmax_param');
    if (isKnownDim(b[axis]) && k > b[axis])
      return tooMany(
        ctx,
        `ArgMax: top_k ${k} is more than the ${b[axis]} values on axis ${axis} of ${formatShape(b)}; Caffe stops ` +
          `building the net ("top_k must be less than or equal to the dimension of the axis.")`,
      );
    return { tops: [b.map((d, i) => (i === axis ? k : d))] };
  }
  const perInstance = count(b, 1);
  if (isKnownDim(perInstance) && k > perInstance)
    return tooMany(
      ctx,
      `ArgMax: top_k ${k} is more than the ${perInstance} values per item of ${formatShape(b)}; Caffe stops building ` +
        `the net ("top_k must be less than or equal to the dimension of the flattened bottom blob per instance.")`,
    );
  const top = Array<number>(Math.max(3, b.length)).fill(1);
  top[0] = b[0];
  top[1] = p.bool('out_max_val', false) ? 2 : 1;
  top[2] = k;
  return { tops: [top] };
}

function batchReindex(ctx: RuleContext): RuleOutput {
  const [data, index] = ctx.bottoms as Shape[];
  return { tops: [[index[0], ...data.slice(1)]] };
}

function permute(ctx: RuleContext): RuleOutput {
  const b = ctx.bottoms[0] as Shape;
  const order: number[] = [];
  for (const o of ctx.params.block('permute_param').numbers('order')) {
    const a = canonicalAxis(o, b.length);
    if (a === undefined || order.includes(a))
      return fail(ctx, `order ${o} is out of range or repeated`, 'permute_param');
    order.push(a);
  }
  for (let i = 0; i < b.length; i++) if (!order.includes(i)) order.push(i);
  return { tops: [order.map((a) => b[a])] };
}

function split(ctx: RuleContext): RuleOutput {
  return { tops: ctx.layer.tops.map(() => [...(ctx.bottoms[0] as Shape)]) };
}

export const TENSOR_RULES: Record<string, ShapeRule> = {
  Concat: { needs: Infinity, run: concat },
  Slice: { needs: 1, run: slice },
  Split: { needs: 1, run: split },
  Eltwise: { needs: Infinity, run: eltwise },
  Flatten: { needs: 1, run: flatten },
  Reshape: { needs: 1, run: reshape },
  Crop: { needs: 2, run: crop },
  Tile: { needs: 1, run: tile },
  Reduction: { needs: 1, run: reduction },
  ArgMax: { needs: 1, run: argMax },
  BatchReindex: { needs: 2, run: batchReindex },
  // Filter's output batch depends on the selector's values: unknown until run.
  Filter: { needs: 0, run: () => ({ tops: [] }) },
  Permute: { needs: 1, run: permute },
};
