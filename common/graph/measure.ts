// The text drawn on nodes and edges and the box sizes it needs. The layout sizes nodes with these
// figures and the SVG renderer draws the same lines, so boxes fit their text without a DOM to measure.

import { maxOf } from '../arrays';
import type { GraphEdge, GraphNode } from './types';

export const FONT_SIZE = 12;
export const LINE_HEIGHT = 16;
export const PAD_X = 10;
export const PAD_Y = 7;
/** Average advance of the sans-serif font at FONT_SIZE; generous so text stays inside its box. */
const CHAR_WIDTH = 6.9;
const TITLE_CHAR_WIDTH = 7.6;
const MIN_WIDTH = 80;
/** Longer lines are cut with an ellipsis (the full text is in the node's tooltip). */
export const MAX_CHARS = 46;
const MAX_TOP_LINES = 4;

export type LineKind = 'title' | 'type' | 'inplace' | 'shape' | 'count';

export interface TextLine {
  text: string;
  kind: LineKind;
}

/** Short counts: 950, 9.4K, 118M, 3.9G. */
export function formatCount(n: number): string {
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [size, unit] of units) {
    if (Math.abs(n) >= size) {
      const v = n / size;
      return `${v >= 100 ? Math.round(v) : Number(v.toPrecision(2))}${unit}`;
    }
  }
  return String(n);
}

export function truncate(text: string, max = MAX_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The lines of a node, top to bottom. */
export function nodeLines(node: GraphNode): TextLine[] {
  const lines: TextLine[] = [{ text: node.label, kind: 'title' }];
  let type: string;
  if (node.kind === 'missing') type = 'blob not produced';
  else if (node.python) type = node.pythonClass ? `Python · ${node.pythonClass}` : 'Python';
  else if (node.type === '') type = '(no type)';
  else type = node.unknownType ? `${node.type} (unknown type)` : node.type;
  if (type !== node.label) lines.push({ text: type, kind: 'type' });
  if (node.folded.length > 0) {
    lines.push({ text: `+ ${node.folded.map((f) => f.type || f.name).join(', ')}`, kind: 'inplace' });
  }
  if (node.kind !== 'missing') {
    const tops = node.tops.slice(0, MAX_TOP_LINES);
    for (const top of tops) {
      const shape = top.shape ?? '?';
      const named = node.tops.length > 1 || top.name !== node.name;
      lines.push({ text: named ? `${top.name}: ${shape}` : shape, kind: 'shape' });
    }
    if (node.tops.length > tops.length) {
      lines.push({ text: `+${node.tops.length - tops.length} more tops`, kind: 'shape' });
    }
  }
  const counts: string[] = [];
  if (node.params !== null && node.params > 0) counts.push(`${formatCount(node.params)} params`);
  if (node.macs !== null && node.macs > 0) counts.push(`${formatCount(node.macs)} MACs`);
  if (counts.length > 0) lines.push({ text: counts.join(' · '), kind: 'count' });
  return lines.map((l) => ({ ...l, text: truncate(l.text) }));
}

export function textWidth(text: string, kind: LineKind = 'type'): number {
  return text.length * (kind === 'title' ? TITLE_CHAR_WIDTH : CHAR_WIDTH);
}

export function nodeSize(node: GraphNode): { width: number; height: number } {
  const lines = nodeLines(node);
  const widest = maxOf(lines.map((l) => textWidth(l.text, l.kind)));
  return {
    width: Math.ceil(Math.max(MIN_WIDTH, widest + 2 * PAD_X)),
    height: lines.length * LINE_HEIGHT + 2 * PAD_Y,
  };
}

/**
 * The label of an edge: the blob name, unless it only repeats the name of the node that produced it
 * (the common `top: "conv1"` of layer "conv1"). The blob and its shape are always in the edge's tooltip.
 */
export function edgeLabelText(edge: GraphEdge, from: GraphNode | undefined): string | undefined {
  if (from && from.name === edge.blob && from.tops.length === 1) return undefined;
  return truncate(edge.blob, 30);
}

export function edgeLabelSize(text: string): { width: number; height: number } {
  return { width: Math.ceil(textWidth(text) * 0.92 + 6), height: LINE_HEIGHT - 2 };
}
