// The plot webview page: draws a solver's learning-rate schedule or a training log with the same SVG
// renderer as the CLI, as wide as the page, in the theme's colours (plot.css), and shows the values
// under the pointer. A followed log arrives once and then as deltas; the page keeps the whole log and
// redraws at most once per frame.

import { schedulePanel, logPanels } from '../../common/training/plot-panels';
import { readoutAt } from '../../common/training/plot-readout';
import { formatIteration, formatValue } from '../../common/training/plot-scale';
import { plotLayout, renderPlot, type PlotPanel } from '../../common/training/plot-svg';
import { applyDelta, type TrainLog } from '../../common/training/train-log';
import type { FromPlotPage, ToPlotPage } from './plot-messages';

interface VsCodeApi {
  postMessage(message: FromPlotPage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const plot = element('plot');
const readout = element('readout');
const titleElement = element('title');
const description = element('description');
const noteElement = element('note');
const controls = element('controls');
const smoothingInput = element('smoothing') as HTMLInputElement;
const smoothingValue = element('smoothing-value');
const runSelect = element('run') as HTMLSelectElement;
const runLabel = element('run-label');

let panels: PlotPanel[] = [];
let log: TrainLog | undefined;
let pending = false;
/** The run drawn of a log of several; undefined for the last (a run that starts later is shown). */
let chosenRun: number | undefined;
/** The weight of the past in the moving average of a log's values (0: as logged), kept with the page. */
let smoothing = savedSmoothing();

function savedSmoothing(): number {
  const value = (vscode.getState() as { smoothing?: unknown } | undefined)?.smoothing;
  return typeof value === 'number' && value >= 0 && value < 1 ? value : 0;
}

function element(id: string): HTMLElement {
  const e = document.getElementById(id);
  if (!e) throw new Error(`the page has no #${id}`);
  return e;
}

function post(message: FromPlotPage): void {
  vscode.postMessage(message);
}

/** JSON carries nan and inf as null: back to a number that draws as a gap. */
function num(value: number | null): number {
  return value === null ? NaN : value;
}

function revive(data: TrainLog): TrainLog {
  return {
    train: data.train.map((t) => ({ ...t, loss: num(t.loss), outputs: reviveRecord(t.outputs) })),
    test: data.test.map((t) => ({
      ...t,
      outputs: reviveRecord(t.outputs),
      ...(t.loss !== undefined ? { loss: num(t.loss) } : {}),
    })),
    lr: data.lr.map((p) => ({ iter: p.iter, lr: num(p.lr) })),
    runs: data.runs ?? [{ train: 0, test: 0, lr: 0 }],
  };
}

function reviveRecord(record: Record<string, number | null>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, num(v)]));
}

function setNote(text: string | undefined): void {
  noteElement.hidden = !text;
  noteElement.textContent = text ?? '';
}

function width(): number {
  return Math.max(320, Math.floor(plot.clientWidth) - 8);
}

/** Each panel's height: all of them in the window when they fit at a readable size. */
function panelHeight(count: number): number {
  const free = window.innerHeight - plot.getBoundingClientRect().top - 40;
  return Math.round(Math.min(240, Math.max(130, free / Math.max(1, count) - 12)));
}

/** Redraws on the next frame (a burst of appended lines draws once). */
function schedule(): void {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    draw();
  });
}

/** The run choice, listed again when the log's runs changed (one entry per run, the last chosen by default). */
function showRuns(): void {
  const runs = log?.runs ?? [];
  const several = runs.length > 1;
  runSelect.hidden = !several;
  runLabel.hidden = !several;
  if (!several) return;
  const labels = runs.map((r, i) => `${i + 1} of ${runs.length}${r.name ? `: ${r.name}` : ''}`);
  const current = [...runSelect.options].map((o) => o.text);
  if (current.join('\n') !== labels.join('\n')) {
    runSelect.replaceChildren(
      ...labels.map((text, i) => {
        const option = document.createElement('option');
        option.value = String(i);
        option.text = text;
        return option;
      }),
    );
  }
  runSelect.value = String(chosenRun ?? runs.length - 1);
}

function draw(): void {
  if (log) {
    showRuns();
    panels = logPanels(log, { smoothing, run: chosenRun });
  }
  if (panels.length === 0) {
    const empty = document.createElement('p');
    empty.className = 'empty';
    empty.textContent = log ? 'No training, test or rate lines in the log yet.' : 'Nothing to plot.';
    plot.replaceChildren(empty);
  } else {
    const svg = renderPlot(panels, {
      width: width(),
      panelHeight: panelHeight(panels.length),
      xLabel: 'iteration',
    });
    const parsed = new DOMParser().parseFromString(svg, 'image/svg+xml').documentElement;
    plot.replaceChildren(document.importNode(parsed, true));
  }
  let points = 0;
  let lastIter: number | null = null;
  for (const panel of panels)
    for (const series of panel.series) {
      points += series.points.length;
      const last = series.points[series.points.length - 1];
      if (last && (lastIter === null || last.x > lastIter)) lastIter = last.x;
    }
  post({ type: 'rendered', panels: panels.length, points, lastIter });
}

