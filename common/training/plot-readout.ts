// What a plot shows under the mouse: the panel the pointer is over, the iteration at its x, and each
// of the panel's series' value at the point nearest that iteration. Pure; the pages that draw plots
// (schedule, training log) show it beside the pointer.

import type { PlotLayout } from './plot-svg';
import type { PlotPanel, PlotPoint } from './plot-svg';

export interface Readout {
  panel: number;
  /** The iteration under the pointer (rounded). */
  iter: number;
  /** The x in the picture's pixels of that iteration, for a guide line. */
  x: number;
  /** Each series with its nearest point (left out when it has none), and its smoothed value there. */
  values: { name: string; point: PlotPoint; smoothed?: number }[];
}

/** The readout at (x, y) in the picture's pixels; undefined outside every panel's area. */
export function readoutAt(
  layout: PlotLayout,
  panels: readonly PlotPanel[],
  x: number,
  y: number,
): Readout | undefined {
  const index = layout.panels.findIndex(
    (p) => x >= p.area.x && x <= p.area.x + p.area.width && y >= p.area.y && y <= p.area.y + p.area.height,
  );
  if (index < 0) return undefined;
  const { area } = layout.panels[index];
  const axis = layout.xAxis;
  const at = axis.min + ((x - area.x) / area.width) * (axis.max - axis.min);
  const values: Readout['values'] = [];
  for (const series of panels[index]?.series ?? []) {
    const i = nearestIndex(series.points, at);
    if (i < 0) continue;
    const smoothed = series.smoothed?.[i]?.y;
    values.push({
      name: series.name,
      point: series.points[i],
      ...(smoothed !== undefined ? { smoothed } : {}),
    });
  }
  const iter = values.length > 0 ? values[0].point.x : Math.round(at);
  const px = area.x + ((iter - axis.min) / (axis.max - axis.min || 1)) * area.width;
  return { panel: index, iter, x: px, values };
}

/** The point whose x is nearest `x` in points sorted by x (the earlier one on a tie). */
export function nearest(points: readonly PlotPoint[], x: number): PlotPoint | undefined {
  const i = nearestIndex(points, x);
  return i < 0 ? undefined : points[i];
}

/** The index of {@link nearest}'s point; -1 when there are no points. */
function nearestIndex(points: readonly PlotPoint[], x: number): number {
  if (points.length === 0) return -1;
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid].x < x) lo = mid + 1;
    else hi = mid;
  }
  const after = points[lo];
  const before = points[lo - 1];
  return before && Math.abs(before.x - x) <= Math.abs(after.x - x) ? lo - 1 : lo;
}
