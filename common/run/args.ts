// The arguments of a layer run as the editor and the CLI pass them around, and the harness request made
// from them once every bottom shape is known. Pure: shared by the server's lenses, the CLI and the client.

import type { RunLayerArgs } from '../protocol';
import type { BottomFill, RunRequest } from './types';

/** RunLayerArgs plus the blob names the harness uses to build the layer's tops and bottoms. */
export interface LayerRunArgs extends RunLayerArgs {
  bottomNames?: string[];
  topNames?: string[];
}

/**
 * Completes the inferred bottom shapes with shapes the user gave (`--shape`, remembered, asked):
 * as many as there are bottoms replace them all; as many as there are unknown bottoms fill those in
 * order. A string says what is wrong or still missing.
 */
export function completeShapes(
  inferred: readonly (number[] | null)[],
  given: readonly number[][] = [],
): number[][] | string {
  const unknown = inferred.flatMap((s, i) => (s === null ? [i] : []));
  let out: (number[] | null)[];
  if (given.length === 0) out = [...inferred];
  else if (given.length === inferred.length) out = given.map((s) => [...s]);
  else if (given.length === unknown.length) {
    out = [...inferred];
    unknown.forEach((slot, k) => (out[slot] = [...given[k]]));
  } else {
    return (
      `${given.length} shape${given.length === 1 ? '' : 's'} given; the layer has ${inferred.length} ` +
      `bottom${inferred.length === 1 ? '' : 's'}` +
      (unknown.length && unknown.length !== inferred.length ? `, ${unknown.length} of unknown shape` : '')
    );
  }
  const missing = out.flatMap((s, i) => (s === null ? [i] : []));
  if (missing.length > 0) {
    return `the shape of bottom ${missing.map((i) => `#${i}`).join(', ')} is unknown; give it (e.g. 2,3,32,32)`;
  }
  return out as number[][];
}

/** One shape: `2,3,32,32`, `2x3x32x32` or `2 3 32 32`; `[]`-style brackets are accepted. */
export function parseShape(text: string): number[] | string {
  const shown = text.trim();
  const body = shown.replace(/^[[(]\s*/, '').replace(/\s*[\])]$/, '');
  if (body === '') return 'an empty shape';
  const parts = body.split(/\s*[,x×]\s*|\s+/i);
  if (parts.some((p) => p === ''))
    return `"${shown}" is not a shape: give positive whole numbers separated by commas, e.g. 2,3,32,32`;
  const dims: number[] = [];
  for (const p of parts) {
    if (!/^\d+$/.test(p)) return `"${p}" in "${shown}" is not a positive whole number`;
    const n = Number(p);
    if (n < 1 || !Number.isSafeInteger(n)) return `${p} in "${shown}" is not a positive dimension`;
    dims.push(n);
  }
  return dims;
}

/** Shapes separated by `;` (the input box's `2,3,32,32; 2`). */
export function parseShapeList(text: string): number[][] | string {
  const items = text.split(';').map((s) => s.trim());
  if (items.length > 0 && items[items.length - 1] === '') items.pop();
  if (items.length === 0) return 'no shape given';
  const out: number[][] = [];
  for (const item of items) {
    const s = parseShape(item);
    if (typeof s === 'string') return s;
    out.push(s);
  }
  return out;
}

export function formatShapeList(shapes: readonly (readonly number[] | null)[]): string {
  return shapes.map((s) => (s ? s.join(',') : '?')).join('; ');
}

export interface RequestOptions {
  gradcheck?: boolean;
  pycaffe?: RunRequest['pycaffe'];
  /** How bottoms are filled: one entry for all of them, or one per bottom in order (default random). */
  fills?: readonly BottomFill[];
}

/** The harness request for a layer with all bottom shapes known. */
export function runRequestFor(
  args: LayerRunArgs,
  shapes: readonly number[][],
  options: RequestOptions = {},
): RunRequest {
  const bottomNames = args.bottomNames ?? [];
  const topNames = args.topNames ?? [];
  // The generated pycaffe net needs distinct blob names; fall back to the harness's defaults otherwise.
  const distinct = new Set([...bottomNames, ...topNames]).size === bottomNames.length + topNames.length;
  const useNames = distinct && bottomNames.length === shapes.length;
  const fills = options.fills ?? [];
  return {
    module: args.module,
    layer: args.layerClass,
    layerName: args.layerName,
    paramStr: args.paramStr,
    phase: args.phase,
    bottoms: shapes.map((shape, i) => {
      const fill = fills.length === 1 ? fills[0] : fills[i];
      return { shape: [...shape], ...(useNames ? { name: bottomNames[i] } : {}), ...(fill ? { fill } : {}) };
    }),
    tops: useNames && topNames.length > 0 ? topNames : topNames.length || 1,
    gradcheck: options.gradcheck ?? args.gradcheck ?? false,
    pycaffe: options.pycaffe,
    searchPaths: args.searchPaths,
  };
}