function onMessage(message: ToPlotPage): void {
  switch (message.type) {
    case 'schedule': {
      log = undefined;
      controls.hidden = true;
      titleElement.textContent = message.title;
      description.textContent = message.description;
      setNote(message.note);
      const points = message.points.map((p) => ({ iter: p.iter, lr: num(p.lr) }));
      panels = message.policy && points.length > 0 ? [schedulePanel(message.policy, points)] : [];
      schedule();
      break;
    }
    case 'log':
      controls.hidden = false;
      chosenRun = undefined;
      titleElement.textContent = message.title;
      description.textContent = 'Training loss, train and test net outputs and the learning rate.';
      setNote(message.note);
      log = revive(message.log);
      schedule();
      break;
    case 'log-append':
      if (!log) break;
      applyDelta(log, reviveDelta(message.delta));
      schedule();
      break;
    case 'note':
      setNote(message.message);
      break;
  }
}

function reviveDelta(delta: Extract<ToPlotPage, { type: 'log-append' }>['delta']) {
  const part = revive({
    train: delta.train.entries,
    test: delta.test.entries,
    lr: delta.lr.entries,
    runs: delta.runs,
  });
  return {
    train: { from: delta.train.from, entries: part.train },
    test: { from: delta.test.from, entries: part.test },
    lr: { from: delta.lr.from, entries: part.lr },
    runs: part.runs,
  };
}

function showSmoothing(): void {
  smoothingInput.value = String(smoothing);
  smoothingValue.textContent = smoothing.toFixed(2);
}
showSmoothing();
runSelect.addEventListener('change', () => {
  const runs = log?.runs.length ?? 0;
  const value = Number(runSelect.value);
  // The last run chosen: follow the runs that start later.
  chosenRun = Number.isInteger(value) && value >= 0 && value < runs - 1 ? value : undefined;
  schedule();
});
smoothingInput.addEventListener('input', () => {
  const value = Number(smoothingInput.value);
  smoothing = value >= 0 && value < 1 ? value : 0;
  vscode.setState({ smoothing });
  showSmoothing();
  schedule();
});

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const data = event.data;
  if (typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string')
    onMessage(data as ToPlotPage);
});

let resizeTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('resize', () => {
  if (resizeTimer) clearTimeout(resizeTimer);
  resizeTimer = setTimeout(schedule, 100);
});

// The values under the pointer: a guide line in the panel and a box beside the pointer.
plot.addEventListener('pointermove', (e) => {
  const svg = plot.querySelector('svg');
  if (!svg || panels.length === 0) return;
  const box = svg.getBoundingClientRect();
  const scale = box.width > 0 ? Number(svg.getAttribute('width')) / box.width : 1;
  const x = (e.clientX - box.left) * scale;
  const y = (e.clientY - box.top) * scale;
  const layout = plotLayout(panels, {
    width: Number(svg.getAttribute('width')),
    panelHeight: panelHeight(panels.length),
    xLabel: 'iteration',
  });
  const found = readoutAt(layout, panels, x, y);
  svg.querySelector('.guide')?.remove();
  if (!found || found.values.length === 0) {
    readout.hidden = true;
    return;
  }
  const area = layout.panels[found.panel].area;
  const guide = document.createElementNS('http://www.w3.org/2000/svg', 'line');
  guide.setAttribute('class', 'guide');
  for (const [k, v] of [
    ['x1', found.x],
    ['x2', found.x],
    ['y1', area.y],
    ['y2', area.y + area.height],
  ] as const)
    guide.setAttribute(k, String(v));
  svg.appendChild(guide);
  const lines = [`iteration ${formatIteration(found.iter)}`];
  for (const v of found.values) {
    const at = v.point.x === found.iter ? '' : ` (at ${formatIteration(v.point.x)})`;
    const value = Number.isFinite(v.point.y) ? exact(v.point.y) : 'not a number';
    const smoothed =
      v.smoothed !== undefined && Number.isFinite(v.smoothed) ? `, smoothed ${exact(v.smoothed)}` : '';
    lines.push(`${v.name}: ${value}${smoothed}${at}`);
  }
  readout.textContent = lines.join('\n');
  readout.hidden = false;
  const left = Math.min(e.clientX + 14, window.innerWidth - readout.offsetWidth - 4);
  readout.style.left = `${Math.max(4, left)}px`;
  readout.style.top = `${e.clientY + 14}px`;
});
plot.addEventListener('pointerleave', () => {
  readout.hidden = true;
  plot.querySelector('.guide')?.remove();
});

/** A value as read from the data: the axis's short form when it is exact, else six significant digits. */
function exact(value: number): string {
  const short = formatValue(value);
  return Number(short) === value ? short : String(Number(value.toPrecision(6)));
}

post({ type: 'ready' });
