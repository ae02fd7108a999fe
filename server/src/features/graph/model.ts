// The graph model of one phase of a net: layers as nodes, blobs as edges. In-place layers (ReLU,
// BatchNorm, Scale, Dropout ... whose top is their own bottom) are folded into the node that produced
// the blob, legacy `input:`s become input nodes and a blob read but never produced becomes a "missing"
// node. Pure and total: any net (unknown types, missing bottoms, broken files) gives a graph.

import { firstField, scalarText } from '../../analysis/model/net-read';
import { type NetLayer, type NetModel } from '../../analysis/model/net';
import { layersInPhase } from '../../analysis/model/net-filter';
import { blobGraph, type BlobEnd, type PhaseGraphs } from '../../analysis/model/net-blobs';
import { knownShapeText, type LayerShapes, type ShapeResult } from '../../analysis/shapes';
import { formatBytes, memoryOf } from '../../analysis/shapes/memory';
import type { Span } from '../../parser/ast';
import { ALL_LAYER_TYPES } from '../../schema/layer-types';
import { layerFamily } from '../../../../common/graph/family';
import { lastAtOrBefore } from '../../../../common/arrays';
import type {
  GraphEdge,
  GraphNode,
  GraphPart,
  GraphPhase,
  GraphTotals,
  NetGraph,
} from '../../../../common/graph/types';
import { partAround } from './part';

const KNOWN_TYPES: ReadonlySet<string> = new Set(ALL_LAYER_TYPES.map((t) => t.type));

/** How much of a large graph to build (part.ts chooses which part). */
export interface GraphBuildOptions {
  /** The most nodes to build; a larger graph gives the part around `around` (default: all). */
  maxNodes?: number;
  /** A document offset: the part shown holds the node of the layer written there. */
  around?: number;
  /** The layers kept in each phase and their blob graph, when the caller has them already. */
  graphs?: PhaseGraphs;
}

/** What drawn node `i` shows: a legacy input, a layer, or a blob read but never produced. */
type NodeSource =
  | { kind: 'input'; slot: number }
  | { kind: 'layer'; layer: NetLayer }
  | { kind: 'missing'; blob: string; span: Span; n: number };

/**
 * Builds the graph of the layers Caffe keeps in `phase`. `shapes` (from `inferShapes` for the same
 * phase) adds top shapes, parameter counts and MACs; without it they are unknown. The structure (which
 * node each layer is drawn in, and the edges) is worked out for the whole net with numbers only; node
 * and edge objects are made for the part shown, so a net of 100,000 layers costs little more than the
 * part of it that is drawn.
 */
