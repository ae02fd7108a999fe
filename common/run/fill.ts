// How a run fills its bottoms, as the editor offers it: the `prototxt.run.fill` setting, fills given
// as command arguments, their description for the results, and the shape a `.npy` file holds (read
// from its header, so that the file's shape replaces the one inferred or asked). Editor-neutral, pure.

import type { BottomFill } from './types';

/** The values of the `prototxt.run.fill` setting. */
export type FillSetting = 'random' | 'zeros';

/** The setting's value, `random` for anything else. */
export function fillSetting(value: unknown): FillSetting {
  return value === 'zeros' ? 'zeros' : 'random';
}

/** One fill from JSON (`"zeros"`, `{ "npy": "/a.npy" }`); undefined when it is not one. */
function oneFill(value: unknown): BottomFill | undefined {
  if (value === 'random' || value === 'zeros') return value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const npy = (value as { npy?: unknown }).npy;
    if (typeof npy === 'string' && npy.trim() !== '') return { npy };
  }
  return undefined;
}

/**
 * Fills given as a command argument: one fill (for every bottom) or a list (one per bottom in order).
 * A string says what is wrong.
 */
export function fillsFrom(value: unknown): BottomFill[] | string {
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  const out: BottomFill[] = [];
  for (const item of list) {
    const fill = oneFill(item);
    if (!fill)
      return `a fill is "random", "zeros" or { "npy": "/path/to/file.npy" }, not ${JSON.stringify(item)}`;
    out.push(fill);
  }
  return out;
}

/** The fill of bottom `index` under `fills` (one for all, or one per bottom); random by default. */
export function fillOf(fills: readonly BottomFill[], index: number): BottomFill {
  return (fills.length === 1 ? fills[0] : fills[index]) ?? 'random';
}

/** `random (seeded)`, `zeros`, `data.npy, label.npy`: how the bottoms were filled, in a few words. */
export function describeFills(fills: readonly BottomFill[], bottoms: number): string {
  const each = Array.from({ length: Math.max(bottoms, fills.length === 1 ? 1 : fills.length) }, (_, i) =>
    fillOf(fills, i),
  );
  const words = each.map((f) =>
    typeof f === 'object' ? baseName(f.npy) : f === 'random' ? 'random (seeded)' : f,
  );
  const distinct = [...new Set(words)];
  return distinct.length === 1 ? distinct[0] : words.join(', ');
}

function baseName(file: string): string {
  return (
    file
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop() ?? file
  );
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/**
 * The shape stored in a `.npy` file, from its first bytes (the header is at most a few KiB; give at
 * least that much). A string says why it cannot be read.
 */
export function npyShape(bytes: Uint8Array): number[] | string {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    return 'not a .npy file (no \\x93NUMPY signature)';
  const major = bytes[6];
  if (major !== 1 && major !== 2 && major !== 3)
    return `unsupported .npy format version ${major}.${bytes[7]}`;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) return 'the .npy header is cut short';
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lengthBytes;
  if (bytes.length < start + headerLength) return 'the .npy header is cut short';
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(
    bytes.subarray(start, start + headerLength),
  );
  const m = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header);
  if (!m) return `no shape in the .npy header ${JSON.stringify(header.trim())}`;
  const parts = m[1]
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const dims: number[] = [];
  for (const p of parts) {
    // numpy writes `3L` for long dimensions in files from Python 2.
    const d = /^(\d+)L?$/.exec(p);
    if (!d || !Number.isSafeInteger(Number(d[1]))) return `the .npy shape (${m[1]}) is not a list of sizes`;
    dims.push(Number(d[1]));
  }
  return dims;
}
