// Pan and zoom arithmetic of the graph view, kept apart from the DOM.

export interface View {
  /** Screen position of the graph's origin. */
  x: number;
  y: number;
  scale: number;
}

export const MIN_SCALE = 0.03;
export const MAX_SCALE = 4;

export function clampScale(scale: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, Number.isFinite(scale) ? scale : 1));
}

/** Zoom by `factor` keeping the graph point under the screen point (px, py) in place. */
export function zoomAt(view: View, factor: number, px: number, py: number): View {
  const scale = clampScale(view.scale * factor);
  const k = scale / view.scale;
  return { scale, x: px - (px - view.x) * k, y: py - (py - view.y) * k };
}

/** The whole graph in the viewport (never enlarged past 1:1), centred horizontally, from the top. */
export function fitView(graphW: number, graphH: number, viewW: number, viewH: number): View {
  const scale = clampScale(Math.min(1, viewW / Math.max(1, graphW), viewH / Math.max(1, graphH)));
  return { scale, x: (viewW - graphW * scale) / 2, y: Math.max(0, (viewH - graphH * scale) / 2) };
}

/** The smallest pan that brings a graph-space box fully into the viewport (centred when it moves). */
export function bringIntoView(
  view: View,
  box: { x: number; y: number; width: number; height: number },
  viewW: number,
  viewH: number,
): View {
  const left = view.x + box.x * view.scale;
  const top = view.y + box.y * view.scale;
  const right = left + box.width * view.scale;
  const bottom = top + box.height * view.scale;
  if (left >= 0 && top >= 0 && right <= viewW && bottom <= viewH) return view;
  return {
    scale: view.scale,
    x: viewW / 2 - (box.x + box.width / 2) * view.scale,
    y: viewH / 2 - (box.y + box.height / 2) * view.scale,
  };
}

export function transformOf(view: View): string {
  const r = (n: number): number => Math.round(n * 100) / 100;
  return `translate(${r(view.x)},${r(view.y)}) scale(${r(view.scale * 1000) / 1000})`;
}

/** Below this zoom a node's 12 px text is too small to read: the first view never goes under it. */
export const READABLE_SCALE = 0.8;

/**
 * The first view of a graph: all of it when it fits at a readable zoom; else the whole width when that
 * is readable, else the readable zoom — around `focus` (the cursor's layer) when given, else from the
 * top, centred across. The rest is reached by scrolling or dragging.
 */
export function initialView(
  graphW: number,
  graphH: number,
  viewW: number,
  viewH: number,
  focus?: { x: number; y: number; width: number; height: number },
): View {
  const fit = fitView(graphW, graphH, viewW, viewH);
  if (fit.scale >= READABLE_SCALE) return fit;
  const scale = clampScale(Math.max(READABLE_SCALE, Math.min(1, viewW / Math.max(1, graphW))));
  const cx = focus ? focus.x + focus.width / 2 : graphW / 2;
  const cy = focus ? focus.y + focus.height / 2 : 0;
  return {
    scale,
    x: clampAxis(viewW / 2 - cx * scale, graphW * scale, viewW),
    y: clampAxis(focus ? viewH / 2 - cy * scale : 0, graphH * scale, viewH),
  };
}

/** An offset along one axis that leaves no empty band where the graph could be (centred when it fits). */
function clampAxis(offset: number, size: number, view: number): number {
  if (size <= view) return (view - size) / 2;
  return Math.min(0, Math.max(view - size, offset));
}