export function buildGraph(
  net: NetModel,
  phase: GraphPhase,
  shapes?: ShapeResult,
  options: GraphBuildOptions = {},
): NetGraph {
  const layers = options.graphs ? options.graphs.layers(phase) : layersInPhase(net, phase);
  const blobs = options.graphs ? options.graphs.graph(phase) : blobGraph(net, layers);

  const sources: NodeSource[] = [];
  /** For each layer index: the node it is drawn in (its own, or the one it is folded into); -1 for none. */
  const nodeOfLayer = new Int32Array(net.layers.length).fill(-1);
  const foldsOf = new Map<number, NetLayer[]>();
  const edgeFrom: number[] = [];
  const edgeTo: number[] = [];
  /** The bottom an edge draws, as the consuming layer's index and the bottom's slot. */
  const edgeLayer: number[] = [];
  const edgeSlot: number[] = [];
  /** Which node shows the blob written by a given top (endKey; layer -1 for inputs). */
  const nodeOfEnd = new Map<number, number>();
  /** Tops already read by a drawn (not folded) layer: an in-place layer after such a read is not folded. */
  const readEnds = new Set<number>();
  const missing = new Map<string, number>();

  net.inputs.forEach((_, slot) => {
    nodeOfEnd.set(endKey(-1, slot), sources.length);
    sources.push({ kind: 'input', slot });
  });
  const missingNode = (blob: string, span: Span): number => {
    let id = missing.get(blob);
    if (id === undefined) {
      id = sources.length;
      sources.push({ kind: 'missing', blob, span, n: missing.size });
      missing.set(blob, id);
    }
    return id;
  };

  for (const layer of layers) {
    const from = blobs.sources.get(layer.index) ?? [];
    const target = foldTarget(layer, from, nodeOfEnd, readEnds, sources);
    if (target !== undefined) {
      const folds = foldsOf.get(target);
      if (folds) folds.push(layer);
      else foldsOf.set(target, [layer]);
      nodeOfLayer[layer.index] = target;
      nodeOfEnd.set(endKey(layer.index, 0), target);
      continue;
    }
    const id = sources.length;
    sources.push({ kind: 'layer', layer });
    nodeOfLayer[layer.index] = id;
    for (let slot = 0; slot < layer.bottoms.length; slot++) {
      const src = from[slot];
      let source: number | undefined;
      if (src !== undefined) {
        const key = endKey(src.layer, src.slot);
        readEnds.add(key);
        source = nodeOfEnd.get(key);
      }
      edgeFrom.push(source ?? missingNode(layer.bottoms[slot].name, layer.bottoms[slot].span));
      edgeTo.push(id);
      edgeLayer.push(layer.index);
      edgeSlot.push(slot);
    }
    for (let slot = 0; slot < layer.tops.length; slot++) nodeOfEnd.set(endKey(layer.index, slot), id);
  }

  const total = sources.length;
  const anchor = options.around === undefined ? 0 : Math.max(0, nodeAt(layers, nodeOfLayer, options.around));
  const window = partAround(total, anchor, options.maxNodes ?? Infinity);

  const inferred = new Map<number, LayerShapes>();
  if (shapes?.phase === phase) for (const l of shapes.layers) inferred.set(l.layer.index, l);
  const shapeOfEnd = (end: BlobEnd): string | null => {
    if (end.layer < 0) return knownShapeText(net.inputs[end.slot]?.shape);
    return knownShapeText(inferred.get(end.layer)?.tops[end.slot]);
  };

  const nodes: GraphNode[] = [];
  for (let i = window.first; i < window.end; i++) {
    const source = sources[i];
    const id = idOf(source);
    let node: GraphNode;
    if (source.kind === 'input') {
      const input = net.inputs[source.slot];
      node = {
        ...emptyNode(id, 'input', input.name, 'Input', copySpan(input.span)),
        family: 'input',
        tops: [{ name: input.name, shape: knownShapeText(input.shape) }],
        params: 0,
        macs: 0,
        nameSpan: copySpan(input.span),
      };
    } else if (source.kind === 'missing') {
      node = {
        ...emptyNode(id, 'missing', source.blob, '', copySpan(source.span)),
        label: source.blob,
        tops: [{ name: source.blob, shape: null }],
      };
    } else {
      node = layerNode(source.layer, inferred.get(source.layer.index));
    }
    for (const folded of foldsOf.get(i) ?? []) fold(node, folded, inferred.get(folded.index));
    nodes.push(node);
  }
  const edges: GraphEdge[] = [];
  for (let e = 0; e < edgeFrom.length; e++) {
    const from = edgeFrom[e];
    const to = edgeTo[e];
    if (from < window.first || from >= window.end || to < window.first || to >= window.end) continue;
    const layer = net.layers[edgeLayer[e]];
    const src = blobs.sources.get(layer.index)?.[edgeSlot[e]];
    edges.push({
      id: `E${e}`,
      from: idOf(sources[from]),
      to: idOf(sources[to]),
      blob: layer.bottoms[edgeSlot[e]].name,
      shape: src === undefined ? null : shapeOfEnd(src),
    });
  }

  const graph: NetGraph = { phase, nodes, edges, totals: totalsOf(shapes, layers.length) };
  if (window.first > 0 || window.end < total) graph.part = describePart(window, total, sources, net);
  return graph;
}

function totalsOf(shapes: ShapeResult | undefined, layerCount: number): GraphTotals {
  if (!shapes) {
    return {
      params: 0,
      macs: 0,
      incomplete: layerCount,
      unknownParams: layerCount,
      unknownMacs: layerCount,
    };
  }
  const dataBytes = memoryOf(shapes).dataBytes;
  let unknownParams = 0;
  let unknownMacs = 0;
  for (const l of shapes.layers) {
    if (l.params === null) unknownParams++;
    if (l.macs === null) unknownMacs++;
  }
  return {
    params: shapes.totals.params,
    macs: shapes.totals.macs,
    incomplete: shapes.totals.incomplete,
    unknownParams,
    unknownMacs,
    ...(dataBytes === null ? {} : { dataMemory: `${formatBytes(dataBytes)} data` }),
  };
}

/** The node of the layer written at `offset` (the last layer kept in the phase that starts there or before). */
function nodeAt(layers: readonly NetLayer[], nodeOfLayer: Int32Array, offset: number): number {
  const found = lastAtOrBefore(layers.length, (i) => layers[i].node.start, offset);
  return found < 0 ? 0 : nodeOfLayer[layers[found].index];
}

