// Editor latency: every request on ResNet-152's train_val and on large real nets (p95 per method,
// target < 20 ms), the outline's size, and keystroke to diagnostics (median, target < 10 ms).

import path from 'node:path';
import type { Figure } from './figures';
import { median, percentile } from './processes';
import { largestRealNets, repeatNet } from './real-nets';
import { requestLatencies } from './request-latency';
import { resnet152TrainVal } from './resnet152-train-val';

/** The nets of the latency figures: ResNet-152 train_val, and the two largest real nets. */
export function latencyNets(): [string, string][] {
  const nets: [string, string][] = [];
  const resnet = resnet152TrainVal();
  if (resnet) nets.push(['ResNet-152 train_val', resnet]);
  const real = largestRealNets(2);
  // The largest real file as it is, and the largest real net doubled (two copies, unique names).
  const [largest, second] = [...real].sort((a, b) => b.text.length - a.text.length);
  if (largest) nets.push([path.basename(largest.rel), largest.text]);
  if (second) nets.push([`${path.basename(second.rel)} ×2`, repeatNet(second.text, { copies: 2 }).text]);
  return nets;
}

export async function latencyFigures(
  log: (line: string) => void,
  samples = 150,
  versions = 60,
  warmup = 30,
): Promise<Figure[]> {
  const nets = latencyNets();
  if (nets.length === 0) log('latency: ../shared/corpus is absent, skipped');
  const figures: Figure[] = [];
  for (const [name, text] of nets) {
    const label = `${name} (${text.split('\n').length} lines)`;
    const { times, outline, keystroke, answered } = await requestLatencies(text, samples, versions, warmup);
    log(
      `latency: ${label}: answers not empty: ` +
        Object.keys(times)
          .map((m) => `${m} ${answered[m] ?? 0}/${times[m].length}`)
          .join(', '),
    );
    figures.push({
      name: `keystroke->diagnostics median, ${label}`,
      value: median(keystroke),
      unit: 'ms',
      target: { value: 10 },
      note: `${keystroke.length} edits after ${warmup} untimed ones; p95 ${percentile(keystroke, 0.95).toFixed(1)} ms`,
    });
    for (const [method, ms] of Object.entries(times)) {
      figures.push({
        name: `${method} p95, ${label}`,
        value: percentile(ms, 0.95),
        unit: 'ms',
        target: { value: 20 },
        note: `median ${median(ms).toFixed(2)} ms, ${ms.length} requests`,
      });
    }
    figures.push({
      name: `documentSymbol response, ${label}`,
      value: outline.bytes / 1024,
      unit: 'KB',
      note: `${outline.items} items`,
    });
  }
  return figures;
}
