// Layers written alike: the same fields but for their names, tops and bottoms, on bottoms of the same
// shapes. Nets repeat their blocks (ResNet-152 writes 135 of its 155 convolutions as an earlier one
// is written, in the same place of a block of the same input), and a repeat is shaped as the first
// was: a rule reads only the layer's fields, its bottoms' shapes and which of its tops reuse a
// bottom's name. The first such layer's result, when nothing was reported for it, is the result of
// the others (with their own layer and bottoms, and their bottom where the first passed its own on).
// Layers are found by a short key of their writing, then compared in full.

import type { FieldNode } from '../../parser/ast';
import type { NetLayer } from '../model/net';
import type { LayerShapes, Shape } from './types';

/** Results kept per key at most. */
const MAX_CANDIDATES = 8;

export class TwinLayers {
  /** The first results, by a short key of their layer's writing and bottoms' shapes. */
  private readonly results = new Map<string, LayerShapes[]>();

  /** `text`: the document the net's layers were parsed from. */
  constructor(private readonly text: string) {}

  /**
   * A key of what makes `layer` on `bottoms` shape as another layer does, without reading the text:
   * its type, where its `name`, `top` and `bottom` fields stand among the others and how long the
   * text between them is, and its bottoms' shapes (`find` compares the text itself). Undefined for a
   * layer of the first format, whose fields are read otherwise.
   */
  key(layer: NetLayer, bottoms: readonly (Shape | null)[]): string | undefined {
    const body = layer.body;
    if (layer.format === 'v0' || body === undefined) return undefined;
    let key = layer.type;
    let from = -1;
    let to = -1;
    const fields = body.fields;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i];
      if (isNaming(f)) {
        if (from >= 0) key += `:${to - from}`;
        from = -1;
        key += f.name.charAt(0);
      } else {
        if (from < 0) from = f.start;
        to = f.end;
      }
    }
    if (from >= 0) key += `:${to - from}`;
    for (let b = 0; b < bottoms.length; b++) {
      const shape = bottoms[b];
      key += shape === null ? ';?' : `;${shape.join(',')}`;
    }
    return key;
  }

  /**
   * The result of the first layer written as `layer` (of the same `key`), made `layer`'s on its
   * `bottoms`; undefined if none.
   */
  find(key: string, layer: NetLayer, bottoms: (Shape | null)[]): LayerShapes | undefined {
    const candidates = this.results.get(key);
    if (candidates === undefined) return undefined;
    // The key holds the type, the bottoms' shapes and the length of each run of fields: what is left
    // to compare is which names repeat and the text of the runs.
    let first: LayerShapes | undefined;
    for (let i = 0; i < candidates.length && first === undefined; i++) {
      const c = candidates[i];
      if (sameNaming(c.layer, layer) && this.sameRuns(c.layer, layer)) first = c;
    }
    if (first === undefined) return undefined;
    const tops = new Array<Shape | null>(first.tops.length);
    for (let t = 0; t < tops.length; t++) {
      const top = first.tops[t];
      // A bottom passed on (in place, or as it is) is this layer's bottom.
      const same = top === null ? -1 : first.bottoms.indexOf(top);
      tops[t] = same >= 0 ? bottoms[same] : top;
    }
    // Written out in the order inference makes its results in (one object shape for all of them).
    return {
      layer,
      bottoms,
      tops,
      params: first.params,
      stats: first.stats,
      macs: first.macs,
      status: first.status,
      sharedParams: first.sharedParams,
      automaticTops: first.automaticTops,
      topSources: first.topSources,
    };
  }

  /**
   * Keeps `result` (of a layer `find` found no twin for, and nothing was reported for) for the layers
   * written alike later.
   */
  keep(key: string, result: LayerShapes): void {
    if (result.automaticTops.length > 0 || result.topSources !== undefined) return;
    const candidates = this.results.get(key);
    if (candidates === undefined) this.results.set(key, [result]);
    // Layers of one key written otherwise (another num_output of as many digits): a few are kept, so
    // that a look-up compares a bounded number of them.
    else if (candidates.length < MAX_CANDIDATES) candidates.push(result);
  }

  /**
   * Whether the runs of fields between the `name`, `top` and `bottom` fields of `a` and `b` (as many,
   * as long each, where their key is the same) are written the same.
   */
  private sameRuns(a: NetLayer, b: NetLayer): boolean {
    const fa = (a.body as { fields: readonly FieldNode[] }).fields;
    const fb = (b.body as { fields: readonly FieldNode[] }).fields;
    if (fa.length !== fb.length) return false;
    const text = this.text;
    let from = -1;
    for (let i = 0; i <= fa.length; i++) {
      const naming = i === fa.length || isNaming(fa[i]);
      if (naming !== (i === fb.length || isNaming(fb[i]))) return false;
      if (!naming) {
        if (from < 0) from = i;
        continue;
      }
      if (from < 0) continue;
      // A run of fields from..i-1 in each: the same text from its first field's start to its last's end.
      if (text.slice(fa[from].start, fa[i - 1].end) !== text.slice(fb[from].start, fb[i - 1].end))
        return false;
      from = -1;
    }
    return true;
  }
}

function isNaming(f: FieldNode): boolean {
  const name = f.name;
  return name === 'name' || name === 'top' || name === 'bottom';
}

/** Whether each top reuses the same bottom's or earlier top's name, and each bottom an earlier one's. */
function sameNaming(a: NetLayer, b: NetLayer): boolean {
  if (a.tops.length !== b.tops.length || a.bottoms.length !== b.bottoms.length) return false;
  for (let t = 0; t < a.tops.length; t++) {
    const x = a.tops[t].name;
    const y = b.tops[t].name;
    if (firstNamed(x, a.bottoms, a.bottoms.length) !== firstNamed(y, b.bottoms, b.bottoms.length))
      return false;
    if (firstNamed(x, a.tops, t) !== firstNamed(y, b.tops, t)) return false;
  }
  for (let i = 0; i < a.bottoms.length; i++)
    if (firstNamed(a.bottoms[i].name, a.bottoms, i) !== firstNamed(b.bottoms[i].name, b.bottoms, i))
      return false;
  return true;
}

/** The index of the first of `refs[0, end)` named `name`, or -1. */
function firstNamed(name: string, refs: readonly { name: string }[], end: number): number {
  for (let j = 0; j < end; j++) if (refs[j].name === name) return j;
  return -1;
}
