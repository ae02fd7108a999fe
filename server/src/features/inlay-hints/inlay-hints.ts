// Inlay hints: the inferred shape after each `top:` value (`1×64×112×112`), per phase when TRAIN and
// TEST differ (`TRAIN 64×3×227×227 · TEST 10×3×227×227`).
//
// A partly known shape shows what is known (`64×20×?×?` after a data layer whose image size is read
// from its files). An unknown shape (after a Python layer or an unknown type) gets no hint rather than
// a `?`: a column of question marks after every layer downstream of a Python layer says nothing the
// absence does not, and pushes the text around. A `?` appears only beside a known shape of the other
// phase, where the difference is the information.

import { InlayHintKind, type InlayHint, type InlayHintParams } from 'vscode-languageserver';
import { PHASES, type NetShapes } from '../../analysis/shapes/net-shapes';
import { formatShape, isUnknownShape, type LayerShapes, type Shape } from '../../analysis/shapes';
import type { Phase } from '../../analysis/model/net';
import type { AnalyzedDocument } from '../context';
import { netsOf } from '../../analysis/model/embedded-nets';
import { shapesOf } from '../shared/net-views';

/** One top and its shape in each phase its layer is kept in (absent = not kept / not inferred). */
export interface TopShapes {
  layerName: string;
  blob: string;
  /** Offset just after the top's value, where the hint goes. */
  offset: number;
  shapes: Partial<Record<Phase, Shape | null>>;
}

export function provideInlayHints(input: AnalyzedDocument, params: InlayHintParams): InlayHint[] {
  if (!input.settings.inlayHints.shapes) return [];
  // A net file's net, or the nets a solver embeds (`net_param`, `test_net_param`...), in text order.
  const nets = netsOf(input.analysis).map((net) => shapesOf(input, net));
  const lines = input.doc.lines;
  const from = lines.offsetAt(params.range.start);
  const to = lines.offsetAt(params.range.end);
  const hints: InlayHint[] = [];
  for (const shapes of nets) {
    for (const top of topShapesIn(shapes, from, to)) {
      const label = shapeLabel(top.shapes);
      if (label === undefined) continue;
      hints.push({
        position: lines.positionAt(top.offset),
        label,
        kind: InlayHintKind.Type,
        paddingLeft: true,
        tooltip: tooltip(top),
      });
    }
  }
  return hints;
}

/**
 * The tops whose hints go between offsets `from` and `to` (both included), in text order, with their
 * shape per phase. Only the layers over that range are read (VS Code asks for the visible lines on
 * every scroll and after every edit): each phase's layers are in text order, so the first is found
 * by bisection.
 */
export function topShapesIn(shapes: NetShapes, from: number, to: number): TopShapes[] {
  const byOffset = new Map<number, TopShapes>();
  for (const phase of PHASES) {
    const layers = shapes[phase]?.layers ?? [];
    for (let i = firstEndingAtOrAfter(layers, from); i < layers.length; i++) {
      if (layers[i].layer.node.start > to) break;
      addTops(byOffset, layers[i], phase);
    }
  }
  return [...byOffset.values()]
    .filter((top) => top.offset >= from && top.offset <= to)
    .sort((a, b) => a.offset - b.offset);
}

/** The index of the first layer whose text ends at or after `offset`. */
function firstEndingAtOrAfter(layers: readonly LayerShapes[], offset: number): number {
  let lo = 0;
  let hi = layers.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (layers[mid].layer.node.end < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function addTops(byOffset: Map<number, TopShapes>, shaped: LayerShapes, phase: Phase): void {
  shaped.layer.tops.forEach((ref, slot) => {
    let top = byOffset.get(ref.span.end);
    if (!top) {
      top = { layerName: shaped.layer.name, blob: ref.name, offset: ref.span.end, shapes: {} };
      byOffset.set(ref.span.end, top);
    }
    top.shapes[phase] = shaped.tops[slot] ?? null;
  });
}

/**
 * The hint text: the shape when every phase the layer is in agrees; `TRAIN a · TEST b` when they
 * differ; undefined when no phase knows it.
 */
export function shapeLabel(shapes: Partial<Record<Phase, Shape | null>>): string | undefined {
  const known = PHASES.filter((p) => p in shapes);
  if (known.every((p) => isUnknownShape(shapes[p]))) return undefined;
  const texts = known.map((p) => formatShape(shapes[p] ?? null));
  if (texts.every((t) => t === texts[0])) return texts[0];
  return known.map((p, i) => `${p} ${texts[i]}`).join(' · ');
}

function tooltip(top: TopShapes): string {
  const phases = PHASES.filter((p) => p in top.shapes);
  const where = phases.length === 2 ? 'TRAIN and TEST' : (phases[0] ?? '');
  const layer = top.layerName === '' ? 'an unnamed layer' : `layer "${top.layerName}"`;
  return `Blob "${top.blob}" as ${layer} produces it (${where}), inferred from Caffe's shape rules.`;
}
