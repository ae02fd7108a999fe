// Figures of a fuzz run: latency percentiles and a one-paragraph summary.

import type { FuzzReport } from './driver';

/** The `q` quantile (0..1) of `samples`, nearest rank; NaN for none. */
export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

const ms = (v: number) => (Number.isNaN(v) ? '-' : `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`);

export function describePercentiles(samples: readonly number[]): string {
  return `p50 ${ms(percentile(samples, 0.5))}, p90 ${ms(percentile(samples, 0.9))}, p99 ${ms(percentile(samples, 0.99))}, max ${ms(percentile(samples, 1))} (${samples.length})`;
}

export function summarize(reports: readonly FuzzReport[]): string {
  const all = <K extends 'latencies' | 'besideBackground' | 'pings'>(key: K) =>
    reports.flatMap((r) => r[key]);
  const count = (kind: string) =>
    reports.reduce((n, r) => n + r.failures.filter((f) => f.kind === kind).length, 0);
  const sum = (key: 'operations' | 'edits' | 'requests' | 'elapsedMs') =>
    reports.reduce((n, r) => n + r[key], 0);
  return [
    `seeds ${reports.map((r) => r.seed).join(', ')}: ${sum('operations')} operations (${sum('edits')} edits, ${sum('requests')} requests) in ${(sum('elapsedMs') / 60_000).toFixed(1)} min`,
    `crashes ${count('crash')}, hangs ${count('hang')}, error responses ${count('error')}, bad ranges ${count('range')}`,
    `latency, every request: ${describePercentiles(all('latencies'))}`,
    `latency, requests on the edited nets (their own analysis included): ${describePercentiles(all('besideBackground'))}`,
    `latency, hovers on a second document while a 1 MB pathological one is open (liveness pings): ${describePercentiles(all('pings'))}`,
    ...reports.flatMap((r) =>
      r.failures.map((f) => `  ${f.kind}: ${f.message.split('\n')[0]} -> ${f.reproducer}`),
    ),
  ].join('\n');
}
