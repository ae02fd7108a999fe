// A run's result as readable text (the CLI's output, the VS Code client's output channel) and as a
// one-line summary (the client's notification). Editor-neutral.

import { pushAll } from '../arrays';
import type { BlobStats, GradCheckEntry, RunResult, Timings } from './types';

/** What was run, for the report's heading. */
export interface RunLabel {
  layerName?: string;
  module: string;
  layerClass: string;
  phase?: string;
  bottomNames?: string[];
  topNames?: string[];
}

export function formatDims(shape: readonly number[]): string {
  return shape.length === 0 ? 'scalar' : shape.join('×');
}

export function formatNumber(n: number | null | undefined): string {
  if (n === null || n === undefined) return '-';
  if (n === 0) return '0';
  const a = Math.abs(n);
  return a >= 1e5 || a < 1e-3 ? n.toExponential(3) : String(Number(n.toPrecision(5)));
}

function statsLine(name: string, s: BlobStats): string {
  return (
    `  ${name}: ${formatDims(s.shape)} ${s.dtype}  min ${formatNumber(s.min)}  max ${formatNumber(s.max)}` +
    `  mean ${formatNumber(s.mean)}  std ${formatNumber(s.std)}  NaN ${s.nan}  Inf ${s.inf}`
  );
}

const METHODS: (keyof Timings)[] = ['setup', 'reshape', 'forward', 'backward', 'gradcheck'];

export function formatTimings(t: Timings): string {
  const parts = METHODS.filter((m) => t[m] !== undefined).map((m) => `${m} ${formatMs(t[m] ?? 0)}`);
  return parts.length ? parts.join(', ') : 'none';
}

function formatMs(ms: number): string {
  return ms >= 100 ? `${Math.round(ms)} ms` : `${Number(ms.toPrecision(3))} ms`;
}

/** `bottom[0]` -> `bottom[0] (data)` when the blob names are known. */
function blobLabel(blob: string, label: RunLabel): string {
  const m = /^bottom\[(\d+)\]$/.exec(blob);
  const name = m ? label.bottomNames?.[Number(m[1])] : undefined;
  return name ? `${blob} (${name})` : blob;
}

function worst(entries: readonly GradCheckEntry[]): GradCheckEntry | undefined {
  let best: GradCheckEntry | undefined;
  for (const e of entries) {
    if (e.maxError === null || e.maxError === undefined) continue;
    if (!best || (best.maxError ?? -1) < e.maxError) best = e;
  }
  return best;
}

/** Where the largest gradient error is: `bottom[0] (data) at [1, 2, 0, 3]: analytic 0.1, numeric 0.2`. */
export function describeWorst(entry: GradCheckEntry, label: RunLabel): string {
  const at = entry.at ? ` at [${entry.at.join(', ')}]` : '';
  return (
    `${blobLabel(entry.blob, label)}${at}: error ${formatNumber(entry.maxError)}` +
    ` (analytic ${formatNumber(entry.analytic)}, numeric ${formatNumber(entry.numeric)})`
  );
}

export function heading(label: RunLabel): string {
  const name = label.layerName ? `layer "${label.layerName}" ` : '';
  return `${name}(${label.module}.${label.layerClass})${label.phase ? `, phase ${label.phase}` : ''}`;
}

