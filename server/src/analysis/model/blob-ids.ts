// Numbers for the blob names of a net: each name written as a net input, a bottom or a top gets one,
// equal names the same. The blob graph is walked once per phase and state (the checks, shape
// inference); with numbers, each walk indexes arrays instead of looking every name up in a map of
// all the blobs, which on a net of 100,000 layers is most of a walk's time. Made once per net.

import type { NetLayer, NetModel } from './net';

export class BlobIds {
  /** The name of each number. */
  readonly names: string[] = [];
  private readonly byName = new Map<string, number>();
  /** The numbers of every layer's bottoms, then its tops, layer after layer. */
  private readonly refs: Int32Array;
  /** Where each layer's numbers start in `refs`, by its index in the net. */
  private readonly starts: Int32Array;
  /** Where each layer's numbers start, by layer, for a net whose layers are not at their own index. */
  private readonly startOf: Map<NetLayer, number> | undefined;
  private readonly layers: readonly NetLayer[];

  constructor(net: NetModel) {
    const layers = net.layers;
    this.layers = layers;
    for (let i = 0; i < net.inputs.length; i++) this.number(net.inputs[i].name);
    let total = 0;
    let atOwnIndex = true;
    for (let l = 0; l < layers.length; l++) {
      const layer = layers[l];
      total += layer.bottoms.length + layer.tops.length;
      if (layer.index !== l) atOwnIndex = false;
    }
    this.refs = new Int32Array(total);
    this.starts = new Int32Array(layers.length);
    this.startOf = atOwnIndex ? undefined : new Map();
    let at = 0;
    for (let l = 0; l < layers.length; l++) {
      const layer = layers[l];
      this.starts[l] = at;
      this.startOf?.set(layer, at);
      for (let i = 0; i < layer.bottoms.length; i++) this.refs[at++] = this.number(layer.bottoms[i].name);
      for (let i = 0; i < layer.tops.length; i++) this.refs[at++] = this.number(layer.tops[i].name);
    }
  }

  /** How many numbers there are: arrays by blob number have this length. */
  get count(): number {
    return this.names.length;
  }

  /** The number of a name the net writes, else undefined. */
  idOf(name: string): number | undefined {
    return this.byName.get(name);
  }

  /** The number of the layer's `i`th bottom (the layer must be one of the net's). */
  bottom(layer: NetLayer, i: number): number {
    return this.refs[this.start(layer) + i];
  }

  /** The number of the layer's `i`th top (the layer must be one of the net's). */
  top(layer: NetLayer, i: number): number {
    return this.refs[this.start(layer) + layer.bottoms.length + i];
  }

  /**
   * The indexes (in the net) of the layers that write or read the blob numbered `id`, in order; read
   * from the numbers alone, without a visit to every layer. Undefined for a net whose layers are not
   * at their own index.
   */
  layersUsing(id: number): number[] | undefined {
    if (this.startOf !== undefined) return undefined;
    const out: number[] = [];
    const { refs, starts } = this;
    for (let l = 0; l < starts.length; l++) {
      const end = l + 1 < starts.length ? starts[l + 1] : refs.length;
      for (let k = starts[l]; k < end; k++) {
        if (refs[k] === id) {
          out.push(l);
          break;
        }
      }
    }
    return out;
  }

  private start(layer: NetLayer): number {
    const startOf = this.startOf;
    if (startOf === undefined && this.layers[layer.index] === layer) return this.starts[layer.index];
    const at = startOf?.get(layer);
    if (at === undefined) throw new Error(`layer "${layer.name}" is not one of the net's`);
    return at;
  }

  private number(name: string): number {
    let id = this.byName.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.byName.set(name, id);
    }
    return id;
  }
}

const made = new WeakMap<NetModel, BlobIds>();

/** The blob numbers of `net`, made on first use (a net is never changed once built). */
export function blobIds(net: NetModel): BlobIds {
  let ids = made.get(net);
  if (ids === undefined) {
    ids = new BlobIds(net);
    made.set(net, ids);
  }
  return ids;
}
