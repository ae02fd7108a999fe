// The blob graph of a net's layers: who writes and who reads each blob, and what each bottom reads.
//
//   blobGraph(net, layers)   -> producers/consumers of every blob, and what each bottom reads
//   isInPlaceTop(layer, i)   -> the top rewrites one of the layer's own bottoms (ReLU and the like)

import type { Span } from '../../parser/ast';
import type { NetLayer, NetModel } from './net';

/** One end of a blob edge: `layer` indexes `NetModel.layers`, or is -1 for a net input (`slot` = input index). */
export interface BlobEnd {
  layer: number;
  slot: number;
  span: Span;
}

export interface BlobNode {
  name: string;
  /** Every top that writes this name, in order (in-place layers included). */
  producers: BlobEnd[];
  consumers: BlobEnd[];
}

export interface BlobGraph {
  /** Blobs in order of first appearance. */
  blobs: Map<string, BlobNode>;
  /** For each layer index, what each bottom reads: the latest earlier producer, undefined when none. */
  sources: Map<number, (BlobEnd | undefined)[]>;
}

/** The blob graph of a list of layers (usually `layersInPhase(...)`), legacy inputs first. */
export function blobGraph(net: NetModel, layers: readonly NetLayer[]): BlobGraph {
  const blobs = new Map<string, BlobNode>();
  const latest = new Map<string, BlobEnd>();
  const node = (name: string): BlobNode => {
    let b = blobs.get(name);
    if (!b) blobs.set(name, (b = { name, producers: [], consumers: [] }));
    return b;
  };
  net.inputs.forEach((input, slot) => {
    const end = { layer: -1, slot, span: input.span };
    node(input.name).producers.push(end);
    latest.set(input.name, end);
  });
  const sources = new Map<number, (BlobEnd | undefined)[]>();
  for (const layer of layers) {
    sources.set(
      layer.index,
      layer.bottoms.map((b, slot) => {
        node(b.name).consumers.push({ layer: layer.index, slot, span: b.span });
        return latest.get(b.name);
      }),
    );
    layer.tops.forEach((t, slot) => {
      const end = { layer: layer.index, slot, span: t.span };
      node(t.name).producers.push(end);
      latest.set(t.name, end);
    });
  }
  return { blobs, sources };
}

/** True when top `slot` of the layer rewrites one of its own bottoms (an in-place layer such as ReLU). */
export function isInPlaceTop(layer: NetLayer, slot: number): boolean {
  const top = layer.tops[slot];
  return top !== undefined && layer.bottoms.some((b) => b.name === top.name);
}
