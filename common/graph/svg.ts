// Renders a laid-out graph as one standalone SVG document (the CLI's `graph -o net.svg`, the webview's
// picture and its "Export SVG"). Colours are presentation attributes, not inline styles, so the page's
// strict content security policy allows them and its stylesheet can still override them. Every
// user-written string is escaped.

import { FAMILY_COLOURS } from './family';
import { FONT_SIZE, LINE_HEIGHT, PAD_Y, formatCount, nodeLines, type LineKind } from './measure';
import type { LaidOutEdge, LaidOutGraph, LaidOutNode } from './types';
import { escapeMarkup } from '../markup';
import { grouped } from '../numbers';

export interface SvgOptions {
  /** A line of text above the graph (e.g. the net name, phase and totals). */
  caption?: string;
  /** Paint a white background (for files and PNG export; the webview shows its theme behind). */
  background?: boolean;
  /** Prefix of the ids inside the SVG (the arrow marker), for pages that hold several SVGs. */
  idPrefix?: string;
  /** Fill the layers by their family (default) or by how fast their parameters learn. */
  colourBy?: 'family' | 'rate';
}

const FONT = 'system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif';
const CAPTION_HEIGHT = 26;
const EDGE_COLOUR = '#5f6368';
const TEXT_COLOURS: Record<LineKind, string> = {
  title: '#1f2328',
  type: '#3c4043',
  inplace: '#6b5b1e',
  shape: '#1a4d8f',
  count: '#5f6368',
};

function num(n: number): string {
  return Number.isFinite(n) ? String(Math.round(n * 10) / 10) : '0';
}

export function renderSvg(graph: LaidOutGraph, options: SvgOptions = {}): string {
  const prefix = escapeMarkup(options.idPrefix ?? 'net');
  const top = options.caption ? CAPTION_HEIGHT : 0;
  const width = Math.max(1, Math.ceil(graph.width));
  const height = Math.max(1, Math.ceil(graph.height + top));
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="net-graph" width="${width}" height="${height}" ` +
      `viewBox="0 0 ${width} ${height}" font-family="${escapeMarkup(FONT)}" font-size="${FONT_SIZE}">`,
    `<defs><marker id="${prefix}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" ` +
      `markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="${EDGE_COLOUR}"/></marker></defs>`,
  ];
  if (options.background) out.push(`<rect class="background" width="100%" height="100%" fill="#ffffff"/>`);
  if (options.caption) {
    out.push(
      `<text class="caption" x="16" y="18" font-weight="600" fill="#1f2328">${escapeMarkup(options.caption)}</text>`,
    );
  }
  out.push(`<g class="graph"${top ? ` transform="translate(0,${top})"` : ''}>`);
  out.push('<g class="edges">');
  for (const edge of graph.edges) out.push(renderEdge(edge, prefix));
  out.push('</g><g class="nodes">');
  const fill = options.colourBy === 'rate' ? rateColours(graph.nodes) : undefined;
  for (const node of graph.nodes) out.push(renderNode(node, fill?.(node)));
  out.push('</g></g></svg>');
  return out.join('\n');
}

function renderEdge(edge: LaidOutEdge, prefix: string): string {
  const points = edge.points.map((p) => `${num(p.x)},${num(p.y)}`).join(' ');
  const tip = `${edge.blob}: ${edge.shape ?? 'shape unknown'}`;
  const parts = [
    `<g class="edge" data-id="${escapeMarkup(edge.id)}" data-blob="${escapeMarkup(edge.blob)}">`,
    `<title>${escapeMarkup(tip)}</title>`,
    `<polyline points="${points}" fill="none" stroke="${EDGE_COLOUR}" stroke-width="1.2" ` +
      `marker-end="url(#${prefix}-arrow)"/>`,
  ];
  const label = edge.label;
  if (label) {
    parts.push(
      `<rect class="edge-label-bg" x="${num(label.x)}" y="${num(label.y)}" width="${num(label.width)}" ` +
        `height="${num(label.height)}" rx="3" fill="#ffffff" fill-opacity="0.85"/>`,
      `<text class="edge-label" x="${num(label.x + label.width / 2)}" y="${num(label.y + label.height - 3)}" ` +
        `text-anchor="middle" font-size="${FONT_SIZE - 1}" fill="${EDGE_COLOUR}">${escapeMarkup(label.text)}</text>`,
    );
  }
  parts.push('</g>');
  return parts.join('');
}

function renderNode(node: LaidOutNode, byRate?: { fill: string; stroke: string }): string {
  const colours = byRate ?? FAMILY_COLOURS[node.family];
  const classes = ['node', `family-${node.family}`, `kind-${node.kind}`];
  if (node.learning?.frozen) classes.push('frozen');
  if (node.python) classes.push('python');
  if (node.unknownType) classes.push('unknown-type');
  const offset = (node.nameSpan ?? node.span).start;
  const dashed = node.unknownType || node.kind === 'missing' ? ' stroke-dasharray="5 3"' : '';
  const parts = [
    `<g class="${classes.join(' ')}" data-id="${escapeMarkup(node.id)}" data-name="${escapeMarkup(node.name)}" ` +
      `data-offset="${offset}" transform="translate(${num(node.x)},${num(node.y)})">`,
    `<title>${escapeMarkup(tooltip(node))}</title>`,
    `<rect class="box" width="${num(node.width)}" height="${num(node.height)}" rx="6" ` +
      `fill="${colours.fill}" stroke="${colours.stroke}" stroke-width="${node.python ? 2.5 : 1.5}"${dashed}/>`,
  ];
  if (node.python) {
    // A "Py" badge on the top-right corner marks Python layers.
    parts.push(
      `<g class="python-badge" transform="translate(${num(node.width - 24)},-7)">` +
        `<rect width="22" height="14" rx="4" fill="#3572a5"/>` +
        `<text x="11" y="11" text-anchor="middle" font-size="10" font-weight="700" fill="#ffd43b">Py</text></g>`,
    );
  }
  if (node.learning?.frozen) {
    // A "frozen" badge on the top-left corner: every lr_mult of the layer is 0.
    parts.push(
      `<g class="frozen-badge" transform="translate(6,-7)">` +
        `<rect width="42" height="14" rx="4" fill="#546e7a"/>` +
        `<text x="21" y="11" text-anchor="middle" font-size="10" font-weight="700" fill="#ffffff">frozen</text></g>`,
    );
  }
  nodeLines(node).forEach((line, i) => {
    const y = PAD_Y + (i + 1) * LINE_HEIGHT - 4;
    const weight = line.kind === 'title' ? ' font-weight="600"' : '';
    const style = line.kind === 'inplace' ? ' font-style="italic"' : '';
    parts.push(
      `<text class="line-${line.kind}" x="${num(node.width / 2)}" y="${y}" text-anchor="middle" ` +
        `fill="${TEXT_COLOURS[line.kind]}"${weight}${style}>${escapeMarkup(line.text)}</text>`,
    );
  });
  parts.push('</g>');
  return parts.join('');
}

/**
 * Fills by learning rate: the largest lr_mult (or rate) of a node against the graph's largest, light to
 * dark blue; frozen layers grey; layers without learnable parameters white.
 */
function rateColours(nodes: readonly LaidOutNode[]): (node: LaidOutNode) => { fill: string; stroke: string } {
  const speed = (n: LaidOutNode) => n.learning?.rate ?? Math.max(0, ...(n.learning?.lrMults ?? [0]));
  const top = Math.max(0, ...nodes.map(speed));
  return (node) => {
    if (!node.learning) return { fill: '#ffffff', stroke: '#9aa0a6' };
    if (node.learning.frozen || top === 0) return { fill: '#e0e3e7', stroke: '#546e7a' };
    const t = Math.min(1, speed(node) / top);
    const mix = (a: number, b: number) => Math.round(a + (b - a) * t);
    const hex = (r: number, g: number, b: number) =>
      `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
    return { fill: hex(mix(0xee, 0x7f), mix(0xf5, 0xb4), mix(0xfd, 0xec)), stroke: '#2f5f9e' };
  };
}

