// Caffe's shape arithmetic on plain numbers (from its layers' Reshape methods). No AST here.
//
// A shape may be partly known: a dim the rules cannot tell (a data layer's image size read from its
// files, anything computed from such a dim) is NaN. Arithmetic on NaN stays NaN, so a rule written for
// known dims gives unknown dims wherever they depend on one; a rule's checks must only compare known
// dims (`isKnownDim`), since NaN makes every comparison false and every `!==` true.

/** The value of a dim nothing can tell. */
export const UNKNOWN_DIM = Number.NaN;

export function isKnownDim(d: number): boolean {
  return !Number.isNaN(d);
}

/** A dim as messages write it: the number, or '?' when unknown. */
export function formatDim(d: number): string {
  return isKnownDim(d) ? String(d) : '?';
}

/** Every dim known: a shape a layer can be run with. */
export function isComplete(shape: readonly number[] | null | undefined): shape is readonly number[] {
  if (shape === null || shape === undefined) return false;
  // A plain loop: asked for every top of every layer, and \`every\` boxes each (double) dim it passes.
  for (let i = 0; i < shape.length; i++) if (Number.isNaN(shape[i])) return false;
  return true;
}

/** Nothing known worth showing: no shape, or axes none of whose sizes is known (a scalar is known). */
export function isUnknownShape(shape: readonly number[] | null | undefined): boolean {
  if (shape === null || shape === undefined) return true;
  for (let i = 0; i < shape.length; i++) if (!Number.isNaN(shape[i])) return false;
  return shape.length > 0;
}

/** The shape when complete, else null (for callers that need every dim). */
export function completeOrNull(shape: readonly number[] | null | undefined): number[] | null {
  return isComplete(shape) ? [...shape] : null;
}

/** Elements in `shape[from..to)`; the whole shape by default. */
export function count(shape: readonly number[], from = 0, to = shape.length): number {
  let n = 1;
  for (let i = from; i < to; i++) n *= shape[i];
  return n;
}

/** Caffe's CanonicalAxisIndex: negative axes count from the end; undefined when out of range. */
export function canonicalAxis(axis: number, numAxes: number): number | undefined {
  const a = axis < 0 ? axis + numAxes : axis;
  return Number.isInteger(a) && a >= 0 && a < numAxes ? a : undefined;
}

/** Convolution / Im2col output size along one axis: floor((in + 2p - (d(k-1)+1)) / s) + 1. */
export function convOutSize(
  input: number,
  kernel: number,
  pad: number,
  stride: number,
  dilation = 1,
): number {
  const extent = dilation * (kernel - 1) + 1;
  return Math.floor((input + 2 * pad - extent) / stride) + 1;
}

/** Deconvolution output size along one axis: s(in - 1) + d(k-1)+1 - 2p. */
export function deconvOutSize(
  input: number,
  kernel: number,
  pad: number,
  stride: number,
  dilation = 1,
): number {
  const extent = dilation * (kernel - 1) + 1;
  return stride * (input - 1) + extent - 2 * pad;
}

/**
 * Pooling output size along one axis: ceil (default) or floor of (in + 2p - k) / s, plus one; when padded,
 * a last window that would start in the padding is dropped (Caffe's clipping).
 */
export function poolOutSize(
  input: number,
  kernel: number,
  pad: number,
  stride: number,
  ceilMode = true,
): number {
  const span = (input + 2 * pad - kernel) / stride;
  let out = (ceilMode ? Math.ceil(span) : Math.floor(span)) + 1;
  if (pad > 0 && (out - 1) * stride >= input + pad) out--;
  return out;
}

/** Broadcast `n` values (0, 1 or one per axis) over `axes` spatial axes, like Caffe's kernel/pad/stride lists. */
export function perAxis(values: readonly number[], axes: number, fallback: number): number[] | undefined {
  if (values.length > 1) return values.length === axes ? values.slice() : undefined;
  const value = values.length === 0 ? fallback : values[0];
  // A plain loop: Array(n).fill is a call into the runtime, and this runs several times per layer.
  const out: number[] = [];
  for (let i = 0; i < axes; i++) out.push(value);
  return out;
}

export type ReshapeResult = { shape: number[] } | { error: string };

/**
 * Caffe's Reshape layer: dims of `spec` replace bottom axes [axis, axis+numAxes) (numAxes -1 = to the end);
 * a 0 copies the bottom dim at the same position, one -1 is inferred from the element count.
 */
