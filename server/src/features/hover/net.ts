// Hovers that read the net: a blob name (who produces and consumes it, its shape, per phase) and a
// layer name (its type, parameter count, MACs and output shapes, per phase). Phases whose text is
// the same are merged ("TRAIN, TEST"), and not named at all in a file without phase rules. A shape not
// fully known says where it became unknown and how to know it (unknown-shape.ts).

import { type NetLayer, type NetModel, type Phase } from '../../analysis/model/net';
import { sameLayers } from '../../analysis/model/net-filter';
import { blobUses, type PhaseGraphs } from '../../analysis/model/net-blobs';
import { PHASES, type NetShapes } from '../../analysis/shapes/net-shapes';
import { formatShape, isComplete, layerShapesAt, type ShapeResult } from '../../analysis/shapes';
import { BYTES_PER_ELEMENT, formatBytes } from '../../analysis/shapes/memory';
import { unknownOrigins, type UnknownOrigin } from '../../analysis/shapes/unknown-origin';
import { Doc } from '../shared/field-docs';
import { unknownShapeText } from './unknown-shape';
import { grouped } from '../../../../common/numbers';

/** How many producers/consumers a blob hover names before "+N more". */
const LIST_CAP = 8;

/** The net and its inferred shapes (per phase; a phase without a data source has none). */
export class NetView {
  readonly net: NetModel;

  constructor(
    /** The net's layers and blob graph per phase (kept for the document version). */
    readonly graphs: PhaseGraphs,
    private readonly shapes: NetShapes,
  ) {
    this.net = graphs.net;
  }

  /** The phases Caffe builds the net in: the file's `state { phase }`, else both. */
  get phases(): readonly Phase[] {
    return this.net.state.phase ? [this.net.state.phase] : PHASES;
  }

  shapesIn(phase: Phase): ShapeResult | undefined {
    return this.shapes[phase];
  }

  /** False when Caffe keeps the same layers in TRAIN and TEST and the file fixes no phase. */
  get hasPhaseRules(): boolean {
    if (this.net.state.phase) return true;
    return !sameLayers(this.graphs.layers('TRAIN'), this.graphs.layers('TEST'));
  }
}

/** Where the hovered blob name is written: a bottom or top slot of a layer, or a net input. */
export type BlobSite = { layer: NetLayer; side: 'bottom' | 'top'; slot: number } | { input: number };

export function blobHover(view: NetView, name: string, site: BlobSite, markdown: boolean): string {
  const doc = new Doc(markdown);
  doc.raw(`**blob** ${doc.c(name)}`, `blob ${name}`);
  const lines: { phase: Phase; text: string }[] = [];
  const reasons = new Map<string, string>();
  for (const phase of view.phases) {
    if ('layer' in site && !view.graphs.keeps(phase, site.layer)) continue;
    const node = blobUses(view.net, view.graphs.layers(phase), name);
    if (!node) continue;
    const shapes = view.shapesIn(phase);
    const shape = shapes ? shapeAt(shapes, name, site) : null;
    if (shapes && !isComplete(shape)) {
      const origin = originAt(view, shapes, site);
      // One explanation per place the unknown starts (the phases differ at most in the batch size).
      const key = origin && (origin.kind === 'layer' ? `L${origin.layer.index}:${origin.top}` : origin.name);
      if (origin && key && !reasons.has(key)) reasons.set(key, unknownShapeText(doc, name, origin));
    }
    const producers = node.producers.map((e) =>
      e.layer < 0 ? 'net input' : layerLabel(view.net.layers[e.layer]),
    );
    const consumers = node.consumers.map((e) => layerLabel(view.net.layers[e.layer]));
    const parts = [
      `shape ${doc.c(formatShape(shape))}`,
      `produced by ${capped(producers, doc) || 'no layer'}`,
      `consumed by ${capped(consumers, doc) || 'no layer'}`,
    ];
    lines.push({ phase, text: parts.join('; ') });
  }
  if (lines.length === 0)
    doc.text('Not used in the TRAIN or TEST net (its layer is left out by the state rules).');
  phaseLines(view, doc, lines);
  for (const reason of reasons.values()) doc.raw(reason, reason);
  return doc.toString();
}

/** Where the unknown part of the blob's shape at `site` comes from. */
function originAt(view: NetView, shapes: ShapeResult, site: BlobSite): UnknownOrigin | undefined {
  const origins = unknownOrigins(
    shapes,
    view.net.inputs.map((i) => i.name),
  );
  if ('input' in site) {
    const input = view.net.inputs[site.input];
    return input ? { kind: 'input', name: input.name } : undefined;
  }
  const at = origins.get(site.layer.index);
  return at?.[site.side === 'bottom' ? 'bottoms' : 'tops'][site.slot];
}

