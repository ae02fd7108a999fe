// Line plots as one standalone SVG document: panels stacked over one shared x axis (iterations), each
// with its own y axis (linear or logarithmic), grid, ticks, a legend and several series. Used for
// learning-rate schedules and training logs, by the CLI and by pages that show them. No dependencies;
// every user-written string is escaped.

import { escapeMarkup } from '../markup';
import { fraction, formatIteration, formatValue, linearAxis, logAxis, type Axis } from './plot-scale';

export interface PlotPoint {
  x: number;
  y: number;
}

export interface PlotSeries {
  name: string;
  points: readonly PlotPoint[];
  /** A stroke colour; by default the palette's colour for the series' name. */
  colour?: string;
  /**
   * The same series smoothed (as long as `points`, NaN where a value is missing): drawn over `points`,
   * which are then drawn faint. The y axis still spans `points`.
   */
  smoothed?: readonly PlotPoint[];
}

export interface PlotPanel {
  title?: string;
  series: readonly PlotSeries[];
  /** A logarithmic y axis (values <= 0 are left out of it). */
  logY?: boolean;
}

export interface PlotOptions {
  title?: string;
  xLabel?: string;
  /** Total width and each panel's height, in pixels. */
  width?: number;
  panelHeight?: number;
  /** Paint a white background (for files; a page shows its own behind). */
  background?: boolean;
}

/** Distinct colours for series, in order. */
export const PALETTE = [
  '#1f6fb4',
  '#e8770e',
  '#2b9a3e',
  '#cf2f2f',
  '#8a5fbf',
  '#8c564b',
  '#d65db1',
  '#6b6b6b',
  '#aeb318',
  '#17aebf',
];

const FONT = 'system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif';
const FONT_SIZE = 12;
const CHAR_WIDTH = 6.6;
const LEFT = 64;
const RIGHT = 24;
const TITLE_HEIGHT = 26;
const TITLE_LINE = 16;

/** A title as lines that fit the picture's width, broken after its commas (a long word stays whole). */
function titleLines(title: string, width: number): string[] {
  const room = Math.max(10, Math.floor((width - LEFT - RIGHT) / (CHAR_WIDTH * 1.1)));
  const lines: string[] = [];
  let line = '';
  for (const part of title.split(/(?<=, )/)) {
    if (line !== '' && line.length + part.trimEnd().length > room) {
      lines.push(line.trimEnd());
      line = '';
    }
    line += part;
  }
  if (line !== '') lines.push(line.trimEnd());
  return lines;
}
const PANEL_HEAD = 22;
const LEGEND_LINE = 16;
const SWATCH = 22;
const X_LABELS = 20;
const X_TITLE = 18;
const GAP = 10;
/** Series with at most this many points also get a dot on each point. */
const DOTS_UP_TO = 60;

/** Whether a log axis suits the values: all positive, spanning at least two decades. */
export function prefersLog(values: readonly number[]): boolean {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v <= 0) return false;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return lo <= hi && hi / lo >= 100;
}

/** Where a panel's plotting area is and what its y axis shows (for pages that read values under the mouse). */
export interface PanelGeometry {
  /** The area inside the frame, in the SVG's pixels. */
  area: Box;
  /** Undefined when the panel has no value to show. */
  yAxis?: Axis;
  logY: boolean;
}

export interface PlotLayout {
  width: number;
  height: number;
  /** The shared iteration axis (always linear). */
  xAxis: Axis;
  panels: PanelGeometry[];
}

