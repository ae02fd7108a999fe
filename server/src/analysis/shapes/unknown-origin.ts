// Why a shape is (partly) unknown: the layer where the unknown dims start. Walks one phase's inferred
// layers in order and follows every incomplete shape back to the first layer whose rule could not tell
// it from complete bottoms (a Python layer, a type without a shape rule, a data reader whose image
// size is in its files), or to a net input without a shape, or to a bottom no layer produces.

import type { NetLayer } from '../model/net';
import { isComplete } from './arith';
import type { LayerShapes, Shape, ShapeResult } from './types';

export type UnknownOrigin =
  /**
   * A layer whose own rule left the dims unknown though its bottoms were complete: its top `top`
   * (slot `slot`) has the shape `shape`.
   */
  | { kind: 'layer'; layer: NetLayer; why: UnknownReason; top: string; shape: Shape | null }
  /** A legacy `input:` declared without a (complete) shape. */
  | { kind: 'input'; name: string }
  /** A bottom read before (or without) any layer producing it in this phase. */
  | { kind: 'missing'; name: string };

/**
 * 'python': a Python layer (known once run); 'no-rule': a type inference has no rule for; 'reader': a
 * layer without bottoms (a data reader) whose parameters do not say every dim; 'rule': a rule that
 * could not tell from its (complete) bottoms, e.g. one whose output depends on the data or that
 * reported a problem.
 */
export type UnknownReason = 'python' | 'no-rule' | 'reader' | 'rule';

export interface LayerOrigins {
  bottoms: (UnknownOrigin | undefined)[];
  tops: (UnknownOrigin | undefined)[];
}

/**
 * For every inferred layer of `result` (by layer index), where each incomplete bottom and top starts.
 * `inputs` names the net's legacy inputs.
 */
export function unknownOrigins(result: ShapeResult, inputs: readonly string[]): Map<number, LayerOrigins> {
  const byBlob = new Map<string, UnknownOrigin>();
  const written = new Set<string>();
  const out = new Map<number, LayerOrigins>();
  const unproduced = (name: string): UnknownOrigin =>
    inputs.includes(name) && !written.has(name) ? { kind: 'input', name } : { kind: 'missing', name };
  for (const shaped of result.layers) {
    const layer = shaped.layer;
    const bottoms = layer.bottoms.map((b, i) =>
      isComplete(shaped.bottoms[i]) ? undefined : (byBlob.get(b.name) ?? unproduced(b.name)),
    );
    const upstream = bottoms.find((o) => o !== undefined);
    const why = reasonOf(shaped.layer, shaped.status);
    const tops = layer.tops.map((t, i): UnknownOrigin | undefined => {
      const shape = shaped.tops[i] ?? null;
      if (isComplete(shape)) return undefined;
      return upstream ?? { kind: 'layer', layer, why, top: t.name, shape };
    });
    layer.tops.forEach((t, i) => {
      written.add(t.name);
      const origin = tops[i];
      if (origin) byBlob.set(t.name, origin);
      else byBlob.delete(t.name);
    });
    out.set(layer.index, { bottoms, tops });
  }
  return out;
}

function reasonOf(layer: NetLayer, status: LayerShapes['status']): UnknownReason {
  if (layer.type === 'Python') return 'python';
  if (status === 'unknown-type') return 'no-rule';
  return layer.bottoms.length === 0 ? 'reader' : 'rule';
}
