// The blob graph of a net's layers: who writes and who reads each blob, and what each bottom reads.
//
//   blobGraph(net, layers)   -> producers/consumers of every blob, and what each bottom reads
//   new PhaseGraphs(net)     -> the layers kept in each phase and their blob graph, each made once
//   isInPlaceTop(layer, i)   -> the top rewrites one of the layer's own bottoms (ReLU and the like)

import type { Span } from '../../parser/ast';
import { layersInPhase, type NetLayer, type NetModel, type Phase } from './net';

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

/**
 * The layers a net keeps in each phase and their blob graph, made on first ask and kept: requests
 * about one document version (hover, definition) ask again and again, and on a large net each is a
 * walk over every layer.
 */
export class PhaseGraphs {
  private readonly made = new Map<
    Phase,
    { layers: readonly NetLayer[]; kept: Set<NetLayer>; graph?: BlobGraph }
  >();

  constructor(readonly net: NetModel) {}

  layers(phase: Phase): readonly NetLayer[] {
    return this.phase(phase).layers;
  }

  keeps(phase: Phase, layer: NetLayer): boolean {
    return this.phase(phase).kept.has(layer);
  }

  graph(phase: Phase): BlobGraph {
    const made = this.phase(phase);
    return (made.graph ??= blobGraph(this.net, made.layers));
  }

  private phase(phase: Phase) {
    let made = this.made.get(phase);
    if (!made) {
      const layers = layersInPhase(this.net, phase);
      made = { layers, kept: new Set(layers) };
      this.made.set(phase, made);
    }
    return made;
  }
}