/** Where the part's neighbours are, and the layers it starts and ends with. */
function describePart(
  window: { first: number; end: number },
  total: number,
  sources: readonly NodeSource[],
  net: NetModel,
): GraphPart {
  const size = window.end - window.first;
  const offsetOf = (i: number): number => spanOf(sources[i], net).start;
  const part: GraphPart = {
    total,
    first: window.first,
    shown: size,
    firstName: labelOf(sources[window.first], net),
    lastName: labelOf(sources[window.end - 1], net),
  };
  // A part centred on the node half a part beyond this one's edge is the next part, exactly.
  if (window.first > 0) part.previous = offsetOf(Math.max(0, window.first - Math.ceil(size / 2)));
  if (window.end < total) part.next = offsetOf(Math.min(total - 1, window.end + Math.floor(size / 2)));
  return part;
}

function spanOf(source: NodeSource, net: NetModel): Span {
  if (source.kind === 'input') return net.inputs[source.slot].span;
  if (source.kind === 'missing') return source.span;
  return source.layer.node;
}

function labelOf(source: NodeSource, net: NetModel): string {
  if (source.kind === 'input') return net.inputs[source.slot].name;
  if (source.kind === 'missing') return source.blob;
  return source.layer.name || source.layer.type || '(unnamed layer)';
}

function idOf(source: NodeSource): string {
  if (source.kind === 'input') return `I${source.slot}`;
  if (source.kind === 'layer') return `L${source.layer.index}`;
  return `M${source.n}`;
}

/** One number per top: `slot` stays below 2^26 (a top takes several bytes of text), layer -1 for inputs. */
function endKey(layer: number, slot: number): number {
  return layer * 67_108_864 + slot;
}

function copySpan(span: Span): Span {
  return { start: span.start, end: span.end };
}

function emptyNode(id: string, kind: GraphNode['kind'], name: string, type: string, span: Span): GraphNode {
  return {
    id,
    kind,
    layerIndex: -1,
    name,
    type,
    label: name || type,
    inPlace: [],
    folded: [],
    python: false,
    unknownType: false,
    family: kind === 'missing' ? 'missing' : 'input',
    tops: [],
    params: null,
    macs: null,
    span,
  };
}

function layerNode(layer: NetLayer, info: LayerShapes | undefined): GraphNode {
  const python = layer.type === 'Python';
  const known = KNOWN_TYPES.has(layer.type);
  const node: GraphNode = {
    ...emptyNode(`L${layer.index}`, 'layer', layer.name, layer.type, copySpan(layer.node)),
    layerIndex: layer.index,
    label: layer.name || layer.type || '(unnamed layer)',
    python,
    unknownType: !python && !known,
    family: layerFamily(layer.type, known),
    tops: layer.tops.map((t, slot) => {
      return { name: t.name, shape: knownShapeText(info?.tops[slot]) };
    }),
    params: info ? info.params : null,
    macs: info ? info.macs : null,
  };
  if (layer.nameSpan) node.nameSpan = copySpan(layer.nameSpan);
  if (python) {
    const p = layer.paramBlocks.get('python_param');
    const module = p && scalarText(firstField(p.fields, 'module')?.value);
    const cls = p && scalarText(firstField(p.fields, 'layer')?.value);
    if (module || cls) node.pythonClass = [module, cls].filter(Boolean).join('.');
  }
  return node;
}

/**
 * The node an in-place layer folds into: a known, non-Python type (those stay visible on their own) with
 * one bottom and one top of the same name, the blob produced by a
 * drawn node (layer or input) and not yet read by another drawn layer (that layer saw the value before
 * this one changed it, so the change must stay visible as its own node).
 */
function foldTarget(
  layer: NetLayer,
  sources: readonly (BlobEnd | undefined)[],
  nodeOfEnd: ReadonlyMap<number, number>,
  readEnds: ReadonlySet<number>,
  nodes: readonly NodeSource[],
): number | undefined {
  if (layer.type === 'Python' || !KNOWN_TYPES.has(layer.type)) return undefined;
  if (layer.bottoms.length !== 1 || layer.tops.length !== 1) return undefined;
  if (layer.bottoms[0].name !== layer.tops[0].name) return undefined;
  const src = sources[0];
  if (src === undefined) return undefined;
  const key = endKey(src.layer, src.slot);
  if (readEnds.has(key)) return undefined;
  const id = nodeOfEnd.get(key);
  return id === undefined || nodes[id].kind === 'missing' ? undefined : id;
}

function fold(target: GraphNode, layer: NetLayer, info: LayerShapes | undefined): void {
  target.folded.push({
    name: layer.name,
    type: layer.type,
    layerIndex: layer.index,
    span: copySpan(layer.node),
  });
  target.inPlace.push(layer.name);
  const add = (a: number | null, b: number | null | undefined): number | null =>
    a === null || b === null || b === undefined ? null : a + b;
  target.params = add(target.params, info ? info.params : null);
  target.macs = add(target.macs, info ? info.macs : null);
  const top = target.tops.find((t) => t.name === layer.tops[0].name);
  if (top) top.shape = knownShapeText(info?.tops[0]);
}
