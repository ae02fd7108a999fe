// `npm run bench`: every benchmark in one run, each figure printed with its ratio to the anchor the
// issues name. Bundled by bench/run.mjs so the engine runs as it ships.

import { engineFigures, type Figure } from './engine';
import { latencyFigures } from './latency';

const log = (line: string) => console.log(line);

function print(figures: Figure[]): void {
  for (const f of figures) {
    let line = `${f.name}: ${f.value.toFixed(f.unit === 'ms' ? 1 : 2)} ${f.unit}`;
    if (f.ratio) {
      const r = f.ratio;
      const met = r.higherIsBetter ? r.value >= r.target : r.value <= r.target;
      line += ` | ${r.value.toFixed(2)}x vs ${r.anchor} (target ${r.higherIsBetter ? '>=' : '<='} ${r.target}x: ${met ? 'met' : 'NOT met'})`;
    }
    console.log(line);
  }
}

console.log('== engine throughput');
print(engineFigures(log));
console.log('== editor latency');
print(latencyFigures(log));