/** One line per phase (merged when the same), without the phase names in a file without phase rules. */
function phaseLines(view: NetView, doc: Doc, lines: { phase: Phase; text: string }[]): void {
  const all = merged(lines);
  if (all.length === 1 && all[0].phases === 'TRAIN, TEST' && !view.hasPhaseRules) {
    doc.raw(capitalised(all[0].text), capitalised(all[0].text));
    return;
  }
  for (const { phases, text } of all) doc.raw(`${doc.b(phases)}: ${text}`, `${phases}: ${text}`);
}

function capitalised(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function layerHover(view: NetView, layer: NetLayer, markdown: boolean, typeText?: string): string {
  const doc = new Doc(markdown);
  const title = `${layer.name || '(unnamed)'}${layer.type ? ` (${layer.type})` : ''}`;
  doc.raw(`**layer** ${doc.c(title)}`, `layer ${title}`);
  if (typeText) doc.text(typeText);
  const lines: { phase: Phase; text: string }[] = [];
  for (const phase of view.phases) {
    if (!view.graphs.keeps(phase, layer)) continue;
    const shapes = view.shapesIn(phase);
    const at = shapes && layerShapesAt(shapes, layer.index);
    const found = at?.layer === layer ? at : undefined;
    if (!found) {
      lines.push({ phase, text: 'shapes unknown (nothing in this phase makes data)' });
      continue;
    }
    const parts: string[] = [];
    if (found.status === 'unknown-type') parts.push('no shape rule for this type');
    else if (found.status === 'unread-params')
      parts.push(
        'shapes unknown: the layer or its parameters hold a field BVLC Caffe lacks, or a value that is no number',
      );
    else {
      const params = found.sharedParams ? 'shared with an earlier layer' : count(found.params);
      parts.push(`parameters ${params}`, `MACs ${count(found.macs)}`);
      if (found.stats > 0) parts.push(`statistics ${count(found.stats)}`);
    }
    const tops = layer.tops.map((t, i) => `${t.name} ${formatShape(found.tops[i] ?? null)}`);
    if (tops.length > 0) parts.push(`tops ${tops.map((t) => doc.c(t)).join(', ')}`);
    const bytes = topBytes(found);
    if (bytes !== null && tops.length > 0) parts.push(`top memory ${formatBytes(bytes)}`);
    found.topSources?.forEach((source, i) => {
      if (source) parts.push(`${layer.tops[i]?.name ?? i} from ${source}`);
    });
    lines.push({ phase, text: parts.join('; ') });
  }
  if (lines.length === 0) doc.text('Left out of both the TRAIN and the TEST net by its state rules.');
  phaseLines(view, doc, lines);
  return doc.toString();
}

/** Float32 bytes of a layer's tops (its automatic ones too); null when one is unknown. */
function topBytes(found: ShapeResult['layers'][number]): number | null {
  let n = 0;
  for (const shape of [...found.tops, ...found.automaticTops]) {
    if (!isComplete(shape)) return null;
    n += shape.reduce((a, d) => a * d, 1);
  }
  return n * BYTES_PER_ELEMENT;
}

/** The shape of the blob where it is written: what the bottom reads or what the top writes. */
function shapeAt(shapes: ShapeResult, name: string, site: BlobSite): readonly number[] | null {
  if ('layer' in site) {
    const l = layerShapesAt(shapes, site.layer.index);
    if (l?.layer === site.layer)
      return (site.side === 'bottom' ? l.bottoms[site.slot] : l.tops[site.slot]) ?? null;
  }
  return shapes.blobs.get(name) ?? null;
}

function layerLabel(layer: NetLayer | undefined): string {
  if (!layer) return '?';
  return `${layer.name || '(unnamed)'}${layer.type ? ` (${layer.type})` : ''}`;
}

function capped(names: string[], doc: Doc): string {
  const shown = names.slice(0, LIST_CAP).map((n) => doc.c(n));
  return shown.join(', ') + (names.length > LIST_CAP ? `, +${names.length - LIST_CAP} more` : '');
}

function merged(lines: { phase: Phase; text: string }[]): { phases: string; text: string }[] {
  if (lines.length === 2 && lines[0].text === lines[1].text)
    return [{ phases: 'TRAIN, TEST', text: lines[0].text }];
  return lines.map((l) => ({ phases: l.phase, text: l.text }));
}

/** `9408`, `1,728,000 (1.7M)`; '?' when unknown. */
export function count(n: number | null): string {
  if (n === null) return '?';
  const exact = grouped(n);
  if (n < 10_000) return exact;
  const units: [number, string][] = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  const [size, unit] = units.find(([s]) => n >= s) ?? [1, ''];
  return `${exact} (${(n / size).toFixed(1)}${unit})`;
}
