// The shape of each blob as shape inference walks a phase's layers, by blob number (model/blob-ids.ts):
// what a layer's bottoms read, and, once the phase is inferred, the final shape of each name.

import type { BlobIds } from '../model/blob-ids';
import type { NetLayer } from '../model/net';
import { AUTOMATIC_TOP } from './automatic-tops';
import type { BlobShapesByName, Shape } from './types';

export class BlobShapes implements BlobShapesByName {
  /** By blob number: undefined while no layer (nor input) has written the blob. */
  readonly shapes: (Shape | null | undefined)[];
  /** The automatic top of the last layer that made one. */
  automatic: Shape | null | undefined;

  constructor(readonly ids: BlobIds) {
    this.shapes = new Array<Shape | null | undefined>(ids.count).fill(undefined);
  }

  get(name: string): Shape | null | undefined {
    if (name === AUTOMATIC_TOP && this.automatic !== undefined) return this.automatic;
    const id = this.ids.idOf(name);
    return id === undefined ? undefined : this.shapes[id];
  }

  /**
   * Records the layer's tops. An in-place top that keeps its bottom's shape (ReLU, BatchNorm, Scale:
   * the same array) leaves the entry as it is. `bottoms`: the entries as the layer found them; without
   * it, read from the entries themselves.
   */
  setTops(
    layer: NetLayer,
    bottoms: readonly (Shape | null)[] | undefined,
    tops: readonly (Shape | null)[],
  ): void {
    const refs = layer.tops;
    for (let i = 0; i < refs.length; i++) {
      const name = refs[i].name;
      const shape = tops[i];
      // The bottom's entry as the layer found it (a shape, so the entry exists), unless an earlier
      // top of this layer has the same name and changed it: then the name test below fails first.
      const kept =
        shape !== null &&
        i < layer.bottoms.length &&
        layer.bottoms[i].name === name &&
        !namedBefore(refs, i, name) &&
        shape === (bottoms === undefined ? this.shapes[this.ids.bottom(layer, i)] : bottoms[i]);
      if (!kept) this.shapes[this.ids.top(layer, i)] = shape;
    }
  }
}

function namedBefore(refs: readonly { name: string }[], end: number, name: string): boolean {
  for (let j = 0; j < end; j++) if (refs[j].name === name) return true;
  return false;
}
