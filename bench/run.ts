// `npm run bench`: every benchmark in one run, each figure printed with its ratio to the anchor the
// issues name. Bundled by bench/run.mjs so the engine runs as it ships.

import { spawnSync } from 'node:child_process';
import { SERVER_NODE_FLAGS } from '../common/node-flags';
import { engineFigures, type Figure } from './analysis';
import { latencyFigures } from './latency';

// The engine is measured under the flags the language server runs with: started without them,
// this script runs itself again with them.
const missing = SERVER_NODE_FLAGS.filter((flag) => !process.execArgv.includes(flag));
if (missing.length > 0) {
  const again = spawnSync(process.execPath, [...process.execArgv, ...missing, ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  process.exit(again.status ?? 1);
}

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

console.log(`== engine throughput (node ${SERVER_NODE_FLAGS.join(' ')}, as the language server runs)`);
print(engineFigures(log));
console.log('== editor latency');
print(latencyFigures(log));
