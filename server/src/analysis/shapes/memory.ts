// Memory of a net as Caffe counts it and as training holds it, from inferred shapes (float32, 4 bytes
// per element).
//
// - dataBytes: the figure Caffe logs when it builds a net, "Memory required for data": every top of
//   every layer it builds, at the size it has then (allocatedShape), counted once per layer that
//   writes it (an in-place top again), including
//   the tops Caffe adds: the legacy input layer's, a loss layer's automatic top, and the Split layers
//   it inserts for a blob read by several layers (and for a loss top that is also read).
// - paramBytes: every parameter blob Caffe allocates (BatchNorm statistics included), shared ones once.
// - trainingBytes: an estimate of what training holds: data and diff of every distinct blob (in-place
//   layers share theirs), the diff of each Split top (its data is its bottom's), data and diff of every
//   parameter. Solver history, convolution buffers and framework overhead are not included.

import { fieldsNamed, numberValue } from '../model/net-read';
import type { NetLayer } from '../model/net';
import { isComplete } from './arith';
import type { Shape, ShapeResult } from './types';

export const BYTES_PER_ELEMENT = 4;

export interface MemoryFigures {
  /** Per entry of `result.layers`: bytes of its tops (automatic ones included); null when one is unknown. */
  topBytes: (number | null)[];
  /** Bytes of the legacy inputs (`input:` fields), which Caffe builds as an Input layer named `input`. */
  inputBytes: number | null;
  dataBytes: number | null;
  paramBytes: number | null;
  trainingBytes: number | null;
}