export function reshapeShape(
  bottom: readonly number[],
  spec: readonly number[],
  axis = 0,
  numAxes = -1,
): ReshapeResult {
  const start = axis < 0 ? axis + bottom.length + 1 : axis;
  if (start < 0 || start > bottom.length)
    return {
      error:
        `axis ${axis} is out of range for ${bottom.length} axes; Caffe stops ` +
        (start < 0
          ? `("axis ${axis} out of range")`
          : `("axis ${axis} out of range for ${bottom.length}-D input blob")`),
    };
  const end = numAxes === -1 ? bottom.length : start + numAxes;
  if (numAxes < -1)
    return {
      error: `num_axes ${numAxes} is out of range; Caffe stops ("num_axes must be >= 0, or -1 for all")`,
    };
  if (end > bottom.length)
    return {
      error:
        `axis ${axis} and num_axes ${numAxes} reach past the bottom's ${bottom.length} axes; Caffe stops ` +
        '("end_axis = axis + num_axes is out of range")',
    };
  const middle: number[] = [];
  let inferred = -1;
  for (let i = 0; i < spec.length; i++) {
    const d = spec[i];
    if (d === 0) {
      if (start + i >= bottom.length)
        return {
          error:
            `dim ${i} is 0 (copy) but the bottom has no axis ${start + i} to copy; Caffe stops ("new shape ` +
            'contains a 0, but there was no corresponding bottom axis to copy")',
        };
      middle.push(bottom[start + i]);
    } else if (d === -1) {
      if (inferred >= 0)
        return {
          error:
            'only one dim may be -1; Caffe stops ("new shape contains multiple -1 dims; at most a single (1) ' +
            'value of -1 may be specified")',
        };
      inferred = i;
      middle.push(1);
    } else if (d < -1 || !Number.isInteger(d)) {
      return { error: `dim ${i} is ${d}; dims must be positive, 0 (copy) or -1 (infer)` };
    } else {
      middle.push(d);
    }
  }
  const shape = [...bottom.slice(0, start), ...middle, ...bottom.slice(end)];
  const total = count(bottom);
  const known = count(shape);
  // With an unknown dim on either side the count cannot be checked, and an inferred dim is unknown.
  if (!isKnownDim(total) || !isKnownDim(known)) {
    if (inferred >= 0) shape[start + inferred] = UNKNOWN_DIM;
    return { shape };
  }
  if (inferred >= 0) {
    if (known === 0 || total % known !== 0) {
      const given = shape.map((d, i) => (i === start + inferred ? '?' : String(d))).join('×');
      return {
        error:
          `cannot infer the -1 dim: the other dims (${given}) come to ${known} and the bottom's ${total} ` +
          `elements are not a multiple of that; Caffe stops ("bottom count (${total}) must be divisible by ` +
          `the product of the specified dimensions (${known})")`,
      };
    }
    shape[start + inferred] = total / known;
  } else if (known !== total) {
    return {
      error:
        `the new shape (${shape.join('×')}) has ${known} elements but the bottom has ${total}; Caffe ` +
        'stops ("output count must match input count")',
    };
  }
  return { shape };
}

/** Two dims both known and not equal (an unknown dim may be anything): a CHECK_EQ that stops Caffe. */
export function knownToDiffer(a: number, b: number): boolean {
  return isKnownDim(a) && isKnownDim(b) && a !== b;
}

/** Shapes that may be the same: as many axes, and every dim equal where both are known. */
export function compatibleShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const d = a[i];
    const e = b[i];
    if (d !== e && !Number.isNaN(d) && !Number.isNaN(e)) return false;
  }
  return true;
}

/** Each dim of `a`, or of `b` where `a` does not know it (shapes already found compatible). */
export function mergeShapes(a: readonly number[], b: readonly number[]): number[] {
  return a.map((d, i) => (isKnownDim(d) ? d : (b[i] ?? d)));
}

/** The shape as formatShape writes it, or null when nothing of it is known. */
export function knownShapeText(shape: readonly number[] | null | undefined): string | null {
  return shape === undefined || isUnknownShape(shape) ? null : formatShape(shape);
}

/** `1×64×112×112`, `64×1×?×?` when partly known, the form used in hints and messages; '?' when unknown. */
export function formatShape(shape: readonly number[] | null): string {
  if (shape === null) return '?';
  if (shape.length === 0) return 'scalar';
  if (isUnknownShape(shape)) return '?';
  return shape.map(formatDim).join('×');
}