/** The full text report. */
export function formatRunReport(result: RunResult, label: RunLabel): string {
  const lines: string[] = [heading(label)];
  const versions = [
    result.pythonVersion && `Python ${result.pythonVersion}`,
    result.numpyVersion && `numpy ${result.numpyVersion}`,
  ].filter(Boolean);
  lines.push(
    `interpreter: ${result.interpreter}${versions.length ? ` (${versions.join(', ')})` : ''}; ` +
      (result.usedPycaffe ? 'pycaffe' : 'stand-in caffe module') +
      (result.pycaffeProblem ? ` (pycaffe not used: ${result.pycaffeProblem})` : ''),
  );
  if (result.moduleFile) lines.push(`module file: ${result.moduleFile}`);
  for (const note of result.notes ?? []) lines.push(`note: ${note}`);
  if (result.bottoms.length) {
    lines.push('bottoms:');
    result.bottoms.forEach((b, i) => lines.push(statsLine(label.bottomNames?.[i] ?? `bottom[${i}]`, b)));
  }
  if (result.tops.length) {
    lines.push('tops:');
    result.tops.forEach((t, i) => lines.push(statsLine(label.topNames?.[i] ?? `top[${i}]`, t)));
  }
  lines.push(`timings: ${formatTimings(result.timings)}`);
  if (result.bottomDiffs.length) {
    lines.push('bottom diffs:');
    result.bottomDiffs.forEach((d, i) => {
      const name = label.bottomNames?.[i] ?? `bottom[${i}]`;
      lines.push(d ? statsLine(name, d) : `  ${name}: no propagate_down`);
    });
  }
  if (result.paramDiffs.length) {
    lines.push('param diffs:');
    result.paramDiffs.forEach((d, i) => lines.push(statsLine(`param[${i}]`, d)));
  }
  const g = result.gradcheck;
  if (g) {
    lines.push(
      `gradient check: ${g.passed ? 'PASSED' : 'FAILED'} (step ${g.step}, threshold ${g.threshold}, ` +
        `seed ${g.seed}, objective ${g.objective})`,
    );
    const w = worst(g.checks);
    if (w) lines.push(`  largest error: ${describeWorst(w, label)}`);
    for (const c of g.checks) {
      lines.push(
        `  ${blobLabel(c.blob, label)} ${formatDims(c.shape)}: ${c.passed ? 'ok' : 'FAILED'}, ` +
          `${c.failures} of ${c.checked}${c.sampled ? ` sampled from ${c.total}` : ''} elements off, ` +
          `max error ${formatNumber(c.maxError)}`,
      );
    }
    if (g.note) lines.push(`  note: ${g.note}`);
  }
  const e = result.error;
  if (e) {
    // The harness refusing its request (a bottom it cannot make) is no exception of the layer's.
    if (e.phase === 'request') lines.push(`the run could not start: ${e.message}`);
    else lines.push(`error in ${e.phase}: ${e.type}: ${e.message}`);
    if (e.location) lines.push(`  at ${e.location.file}:${e.location.line} in ${e.location.function}`);
    for (const f of e.traceback) lines.push(`    ${f.file}:${f.line} in ${f.function}`);
  }
  const output = result.output.trim();
  if (output) pushAll(lines, ['output of the layer:', ...output.split('\n').map((l) => `  | ${l}`)]);
  return lines.join('\n') + '\n';
}

/** True when the run should count as a failure (exit 1): an error or a failed gradient check. */
export function runFailed(result: RunResult): boolean {
  return !result.ok || result.error !== undefined || result.gradcheck?.passed === false;
}

/** One line for a notification. */
export function summarizeRun(result: RunResult, label: RunLabel): string {
  const who = label.layerName ? `"${label.layerName}"` : label.layerClass;
  if (result.error) {
    const where = result.error.location ? ` (line ${result.error.location.line})` : '';
    return `${who}: ${result.error.type} in ${result.error.phase}${where}: ${result.error.message}`;
  }
  const tops = result.tops.map((t) => formatDims(t.shape)).join(', ') || 'no tops';
  const base = `${who}: tops ${tops}; forward ${formatMs(result.timings.forward ?? 0)}`;
  const g = result.gradcheck;
  if (!g) return base;
  const w = worst(g.checks);
  return (
    `${base}; gradient check ${g.passed ? 'passed' : 'FAILED'}` +
    (w ? ` (largest error ${formatNumber(w.maxError)} in ${blobLabel(w.blob, label)})` : '')
  );
}
