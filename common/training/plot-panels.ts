// What the training plots show: the panels of a learning-rate schedule and of a training log, for the
// SVG renderer (the CLI's files and the pages that show them alike).

import { ownEntry } from '../tables';
import type { LrPoint } from './lr-schedule';
import { prefersLog, type PlotPanel, type PlotPoint, type PlotSeries } from './plot-svg';
import { runOf, type TrainLog } from './train-log';

export function schedulePanel(policy: string, points: readonly LrPoint[]): PlotPanel {
  const plotted = points.map((p) => ({ x: p.iter, y: p.lr }));
  return {
    title: 'learning rate',
    series: [{ name: `lr_policy "${policy}"`, points: plotted }],
    logY: prefersLog(plotted.map((p) => p.y)),
  };
}

/** How a log's panels are drawn. */
export interface LogPanelOptions {
  /**
   * The weight of the past in an exponential moving average of the loss and outputs, in [0, 1): 0
   * (the default) draws the values as logged; above it the average is drawn over faint values.
   */
  smoothing?: number;
  /** The run of a log of several to draw (from 0; default the last), or 'all' of them as one. */
  run?: number | 'all';
}

/**
 * A log's panels, each left out when it has nothing to show: the training loss; the train net's
 * outputs (one that equals the loss at every displayed iteration is left out, it says nothing more);
 * each test net's outputs; the learning rate (never smoothed).
 */
export function logPanels(whole: TrainLog, options: LogPanelOptions = {}): PlotPanel[] {
  const run = options.run;
  const log = whole.runs.length > 1 && run !== 'all' ? runOf(whole, shownRun(whole, run)) : whole;
  const weight = options.smoothing ?? 0;
  const smoothed = (panel: PlotPanel): PlotPanel =>
    weight > 0 && weight < 1
      ? { ...panel, series: panel.series.map((s) => ({ ...s, smoothed: smooth(s.points, weight) })) }
      : panel;
  return valuePanels(log).map(smoothed).concat(ratePanels(log));
}

/** The index of the run drawn: `run` when the log has it, else the last. */
export function shownRun(log: TrainLog, run?: number): number {
  const last = Math.max(0, log.runs.length - 1);
  return run !== undefined && Number.isInteger(run) && run >= 0 && run <= last ? run : last;
}

/**
 * The exponential moving average of the points' values, `weight` being the share of the past, divided
 * by what the weights sum to so far (so the first values are not pulled towards 0). A missing value
 * (NaN, an infinity) stays missing and leaves the average as it was.
 */
export function smooth(points: readonly PlotPoint[], weight: number): PlotPoint[] {
  let sum = 0;
  let norm = 0;
  return points.map((p) => {
    if (!Number.isFinite(p.y)) return { x: p.x, y: NaN };
    sum = sum * weight + (1 - weight) * p.y;
    norm = norm * weight + (1 - weight);
    return { x: p.x, y: sum / norm };
  });
}

function valuePanels(log: TrainLog): PlotPanel[] {
  const panels: PlotPanel[] = [];
  if (log.train.length > 0) {
    panels.push({
      title: 'training loss',
      series: [{ name: 'loss', points: log.train.map((t) => xy(t.iter, t.loss)) }],
    });
    // An entry without the output counts as equal to the loss.
    const outputs = outputSeries(log.train).filter(
      (s) => !log.train.every((t) => same(ownEntry(t.outputs, s.name) ?? t.loss, t.loss)),
    );
    if (outputs.length > 0) panels.push({ title: 'train net outputs', series: outputs });
  }
  const nets = [...new Set(log.test.map((t) => t.net))].sort((a, b) => a - b);
  for (const net of nets) {
    const tests = log.test.filter((t) => t.net === net);
    const series = outputSeries(tests);
    if (tests.some((t) => t.loss !== undefined)) {
      series.unshift({
        name: 'test loss',
        points: tests.filter((t) => t.loss !== undefined).map((t) => xy(t.iter, t.loss ?? NaN)),
      });
    }
    if (series.length > 0) panels.push({ title: `test net #${net} outputs`, series });
  }
  return panels;
}

function ratePanels(log: TrainLog): PlotPanel[] {
  const panels: PlotPanel[] = [];
  if (log.lr.length > 0) {
    const points = log.lr.map((p) => xy(p.iter, p.lr));
    panels.push({
      title: 'learning rate',
      series: [{ name: 'lr', points }],
      logY: prefersLog(points.map((p) => p.y)),
    });
  }
  return panels;
}

/** One series per output name, in the order names first appear; entries without it are skipped. */
function outputSeries(entries: readonly { iter: number; outputs: Record<string, number> }[]): PlotSeries[] {
  const byName = new Map<string, PlotPoint[]>();
  for (const entry of entries) {
    for (const [name, value] of Object.entries(entry.outputs)) {
      let points = byName.get(name);
      if (!points) byName.set(name, (points = []));
      points.push(xy(entry.iter, value));
    }
  }
  return [...byName].map(([name, points]) => ({ name, points }));
}

function xy(x: number, y: number): PlotPoint {
  return { x, y };
}

function same(a: number | undefined, b: number): boolean {
  return a === b || (a !== undefined && Number.isNaN(a) && Number.isNaN(b));
}