/** Where everything of a plot goes: the picture's size, the x axis and each panel's area and y axis. */
export function plotLayout(panels: readonly PlotPanel[], options: PlotOptions = {}): PlotLayout {
  const width = Math.max(240, Math.round(options.width ?? 760));
  const panelHeight = Math.max(120, Math.round(options.panelHeight ?? 220));
  const top = options.title ? TITLE_HEIGHT + (titleLines(options.title, width).length - 1) * TITLE_LINE : 4;
  const plotWidth = width - LEFT - RIGHT;
  const legends = panels.map((panel) => legendLayout(panel, plotWidth));
  const heights = legends.map((l) => panelHeight + (l.lines - 1) * LEGEND_LINE);
  const height = top + heights.reduce((sum, h) => sum + h + GAP, 0) + (options.xLabel ? X_TITLE : 0);
  let y = top;
  const geometry = panels.map((panel, index) => {
    const head = PANEL_HEAD + (legends[index].lines - 1) * LEGEND_LINE;
    const area = { x: LEFT, y: y + head, width: plotWidth, height: heights[index] - head - X_LABELS };
    y += heights[index] + GAP;
    const yAxis = yAxisOf(panel);
    return { area, logY: panel.logY === true, ...(yAxis ? { yAxis } : {}) };
  });
  return { width, height, xAxis: xAxisOf(panels), panels: geometry };
}

