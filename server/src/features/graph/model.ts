// The graph model of one phase of a net: layers as nodes, blobs as edges. In-place layers (ReLU,
// BatchNorm, Scale, Dropout ... whose top is their own bottom) are folded into the node that produced
// the blob, legacy `input:`s become input nodes and a blob read but never produced becomes a "missing"
// node. Pure and total: any net (unknown types, missing bottoms, broken files) gives a graph.

import { firstField, scalarText } from '../../analysis/model/net-read';
import { layersInPhase, type NetLayer, type NetModel } from '../../analysis/model/net';
import { blobGraph, type BlobEnd } from '../../analysis/model/net-blobs';
import { knownShapeText, type LayerShapes, type ShapeResult } from '../../analysis/shapes';
import { formatBytes, memoryOf } from '../../analysis/shapes/memory';
import type { Span } from '../../parser/ast';
import { ALL_LAYER_TYPES } from '../../schema/layer-types';
import { layerFamily } from '../../../../common/graph/family';
import type { GraphEdge, GraphNode, GraphPhase, NetGraph } from '../../../../common/graph/types';

const KNOWN_TYPES: ReadonlySet<string> = new Set(ALL_LAYER_TYPES.map((t) => t.type));

/**
 * Builds the graph of the layers Caffe keeps in `phase`. `shapes` (from `inferShapes` for the same
 * phase) adds top shapes, parameter counts and MACs; without it they are unknown.
 */
export function buildGraph(net: NetModel, phase: GraphPhase, shapes?: ShapeResult): NetGraph {
  const layers = layersInPhase(net, phase);
  const blobs = blobGraph(net, layers);
  const inferred = new Map<number, LayerShapes>();
  if (shapes?.phase === phase) for (const l of shapes.layers) inferred.set(l.layer.index, l);

  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const byId = new Map<string, GraphNode>();
  /** Which node shows the blob written by a given top (`layer:slot`; layer -1 for inputs). */
  const nodeOfEnd = new Map<string, string>();
  /** Tops already read by a drawn (not folded) layer: an in-place layer after such a read is not folded. */
  const readEnds = new Set<string>();
  const missing = new Map<string, string>();
  const push = (node: GraphNode): void => {
    nodes.push(node);
    byId.set(node.id, node);
  };

  const shapeOfEnd = (end: BlobEnd): string | null => {
    if (end.layer < 0) return knownShapeText(net.inputs[end.slot]?.shape);
    return knownShapeText(inferred.get(end.layer)?.tops[end.slot]);
  };

  net.inputs.forEach((input, slot) => {
    const id = `I${slot}`;
    push({
      ...emptyNode(id, 'input', input.name, 'Input', copySpan(input.span)),
      family: 'input',
      tops: [{ name: input.name, shape: knownShapeText(input.shape) }],
      params: 0,
      macs: 0,
      nameSpan: copySpan(input.span),
    });
    nodeOfEnd.set(endKey(-1, slot), id);
  });

  for (const layer of layers) {
    const sources = blobs.sources.get(layer.index) ?? [];
    const info = inferred.get(layer.index);
    const target = foldTarget(layer, sources, nodeOfEnd, readEnds, byId);
    if (target !== undefined) {
      fold(target, layer, info);
      nodeOfEnd.set(endKey(layer.index, 0), target.id);
      continue;
    }
    const node = layerNode(layer, info);
    push(node);
    layer.bottoms.forEach((bottom, slot) => {
      const src = sources[slot];
      let from: string;
      let shape: string | null = null;
      if (src !== undefined) {
        readEnds.add(endKey(src.layer, src.slot));
        from = nodeOfEnd.get(endKey(src.layer, src.slot)) ?? missingNode(bottom.name, bottom.span);
        shape = shapeOfEnd(src);
      } else {
        from = missingNode(bottom.name, bottom.span);
      }
      edges.push({ id: `E${edges.length}`, from, to: node.id, blob: bottom.name, shape });
    });
    layer.tops.forEach((_, slot) => nodeOfEnd.set(endKey(layer.index, slot), node.id));
  }

  function missingNode(blob: string, span: Span): string {
    let id = missing.get(blob);
    if (id === undefined) {
      id = `M${missing.size}`;
      missing.set(blob, id);
      push({
        ...emptyNode(id, 'missing', blob, '', copySpan(span)),
        label: blob,
        tops: [{ name: blob, shape: null }],
      });
    }
    return id;
  }

  const dataBytes = shapes ? memoryOf(shapes).dataBytes : null;
  const memory = dataBytes === null ? {} : { dataMemory: `${formatBytes(dataBytes)} data` };
  const totals = shapes
    ? {
        params: shapes.totals.params,
        macs: shapes.totals.macs,
        incomplete: shapes.totals.incomplete,
        unknownParams: shapes.layers.filter((l) => l.params === null).length,
        unknownMacs: shapes.layers.filter((l) => l.macs === null).length,
        ...memory,
      }
    : {
        params: 0,
        macs: 0,
        incomplete: layers.length,
        unknownParams: layers.length,
        unknownMacs: layers.length,
      };
  return { phase, nodes, edges, totals };
}

function endKey(layer: number, slot: number): string {
  return `${layer}:${slot}`;
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
  nodeOfEnd: ReadonlyMap<string, string>,
  readEnds: ReadonlySet<string>,
  byId: ReadonlyMap<string, GraphNode>,
): GraphNode | undefined {
  if (layer.type === 'Python' || !KNOWN_TYPES.has(layer.type)) return undefined;
  if (layer.bottoms.length !== 1 || layer.tops.length !== 1) return undefined;
  if (layer.bottoms[0].name !== layer.tops[0].name) return undefined;
  const src = sources[0];
  if (src === undefined) return undefined;
  const key = endKey(src.layer, src.slot);
  if (readEnds.has(key)) return undefined;
  const id = nodeOfEnd.get(key);
  const node = id === undefined ? undefined : byId.get(id);
  return node?.kind === 'missing' ? undefined : node;
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
