// The graph webview page: draws the laid-out net (the same SVG as the CLI's), opens at a readable zoom
// around the cursor's layer, pans on drag and on the wheel, zooms on Ctrl+wheel (and pinch), switches
// phase, reveals a clicked layer in the text, follows the editor's cursor and exports SVG/PNG through
// the extension. It tells the extension what it shows (caption, theme colours, zoom) after each
// drawing and theme change. No inline handlers; messages only.

import { renderSvg, totalsCaption } from '../../common/graph/svg';
import type { GraphPhase, LaidOutGraph } from '../../common/graph/types';
import { svgToPngBase64 } from './export-image';
import type { FromPageMessage, ToPageMessage } from './messages';
import { bringIntoView, fitView, initialView, transformOf, zoomAt, type View } from './pan-zoom';
import { pageReport } from './report';

interface VsCodeApi {
  postMessage(message: FromPageMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface SavedState {
  view?: View;
  colourBy?: 'family' | 'rate';
}

const vscode = acquireVsCodeApi();
const CLICK_SLOP = 4;

const viewport = element('viewport');
const world = element('world') as unknown as SVGGElement;
const empty = element('empty');
const notes = element('notes');
const summary = element('summary');

let graph: LaidOutGraph | undefined;
let title = '';
const saved = vscode.getState() as SavedState | undefined;
let view: View | undefined = saved?.view;
let colourBy: 'family' | 'rate' = saved?.colourBy ?? 'family';
let highlighted: { layerName: string | null; nodeId?: string } = { layerName: null };
/** The node the first view opened around. */
let focusNodeId: string | undefined;

function element(id: string): HTMLElement {
  const e = document.getElementById(id);
  if (!e) throw new Error(`the page has no #${id}`);
  return e;
}

function post(message: FromPageMessage): void {
  vscode.postMessage(message);
}

function applyView(): void {
  if (!view) return;
  world.setAttribute('transform', transformOf(view));
  vscode.setState({ view, colourBy } satisfies SavedState);
}

function fit(): void {
  if (!graph) return;
  view = fitView(graph.width, graph.height, viewport.clientWidth, viewport.clientHeight);
  applyView();
}

function show(
  next: LaidOutGraph,
  nextTitle: string,
  focus?: { layerName: string | null; nodeId?: string },
): void {
  const first = graph === undefined && view === undefined;
  if (focus) highlighted = focus;
  graph = next;
  title = nextTitle;
  const parsed = new DOMParser().parseFromString(
    renderSvg(next, { idPrefix: 'view', colourBy }),
    'image/svg+xml',
  );
  element('colour-by-rate').setAttribute('aria-pressed', String(colourBy === 'rate'));
  const root = parsed.documentElement;
  world.replaceChildren(...Array.from(root.childNodes).map((n) => document.importNode(n, true)));
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-phase]')) {
    button.setAttribute('aria-pressed', String(button.dataset.phase === next.phase));
  }
  const caption = totalsCaption(next);
  summary.textContent = caption;
  summary.title = next.phaseReason ? `${caption}\nOpened on ${next.phase}: ${next.phaseReason}` : caption;
  notes.hidden = next.notes.length === 0;
  notes.textContent = next.notes.join(' ');
  showPartButtons(next);
  empty.hidden = next.nodes.length > 0;
  empty.textContent = next.nodes.length > 0 ? '' : `No layers in phase ${next.phase}.`;
  if (first) openView();
  else applyView();
  highlight(highlighted.layerName, highlighted.nodeId, false);
  report();
}

/** Earlier / Later / Around cursor, for a net shown in part; hidden when the whole net is shown. */
function showPartButtons(next: LaidOutGraph): void {
  element('part').hidden = next.part === undefined;
  (element('part-previous') as HTMLButtonElement).disabled = next.part?.previous === undefined;
  (element('part-next') as HTMLButtonElement).disabled = next.part?.next === undefined;
}

/** The first view: readable, around the cursor's layer when there is one. */
function openView(): void {
  if (!graph) return;
  const id = nodeIdOf(highlighted.layerName, highlighted.nodeId);
  const box = id === undefined ? undefined : graph.nodes.find((n) => n.id === id);
  focusNodeId = box?.id;
  view = initialView(graph.width, graph.height, viewport.clientWidth, viewport.clientHeight, box);
  applyView();
}

let reportTimer: ReturnType<typeof setTimeout> | undefined;

/** Tells the extension what the page shows, once the burst of changes that prompted it is over. */
function report(): void {
  clearTimeout(reportTimer);
  reportTimer = setTimeout(() => {
    if (graph && view)
      post({ type: 'shown', report: pageReport(graph, view, viewport, summary, focusNodeId) });
  }, 50);
}

/** The id of the node that shows a layer (its own node, or the node it is folded into). */
function nodeIdOf(layerName: string | null, nodeId?: string): string | undefined {
  if (!graph) return undefined;
  if (nodeId && graph.nodes.some((n) => n.id === nodeId)) return nodeId;
  if (layerName === null || layerName === '') return undefined;
  const node =
    graph.nodes.find((n) => n.kind === 'layer' && n.name === layerName) ??
    graph.nodes.find((n) => n.inPlace.includes(layerName)) ??
    graph.nodes.find((n) => n.name === layerName);
  return node?.id;
}