export function renderPlot(panels: readonly PlotPanel[], options: PlotOptions = {}): string {
  const layout = plotLayout(panels, options);
  const { width, height } = layout;
  const plotWidth = width - LEFT - RIGHT;
  const colours = coloursByName(panels);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="line-plot" width="${width}" height="${height}" ` +
      `viewBox="0 0 ${width} ${height}" font-family="${escapeMarkup(FONT)}" font-size="${FONT_SIZE}">`,
  ];
  if (options.background) out.push('<rect class="background" width="100%" height="100%" fill="#ffffff"/>');
  if (options.title) {
    titleLines(options.title, width).forEach((line, i) =>
      out.push(
        `<text class="title" x="${LEFT}" y="${18 + i * TITLE_LINE}" font-weight="600" fill="#1f2328">${escapeMarkup(line)}</text>`,
      ),
    );
  }
  panels.forEach((panel, index) => {
    const panelColours = panel.series.map((series) => colours.get(series) ?? PALETTE[0]);
    const legend = legendLayout(panel, plotWidth);
    out.push(renderPanel(panel, panelColours, legend, layout.xAxis, layout.panels[index]));
  });
  if (options.xLabel) {
    out.push(
      `<text class="x-title" x="${num(LEFT + plotWidth / 2)}" y="${height - 5}" text-anchor="middle" fill="#3c4043">${escapeMarkup(options.xLabel)}</text>`,
    );
  }
  out.push('</svg>');
  return out.join('\n');
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

function xAxisOf(panels: readonly PlotPanel[]): Axis {
  let lo = Infinity;
  let hi = -Infinity;
  for (const panel of panels)
    for (const series of panel.series)
      for (const p of series.points) {
        if (!Number.isFinite(p.x)) continue;
        lo = Math.min(lo, p.x);
        hi = Math.max(hi, p.x);
      }
  if (lo > hi) return linearAxis(0, 1, 6);
  const axis = linearAxis(lo, hi, 6);
  // Iterations start where the data starts (usually 0) and the ticks stay inside the data.
  return {
    ...axis,
    min: lo,
    max: hi > lo ? hi : lo + 1,
    ticks: axis.ticks.filter((t) => t >= lo && t <= hi),
  };
}

function yAxisOf(panel: PlotPanel): Axis | undefined {
  const values: number[] = [];
  for (const series of panel.series)
    for (const p of series.points) if (usable(p, panel.logY === true)) values.push(p.y);
  if (values.length === 0) return undefined;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return panel.logY ? logAxis(lo, hi) : linearAxis(lo, hi, 5);
}

function usable(p: PlotPoint, log: boolean): boolean {
  return Number.isFinite(p.x) && Number.isFinite(p.y) && (!log || p.y > 0);
}

function renderPanel(
  panel: PlotPanel,
  colours: readonly string[],
  legendAt: LegendLayout,
  xAxis: Axis,
  geometry: PanelGeometry,
): string {
  const area = geometry.area;
  const head = PANEL_HEAD + (legendAt.lines - 1) * LEGEND_LINE;
  const box: Box = { x: area.x, y: area.y - head, width: area.width, height: area.height + head + X_LABELS };
  const out: string[] = ['<g class="panel">'];
  if (panel.title) {
    out.push(
      `<text class="panel-title" x="${area.x}" y="${box.y + 15}" font-weight="600" fill="#1f2328">${escapeMarkup(panel.title)}</text>`,
    );
  }
  out.push(legend(panel, colours, legendAt, box));
  const yAxis = geometry.yAxis;
  const px = (x: number) => area.x + fraction(xAxis, x) * area.width;
  out.push('<g class="grid" stroke="#e3e6ea" stroke-width="1">');
  if (yAxis) {
    for (const t of yAxis.ticks) {
      const y = area.y + area.height - fraction(yAxis, t) * area.height;
      out.push(`<line x1="${num(area.x)}" y1="${num(y)}" x2="${num(area.x + area.width)}" y2="${num(y)}"/>`);
    }
  }
  for (const t of xAxis.ticks) {
    out.push(
      `<line x1="${num(px(t))}" y1="${num(area.y)}" x2="${num(px(t))}" y2="${num(area.y + area.height)}"/>`,
    );
  }
  out.push('</g>');
  out.push(
    `<rect class="frame" x="${num(area.x)}" y="${num(area.y)}" width="${num(area.width)}" height="${num(area.height)}" fill="none" stroke="#9aa0a6"/>`,
  );
  out.push('<g class="ticks" fill="#3c4043">');
  if (yAxis) {
    for (const t of yAxis.ticks) {
      const y = area.y + area.height - fraction(yAxis, t) * area.height;
      out.push(
        `<text x="${num(area.x - 6)}" y="${num(y + 4)}" text-anchor="end">${escapeMarkup(formatValue(t))}</text>`,
      );
    }
  }
  for (const t of xAxis.ticks) {
    out.push(
      `<text x="${num(px(t))}" y="${num(area.y + area.height + 15)}" text-anchor="middle">${escapeMarkup(formatIteration(t))}</text>`,
    );
  }
  out.push('</g>');
  if (!yAxis) {
    out.push(
      `<text class="empty" x="${num(area.x + area.width / 2)}" y="${num(area.y + area.height / 2)}" text-anchor="middle" fill="#6b6b6b">no values</text>`,
    );
  } else {
    const py = (y: number) => area.y + area.height - fraction(yAxis, y) * area.height;
    panel.series.forEach((series, i) =>
      out.push(renderSeries(series, colours[i], panel.logY === true, px, py)),
    );
  }
  out.push('</g>');
  return out.join('\n');
}

/** A colour per series: its own, else one per name (the same name has the same colour in every panel). */
function coloursByName(panels: readonly PlotPanel[]): Map<PlotSeries, string> {
  const byName = new Map<string, string>();
  const out = new Map<PlotSeries, string>();
  for (const panel of panels) {
    for (const series of panel.series) {
      let colour = series.colour ?? byName.get(series.name);
      if (colour === undefined) {
        colour = PALETTE[byName.size % PALETTE.length];
        byName.set(series.name, colour);
      }
      out.set(series, colour);
    }
  }
  return out;
}

interface LegendLayout {
  /** Each series' entry: its offset from the panel's left edge and its line (0: the title's). */
  items: { x: number; line: number }[];
  lines: number;
}

/** Legend entries after the panel title, wrapping onto more lines when the width is used up. */
function legendLayout(panel: PlotPanel, width: number): LegendLayout {
  const items: LegendLayout['items'] = [];
  let line = 0;
  let x = panel.title ? panel.title.length * CHAR_WIDTH * 1.1 + 28 : 0;
  for (const series of panel.series) {
    const itemWidth = SWATCH + series.name.length * CHAR_WIDTH + 14;
    if (x + itemWidth > width && x > 0) {
      line++;
      x = 0;
    }
    items.push({ x, line });
    x += itemWidth;
  }
  return { items, lines: line + 1 };
}

/** `colour-N` for the palette's Nth colour, so that a page's stylesheet can give its own. */
function colourClass(colour: string): string {
  const index = PALETTE.indexOf(colour);
  return index < 0 ? '' : ` colour-${index}`;
}

function legend(panel: PlotPanel, colours: readonly string[], layout: LegendLayout, box: Box): string {
  const out: string[] = ['<g class="legend" fill="#3c4043">'];
  panel.series.forEach((series, i) => {
    const { x, line } = layout.items[i];
    const left = box.x + x;
    const base = box.y + 15 + line * LEGEND_LINE;
    out.push(
      `<line class="swatch${colourClass(colours[i])}" x1="${num(left)}" y1="${base - 4}" x2="${num(left + SWATCH - 6)}" y2="${base - 4}" stroke="${escapeMarkup(colours[i])}" stroke-width="2.5"/>`,
      `<text x="${num(left + SWATCH)}" y="${base}">${escapeMarkup(series.name)}</text>`,
    );
  });
  out.push('</g>');
  return out.join('\n');
}

function renderSeries(
  series: PlotSeries,
  colour: string,
  log: boolean,
  px: (x: number) => number,
  py: (y: number) => number,
): string {
  const stroke = escapeMarkup(colour);
  const out: string[] = [
    `<g class="series${colourClass(colour)}" stroke="${stroke}"><title>${escapeMarkup(series.name)}</title>`,
  ];
  const pixelRuns = (points: readonly PlotPoint[]) =>
    finiteRuns(points, log).map((run) => thin(run.map((p) => ({ x: px(p.x), y: py(p.y) }))));
  if (series.smoothed) {
    out.push(`<g class="raw" stroke-opacity="${RAW_OPACITY}" fill-opacity="${RAW_OPACITY}">`);
    for (const pixels of pixelRuns(series.points)) out.push(line(pixels, stroke));
    out.push('</g>');
    for (const pixels of pixelRuns(series.smoothed)) out.push(line(pixels, stroke));
  } else {
    for (const pixels of pixelRuns(series.points)) {
      out.push(line(pixels, stroke));
      if (pixels.length > 1 && series.points.length <= DOTS_UP_TO) {
        for (const p of pixels) out.push(dot(p, stroke, 2.2));
      }
    }
  }
  out.push('</g>');
  return out.join('\n');
}

/** How strongly the raw values show under their smoothed line. */
const RAW_OPACITY = 0.25;

/** A polyline through the pixels; a lone point (between gaps) is a dot. */
function line(pixels: readonly PlotPoint[], stroke: string): string {
  if (pixels.length === 1) return dot(pixels[0], stroke, 2.5);
  const path = pixels.map((p) => `${num(p.x)},${num(p.y)}`).join(' ');
  return `<polyline points="${path}" fill="none" stroke-width="1.5" stroke-linejoin="round"/>`;
}

function dot(p: PlotPoint, fill: string, r: number): string {
  return `<circle cx="${num(p.x)}" cy="${num(p.y)}" r="${r}" fill="${fill}" stroke="none"/>`;
}

/** Stretches of points a line can join: a NaN, an infinity or (on a log axis) a value <= 0 cuts it. */
function finiteRuns(points: readonly PlotPoint[], log: boolean): PlotPoint[][] {
  const runs: PlotPoint[][] = [];
  let run: PlotPoint[] = [];
  for (const p of points) {
    if (usable(p, log)) run.push(p);
    else if (run.length > 0) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/**
 * At most four points per pixel column (the first, lowest, highest and last of the points falling in
 * it, in their order), so a long log draws the same picture with a small file.
 */
export function thin(pixels: readonly PlotPoint[]): PlotPoint[] {
  const out: PlotPoint[] = [];
  let i = 0;
  while (i < pixels.length) {
    const column = Math.floor(pixels[i].x);
    let j = i;
    let low = i;
    let high = i;
    while (j + 1 < pixels.length && Math.floor(pixels[j + 1].x) === column) {
      j++;
      if (pixels[j].y < pixels[low].y) low = j;
      if (pixels[j].y > pixels[high].y) high = j;
    }
    for (const k of [...new Set([i, low, high, j])].sort((a, b) => a - b)) out.push(pixels[k]);
    i = j + 1;
  }
  return out;
}

function num(n: number): string {
  return String(Math.round(n * 10) / 10);
}
