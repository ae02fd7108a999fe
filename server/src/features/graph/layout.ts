// Lays the graph out with elkjs (layered, top to bottom). Node boxes are sized from their text
// (measure.ts); edge labels are placed by ELK next to their edge. What ELK is given is bounded
// (layout-bounds.ts). Never rejects: when ELK fails the nodes are stacked in net order and a note
// says why. The server runs this in a worker thread (layout-runner.ts).

import type ElkConstructor from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import { edgeLabelSize, edgeLabelText, nodeSize } from '../../../../common/graph/measure';
import { boundForLayout, MAX_RANK_WIDTH } from './layout-bounds';
import { gridLayout } from './layout-grid';
import type { LaidOutEdge, LaidOutGraph, LaidOutNode, NetGraph, Point } from '../../../../common/graph/types';
import { grouped } from '../../../../common/numbers';

/**
 * Tuned for speed on nets of a few thousand layers: network-simplex layering, one sweep pass of
 * crossing minimisation with the net's own order as the starting point, Brandes-Köpf placement.
 */
export const LAYOUT_OPTIONS: Readonly<Record<string, string>> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.edgeRouting': 'POLYLINE',
  'elk.layered.layering.strategy': 'NETWORK_SIMPLEX',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.thoroughness': '3',
  'elk.layered.spacing.nodeNodeBetweenLayers': '28',
  'elk.spacing.nodeNode': '24',
  'elk.spacing.edgeNode': '14',
  'elk.spacing.edgeEdge': '10',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.randomSeed': '1',
  'elk.padding': '[top=16,left=16,bottom=16,right=16]',
};

const MARGIN = 16;

/**
 * ELK, loaded at the first layout: the bundles take it from dist/elk.js beside them (see esbuild.mjs),
 * so that a process that lays nothing out never reads it.
 */
function loadElk(): typeof ElkConstructor {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require('elkjs/lib/elk.bundled.js') as
    typeof ElkConstructor | { default: typeof ElkConstructor };
  return 'default' in loaded ? loaded.default : loaded;
}

export async function layoutGraph(full: NetGraph): Promise<LaidOutGraph> {
  const { graph, routed, followsPath, rank, width, notes } = boundForLayout(full);
  if (width > MAX_RANK_WIDTH) {
    notes.push(
      `This graph is too wide to lay out (${grouped(width)} nodes and connections side by side at its widest): layers are placed by depth and connections drawn straight.`,
    );
    return gridLayout(graph, rank, notes);
  }
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const labels = new Map<string, string>();
  const children: ElkNode[] = graph.nodes.map((n) => ({ id: n.id, ...nodeSize(n) }));
  const edges: ElkExtendedEdge[] = routed.map((e) => {
    const text = edgeLabelText(e, byId.get(e.from));
    if (text === undefined) return { id: e.id, sources: [e.from], targets: [e.to] };
    labels.set(e.id, text);
    return { id: e.id, sources: [e.from], targets: [e.to], labels: [{ text, ...edgeLabelSize(text) }] };
  });
  let laid: ElkNode;
  try {
    const ELK = loadElk();
    laid = await new ELK().layout({ id: 'root', children, edges }, { layoutOptions: { ...LAYOUT_OPTIONS } });
  } catch (error) {
    const failed = stackedLayout(
      graph,
      `The layout engine failed (${String(error)}); nodes are stacked in net order.`,
    );
    return { ...failed, notes: [...notes, ...failed.notes] };
  }
  const boxes = new Map((laid.children ?? []).map((c) => [c.id, c]));
  const nodes: LaidOutNode[] = graph.nodes.map((n) => {
    const box = boxes.get(n.id);
    const size = nodeSize(n);
    return {
      ...n,
      x: finite(box?.x),
      y: finite(box?.y),
      width: finite(box?.width, size.width),
      height: finite(box?.height, size.height),
    };
  });
  const laidEdges = new Map((laid.edges ?? []).map((e) => [e.id, e as ElkExtendedEdge]));
  const placed = new Map(nodes.map((n) => [n.id, n]));
  const outEdges: LaidOutEdge[] = [];
  for (const e of graph.edges) {
    const from = placed.get(e.from);
    const to = placed.get(e.to);
    if (!from || !to) continue;
    const elk = laidEdges.get(followsPath.get(e.id) ?? e.id);
    const section = elk?.sections?.[0];
    const points: Point[] = section
      ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map((p) => ({
          x: finite(p.x),
          y: finite(p.y),
        }))
      : straight(from, to);
    const out: LaidOutEdge = { ...e, points };
    const label = elk?.labels?.[0];
    const text = followsPath.has(e.id) ? undefined : labels.get(e.id);
    if (label && text !== undefined) {
      out.label = {
        text,
        x: finite(label.x),
        y: finite(label.y),
        width: finite(label.width),
        height: finite(label.height),
      };
    }
    outEdges.push(out);
  }
  return {
    phase: graph.phase,
    nodes,
    edges: outEdges,
    totals: graph.totals,
    width: Math.ceil(finite(laid.width, MARGIN)),
    height: Math.ceil(finite(laid.height, MARGIN)),
    notes,
  };
}

function finite(v: number | undefined, fallback = 0): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

function straight(from: { x: number; y: number; width: number; height: number }, to: LaidOutNode): Point[] {
  return [
    { x: from.x + from.width / 2, y: from.y + from.height },
    { x: to.x + to.width / 2, y: to.y },
  ];
}

/** Every node in one column, in net order: the picture when ELK cannot lay the graph out. */
export function stackedLayout(graph: NetGraph, note: string): LaidOutGraph {
  let y = MARGIN;
  let width = 0;
  const nodes: LaidOutNode[] = graph.nodes.map((n) => {
    const size = nodeSize(n);
    const node = { ...n, x: MARGIN, y, ...size };
    y += size.height + 24;
    width = Math.max(width, size.width);
    return node;
  });
  const placed = new Map(nodes.map((n) => [n.id, n]));
  const edges: LaidOutEdge[] = [];
  for (const e of graph.edges) {
    const from = placed.get(e.from);
    const to = placed.get(e.to);
    if (from && to) edges.push({ ...e, points: straight(from, to) });
  }
  return {
    phase: graph.phase,
    nodes,
    edges,
    totals: graph.totals,
    width: width + 2 * MARGIN,
    height: y + MARGIN,
    notes: [note],
  };
}