/** The node's full description, untruncated, for its tooltip. */
export function tooltip(node: LaidOutNode): string {
  const lines = [node.name ? `${node.name} (${node.type || 'no type'})` : node.type || node.label];
  if (node.kind === 'missing') lines[0] = `${node.name}: read by a layer but produced by none`;
  if (node.pythonClass) lines.push(`Python layer ${node.pythonClass}`);
  if (node.unknownType) lines.push('Layer type unknown to BVLC Caffe and the bundled forks');
  for (const f of node.folded) lines.push(`+ ${f.name} (${f.type}, in place)`);
  if (node.learning?.frozen) lines.push('frozen: every lr_mult is 0');
  else if (node.learning) {
    const rate = node.learning.rate !== undefined ? `, rate ${node.learning.rate}` : '';
    lines.push(`lr_mult ${node.learning.lrMults.join(', ')}${rate}`);
  }
  for (const t of node.tops) lines.push(`top ${t.name}: ${t.shape ?? 'shape unknown'}`);
  if (node.kind === 'layer') {
    lines.push(`params: ${node.params === null ? 'unknown' : grouped(node.params)}`);
    lines.push(`MACs: ${node.macs === null ? 'unknown' : grouped(node.macs)}`);
  }
  return lines.join('\n');
}

/**
 * `TEST · 60.9M params · 724M MACs`; a count none of whose layers is known is `?`, and a net where no
 * count is known says so: `TRAIN · params unknown: 24 layers without shapes`. Layers left out of a
 * partial sum are noted (`3 layers not counted`).
 */
export function totalsCaption(graph: LaidOutGraph, name?: string): string {
  const t = graph.totals;
  const noun = (n: number) => `${n} layer${n === 1 ? '' : 's'}`;
  const unknownParams = t.unknownParams ?? t.incomplete;
  const unknownMacs = t.unknownMacs ?? t.incomplete;
  // A sum of 0 with unknown layers says nothing: the count is unknown, not zero.
  const paramsKnown = !(t.params === 0 && unknownParams > 0);
  const macsKnown = !(t.macs === 0 && unknownMacs > 0);
  const parts: (string | undefined)[] = [name, graph.phase];
  if (!paramsKnown && !macsKnown) {
    parts.push(`params unknown: ${noun(t.incomplete)} without shapes`);
  } else {
    parts.push(
      `${paramsKnown ? formatCount(t.params) : '?'} params`,
      `${macsKnown ? formatCount(t.macs) : '?'} MACs`,
      t.dataMemory,
    );
    if (t.incomplete > 0) parts.push(`${noun(t.incomplete)} not counted`);
  }
  return parts.filter((p) => p !== undefined && p !== '').join(' · ');
}