/** Elements of a shape; null when any dim of it is unknown. */
function count(shape: Shape | null | undefined): number | null {
  if (!isComplete(shape)) return null;
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function sum(values: readonly (number | null)[]): number | null {
  let total = 0;
  for (const v of values) {
    if (v === null) return null;
    total += v;
  }
  return total;
}

/** The `loss_weight`s written on a layer, in order (Caffe's split rule reads only written ones). */
function lossWeights(layer: NetLayer): number[] {
  if (!layer.body) return [];
  return fieldsNamed(layer.body.fields, 'loss_weight').map((f) => numberValue(f.value) ?? 0);
}

/** One built layer: its bottoms, and its tops with their shapes (written tops first). */
interface Built {
  bottoms: readonly string[];
  tops: readonly { name: string; shape: Shape | null; inPlace: boolean }[];
  lossWeights: readonly number[];
}

/**
 * A V0 `padding` layer: Caffe's upgrade removes it and gives its pad to the convolution or pooling
 * layer that reads its top, which then reads the padding layer's bottom. Its top never exists.
 */
export function mergedByUpgrade(layer: NetLayer): boolean {
  return layer.format === 'v0' && layer.type === 'Padding';
}

/**
 * The shape Caffe gives a top when it builds the net, where inference leaves a dim unknown because
 * only a forward pass tells it: SSD's DetectionOutput sizes its top 1×1×1×7 in its Reshape (one fake
 * detection row) and resizes it to the detections kept after each forward. Caffe's "Memory required
 * for data" counts that one row.
 */
function allocatedShape(layer: NetLayer, shape: Shape | null): Shape | null {
  if (layer.type !== 'DetectionOutput' || shape === null || shape.length !== 4) return shape;
  const [n, c, rows, width] = shape;
  return n === 1 && c === 1 && Number.isNaN(rows) && width === 7 ? [1, 1, 1, 7] : shape;
}

function builtLayers(result: ShapeResult): Built[] {
  const built: Built[] = [];
  const padded = new Map<string, string>();
  if (result.inputs.length > 0) {
    const tops = result.inputs.map((i) => ({ name: i.name, shape: i.shape, inPlace: false }));
    built.push({ bottoms: [], tops, lossWeights: [] });
  }
  for (const l of result.layers) {
    if (mergedByUpgrade(l.layer)) {
      const [bottom, top] = [l.layer.bottoms[0]?.name, l.layer.tops[0]?.name];
      if (bottom !== undefined && top !== undefined) padded.set(top, padded.get(bottom) ?? bottom);
      continue;
    }
    const bottoms = l.layer.bottoms.map((b) => padded.get(b.name) ?? b.name);
    const written = l.layer.tops.map((t, i) => ({
      name: t.name,
      shape: allocatedShape(l.layer, l.tops[i] ?? null),
      inPlace: bottoms.includes(t.name),
    }));
    // Automatic tops are readable by no layer: a name no bottom can hold.
    const automatic = l.automaticTops.map((shape, i) => ({
      name: `\0auto${built.length}:${i}`,
      shape,
      inPlace: false,
    }));
    built.push({ bottoms, tops: [...written, ...automatic], lossWeights: lossWeights(l.layer) });
  }
  return built;
}

/** Element counts of the Split tops Caffe inserts: readers of each top beyond one, times its size. */
function splitElements(built: readonly Built[]): { total: number | null; tops: number } {
  const lastWriter = new Map<string, string>();
  const readers = new Map<string, number>();
  const shapeOf = new Map<string, Shape | null>();
  built.forEach((layer, i) => {
    for (const b of layer.bottoms) {
      const source = lastWriter.get(b);
      if (source !== undefined) readers.set(source, (readers.get(source) ?? 0) + 1);
    }
    layer.tops.forEach((t, j) => {
      const key = `${i}:${j}`;
      lastWriter.set(t.name, key);
      shapeOf.set(key, t.shape);
    });
    const last = Math.min(layer.lossWeights.length, layer.tops.length);
    for (let j = 0; j < last; j++) {
      const key = lastWriter.get(layer.tops[j].name);
      if (key !== undefined && layer.lossWeights[j] !== 0) readers.set(key, (readers.get(key) ?? 0) + 1);
    }
  });
  let total: number | null = 0;
  let tops = 0;
  for (const [key, n] of readers) {
    if (n <= 1) continue;
    tops += n;
    const c = count(shapeOf.get(key));
    total = total === null || c === null ? null : total + n * c;
  }
  return { total, tops };
}

/** Per entry of `result.layers` from per built layer: a layer Caffe merges away holds 0 bytes. */
function alignToLayers(result: ShapeResult, perBuilt: readonly (number | null)[]): (number | null)[] {
  let k = 0;
  return result.layers.map((l) => (mergedByUpgrade(l.layer) ? 0 : perBuilt[k++]));
}

/** Caffe's memory figures for an inferred net; each is null when a shape it needs is unknown. */
export function memoryOf(result: ShapeResult): MemoryFigures {
  const built = builtLayers(result);
  const hasInputs = result.inputs.length > 0;
  const perBuilt = built.map((layer) => sum(layer.tops.map((t) => count(t.shape))));
  const splits = splitElements(built);
  const topElements = sum(perBuilt);
  const dataElements = topElements === null || splits.total === null ? null : topElements + splits.total;
  const distinct = sum(
    built.flatMap((layer) => layer.tops.filter((t) => !t.inPlace).map((t) => count(t.shape))),
  );
  const incomplete = result.layers.some((l) => l.params === null);
  const paramElements = incomplete ? null : result.totals.params + result.totals.stats;
  const bytes = (n: number | null) => (n === null ? null : n * BYTES_PER_ELEMENT);
  return {
    topBytes: alignToLayers(result, perBuilt.slice(hasInputs ? 1 : 0)).map(bytes),
    inputBytes: hasInputs ? bytes(perBuilt[0]) : 0,
    dataBytes: bytes(dataElements),
    paramBytes: bytes(paramElements),
    trainingBytes:
      distinct === null || splits.total === null || paramElements === null
        ? null
        : bytes(2 * distinct + splits.total + 2 * paramElements),
  };
}

/** Bytes for people: exact below 1 KiB, else in KiB/MiB/GiB with one decimal; ? when unknown. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '?';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}
