// What is known of one layer type: what it does, the `*_param` fields it reads and its blob counts.
// BVLC's types are in layer-types.ts, the forks' in layer-types-forks.ts.

/** Inclusive bounds on a blob count; `max` undefined means no upper bound. */
export interface BlobCount {
  min: number;
  max?: number;
}

/** Blob-count bounds: `count(2)` exactly two, `count(1, 3)` one to three, `count(1, undefined)` one or more. */
export function count(min: number, ...max: [number | undefined] | []): BlobCount {
  // A default parameter would take an explicit undefined for "not given": told apart by the length.
  if (max.length === 0) return { min, max: min };
  const most = max[0];
  return most === undefined ? { min } : { min, max: most };
}

export interface LayerTypeInfo {
  /** The string written in `type: "..."`. */
  type: string;
  description: string;
  /** LayerParameter fields the layer reads, e.g. ['convolution_param']. */
  params: string[];
  bottoms?: BlobCount;
  tops?: BlobCount;
  /** Convolution-style layers: one top per bottom. */
  equalBottomTop?: boolean;
  /** Forks that register this type; absent for BVLC's own layers. */
  forks?: string[];
  /** A note about where the facts come from, when they were inferred. */
  note?: string;
}
