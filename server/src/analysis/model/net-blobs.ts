// The blob graph of a net's layers: who writes and who reads each blob, and what each bottom reads.
//
//   blobGraph(net, layers)   -> producers/consumers of every blob, and what each bottom reads
//   new PhaseGraphs(net)     -> the layers kept in each phase and their blob graph, each made once
//   isInPlaceTop(layer, i)   -> top i rewrites bottom i of the same layer (ReLU and the like)

import { lastAtOrBefore } from '../../../../common/arrays';
import type { Span } from '../../parser/ast';
import { blobIds } from './blob-ids';
import { type NetLayer, type NetModel, type Phase } from './net';
import { layersInPhase, sameLayers } from './net-filter';

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
  for (let l = 0; l < layers.length; l++) {
    const layer = layers[l];
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

/**
 * What a bottom named `name` of `layers[pos]` reads: the last top of that name before it, else the last
 * net input of that name (blobGraph's `sources`, found by looking back from one layer: a request about
 * one blob need not build the graph of a whole large net).
 */
export function latestWriter(
  net: NetModel,
  layers: readonly NetLayer[],
  pos: number,
  name: string,
): BlobEnd | undefined {
  for (let i = pos - 1; i >= 0; i--) {
    const tops = layers[i].tops;
    for (let slot = tops.length - 1; slot >= 0; slot--)
      if (tops[slot].name === name) return { layer: layers[i].index, slot, span: tops[slot].span };
  }
  for (let slot = net.inputs.length - 1; slot >= 0; slot--)
    if (net.inputs[slot].name === name) return { layer: -1, slot, span: net.inputs[slot].span };
  return undefined;
}

/** Where `layer` sits in `layers` (a list in net order, as layersInPhase gives); -1 when it is not there. */
export function positionIn(layers: readonly NetLayer[], layer: NetLayer): number {
  let lo = 0;
  let hi = layers.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = layers[mid];
    if (at === layer) return mid;
    if (at.index < layer.index) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The producers and consumers of one blob among `layers` (blobGraph's node of that name), in one pass. */
export function blobUses(net: NetModel, layers: readonly NetLayer[], name: string): BlobNode | undefined {
  const found: BlobNode = { name, producers: [], consumers: [] };
  net.inputs.forEach((input, slot) => {
    if (input.name === name) found.producers.push({ layer: -1, slot, span: input.span });
  });
  // The layers that name the blob, from the net's blob numbers (a hover on a large net would
  // otherwise compare every bottom and top of every layer), of those the phase keeps.
  const ids = blobIds(net);
  const id = ids.idOf(name);
  const using = id === undefined ? [] : ids.layersUsing(id);
  if (using === undefined) {
    for (let l = 0; l < layers.length; l++) addUses(found, layers[l]);
  } else {
    for (const index of using) {
      const layer = net.layers[index];
      if (keeps(net, layers, layer)) addUses(found, layer);
    }
  }
  return found.producers.length > 0 || found.consumers.length > 0 ? found : undefined;
}

function addUses(found: BlobNode, layer: NetLayer): void {
  const { bottoms, tops } = layer;
  const name = found.name;
  for (let slot = 0; slot < bottoms.length; slot++)
    if (bottoms[slot].name === name)
      found.consumers.push({ layer: layer.index, slot, span: bottoms[slot].span });
  for (let slot = 0; slot < tops.length; slot++)
    if (tops[slot].name === name) found.producers.push({ layer: layer.index, slot, span: tops[slot].span });
}

/** Whether `layers`, some of the net's layers in net order (a phase's), hold `layer`. */
function keeps(net: NetModel, layers: readonly NetLayer[], layer: NetLayer): boolean {
  if (layers === net.layers) return true;
  const at = lastAtOrBefore(layers.length, (i) => layers[i].index, layer.index);
  return at >= 0 && layers[at] === layer;
}

/** True when top `slot` of the layer rewrites one of its own bottoms (an in-place layer such as ReLU). */
export function isInPlaceTop(layer: NetLayer, slot: number): boolean {
  // As Caffe's Net::AppendTop: in place only over the bottom at the same position (top 0 over
  // bottom 0); a top named as another of its bottoms is a second producer of that blob.
  const top = layer.tops[slot];
  return top !== undefined && layer.bottoms[slot]?.name === top.name;
}

/**
 * The layers a net keeps in each phase and their blob graph, made on first ask and kept: requests
 * about one document version (hover, definition) ask again and again, and on a large net each is a
 * walk over every layer.
 */
export class PhaseGraphs {
  private readonly made = new Map<
    Phase,
    { layers: readonly NetLayer[]; kept?: Set<NetLayer>; graph?: BlobGraph }
  >();

  constructor(readonly net: NetModel) {}

  layers(phase: Phase): readonly NetLayer[] {
    return this.phase(phase).layers;
  }

  keeps(phase: Phase, layer: NetLayer): boolean {
    const made = this.phase(phase);
    // A net without state rules keeps every layer (layersInPhase gives the net's own list): no set.
    if (made.layers === this.net.layers) return this.net.layers[layer.index] === layer;
    return (made.kept ??= new Set(made.layers)).has(layer);
  }

  graph(phase: Phase): BlobGraph {
    const made = this.phase(phase);
    if (made.graph) return made.graph;
    // Phases that keep the same layers (every net without rules) share one graph.
    const other = this.made.get(phase === 'TRAIN' ? 'TEST' : 'TRAIN');
    made.graph =
      other?.graph && sameLayers(other.layers, made.layers) ? other.graph : blobGraph(this.net, made.layers);
    return made.graph;
  }

  private phase(phase: Phase) {
    let made = this.made.get(phase);
    if (!made) {
      made = { layers: layersInPhase(this.net, phase) };
      this.made.set(phase, made);
    }
    return made;
  }
}
