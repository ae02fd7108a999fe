// Axis ranges, tick positions and tick labels for the line plots: round steps (1, 2 or 5 times a
// power of ten) on linear axes, powers of ten on logarithmic ones. Pure.

export interface Axis {
  /** The ends of the axis in data units (for a log axis: positive values). */
  min: number;
  max: number;
  log: boolean;
  ticks: number[];
}

/** A step of 1, 2 or 5 times a power of ten that cuts `span` into about `count` parts. */
export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/** A linear axis over [lo, hi] widened to whole steps; a single value gets some room around it. */
export function linearAxis(lo: number, hi: number, count = 5): Axis {
  if (!(hi > lo)) {
    const pad = lo === 0 ? 1 : Math.abs(lo) / 2;
    return linearAxis(lo - pad, hi + pad, count);
  }
  const step = niceStep(hi - lo, count);
  const min = Math.floor(lo / step + 1e-9) * step;
  const max = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let k = 0; min + k * step <= max + step * 1e-9; k++) ticks.push(clean(min + k * step, step));
  return { min, max, log: false, ticks };
}

/**
 * A logarithmic axis over [lo, hi] (both > 0) from the power of ten at or below lo to the one at or
 * above hi; ticks at powers of ten, every second or third one when there are many.
 */
export function logAxis(lo: number, hi: number): Axis {
  const from = Math.floor(Math.log10(lo) + 1e-9);
  const to = Math.max(from + 1, Math.ceil(Math.log10(hi) - 1e-9));
  const every = Math.ceil((to - from) / 8);
  const ticks: number[] = [];
  for (let e = from; e <= to; e += every) ticks.push(Number(`1e${e}`));
  return { min: Number(`1e${from}`), max: Number(`1e${to}`), log: true, ticks };
}

/** Where `value` falls on the axis, from 0 (min) to 1 (max). */
export function fraction(axis: Axis, value: number): number {
  if (axis.log)
    return (Math.log10(value) - Math.log10(axis.min)) / (Math.log10(axis.max) - Math.log10(axis.min));
  return (value - axis.min) / (axis.max - axis.min);
}

/** A tick value without the binary noise of repeated adding (0.30000000000000004 -> 0.3). */
function clean(value: number, step: number): number {
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  const rounded = Number(value.toFixed(Math.min(20, digits)));
  return Object.is(rounded, -0) ? 0 : rounded;
}

/** A short label: 0.001, 0.25, 12, 1e-5, 2.5e+6 (exponents outside 1e-3 .. 1e5). */
export function formatValue(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3 || magnitude >= 1e5) {
    const [mantissa, exponent] = value.toExponential(3).split('e');
    return `${trimZeros(mantissa)}e${exponent}`;
  }
  return trimZeros(value.toPrecision(4));
}

/** An iteration count: 950, 12k, 1.5M. */
export function formatIteration(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6) return `${trimZeros((value / 1e6).toPrecision(3))}M`;
  if (magnitude >= 1e4) return `${trimZeros((value / 1e3).toPrecision(3))}k`;
  return String(Math.round(value * 100) / 100);
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}