function highlight(layerName: string | null, nodeId: string | undefined, scroll: boolean): void {
  highlighted = { layerName, nodeId };
  for (const old of world.querySelectorAll('.node.highlighted')) old.classList.remove('highlighted');
  const id = nodeIdOf(layerName, nodeId);
  if (id === undefined || !graph) return;
  const g = world.querySelector(`.node[data-id="${CSS.escape(id)}"]`);
  g?.classList.add('highlighted');
  const box = graph.nodes.find((n) => n.id === id);
  if (scroll && box && view) {
    view = bringIntoView(view, box, viewport.clientWidth, viewport.clientHeight);
    applyView();
  }
}

function onMessage(message: ToPageMessage): void {
  switch (message.type) {
    case 'update':
      show(message.graph, message.title, message.focus);
      break;
    case 'highlight':
      highlight(message.layerName, message.nodeId, true);
      break;
    case 'error':
      notes.hidden = false;
      notes.textContent = message.message;
      if (!graph) empty.textContent = message.message;
      break;
  }
}

function isToPageMessage(data: unknown): data is ToPageMessage {
  return typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string';
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isToPageMessage(event.data)) onMessage(event.data);
});

// Pan by dragging; a press released without moving is a click on whatever node is under it.
let drag: { x: number; y: number; view: View; moved: boolean; pointer: number } | undefined;
viewport.addEventListener('pointerdown', (e) => {
  if (e.button !== 0 || !view) return;
  drag = { x: e.clientX, y: e.clientY, view, moved: false, pointer: e.pointerId };
});
viewport.addEventListener('pointermove', (e) => {
  if (!drag || e.pointerId !== drag.pointer) return;
  const dx = e.clientX - drag.x;
  const dy = e.clientY - drag.y;
  if (!drag.moved && Math.hypot(dx, dy) < CLICK_SLOP) return;
  if (!drag.moved) viewport.setPointerCapture(e.pointerId);
  drag.moved = true;
  viewport.classList.add('panning');
  view = { ...drag.view, x: drag.view.x + dx, y: drag.view.y + dy };
  applyView();
});
const endDrag = (e: PointerEvent): void => {
  if (!drag || e.pointerId !== drag.pointer) return;
  const wasClick = !drag.moved;
  drag = undefined;
  viewport.classList.remove('panning');
  if (viewport.hasPointerCapture(e.pointerId)) viewport.releasePointerCapture(e.pointerId);
  if (!wasClick || e.type === 'pointercancel') return;
  const target = e.target instanceof Element ? e.target.closest('.node') : null;
  const offset = Number(target?.getAttribute('data-offset'));
  if (target && Number.isInteger(offset) && offset >= 0) {
    highlight(null, target.getAttribute('data-id') ?? undefined, false);
    post({ type: 'reveal', offset });
  }
};
viewport.addEventListener('pointerup', endDrag);
viewport.addEventListener('pointercancel', endDrag);

viewport.addEventListener(
  'wheel',
  (e) => {
    if (!view) return;
    e.preventDefault();
    const r = viewport.getBoundingClientRect();
    const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? r.height : 1;
    // Ctrl+wheel (and a touchpad pinch, which arrives as one) zooms; the wheel alone scrolls.
    if (e.ctrlKey || e.metaKey) {
      view = zoomAt(view, Math.exp(-e.deltaY * unit * 0.0015), e.clientX - r.left, e.clientY - r.top);
    } else {
      const dx = e.shiftKey && e.deltaX === 0 ? e.deltaY : e.deltaX;
      const dy = e.shiftKey && e.deltaX === 0 ? 0 : e.deltaY;
      view = { ...view, x: view.x - dx * unit, y: view.y - dy * unit };
    }
    applyView();
  },
  { passive: false },
);

for (const button of document.querySelectorAll<HTMLButtonElement>('[data-phase]')) {
  button.addEventListener('click', () => {
    const phase = button.dataset.phase as GraphPhase;
    if (phase !== graph?.phase) post({ type: 'phase', phase });
  });
}
element('part-previous').addEventListener('click', () => {
  if (graph?.part?.previous !== undefined) post({ type: 'part', around: graph.part.previous });
});
element('part-next').addEventListener('click', () => {
  if (graph?.part?.next !== undefined) post({ type: 'part', around: graph.part.next });
});
element('part-cursor').addEventListener('click', () => post({ type: 'part', around: 'cursor' }));
element('fit').addEventListener('click', fit);
element('colour-by-rate').addEventListener('click', () => {
  colourBy = colourBy === 'rate' ? 'family' : 'rate';
  if (graph) show(graph, title);
});

function standaloneSvg(g: LaidOutGraph): string {
  return renderSvg(g, { background: true, caption: totalsCaption(g, title), colourBy });
}

element('export-svg').addEventListener('click', () => {
  if (graph) post({ type: 'export', format: 'svg', data: standaloneSvg(graph) });
});
element('export-png').addEventListener('click', () => {
  if (!graph) return;
  const svg = standaloneSvg(graph);
  const size = /width="(\d+)" height="(\d+)"/.exec(svg);
  svgToPngBase64(svg, Number(size?.[1] ?? graph.width), Number(size?.[2] ?? graph.height)).then(
    (data) => post({ type: 'export', format: 'png', data }),
    (error: unknown) => post({ type: 'log', message: `PNG export failed: ${String(error)}` }),
  );
});

// A theme change restyles the page (VS Code swaps the body's class and the variables on <html>).
new MutationObserver(() => report()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
new MutationObserver(() => report()).observe(document.documentElement, {
  attributes: true,
  attributeFilter: ['style'],
});

post({ type: 'ready' });
