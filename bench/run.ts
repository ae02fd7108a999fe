// `npm run bench`: every benchmark in one run, each figure printed beside its target and its ratio to
// the anchor measured in the same run. Bundled by bench/run.mjs so the engine runs as it ships.
// `npm run bench -- latency startup` runs only the sections named.

import { spawnSync } from 'node:child_process';
import { SERVER_NODE_FLAGS } from '../common/node-flags';
import { engineFigures } from './analysis';
import { printFigures, type Figure } from './figures';
import { gradcheckFigures } from './gradcheck';
import { hugeNetFigures } from './huge-net';
import { latencyFigures } from './latency';
import { memoryFigures } from './memory';
import { machine } from './processes';
import { realWorldFigures } from './real-world';
import { startupFigures } from './startup';

// The in-process engine figures are measured under the flags the language server runs with: started
// without them, this script runs itself again with them.
const missing = SERVER_NODE_FLAGS.filter((flag) => !process.execArgv.includes(flag));
if (missing.length > 0) {
  const again = spawnSync(process.execPath, [...process.execArgv, ...missing, ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  process.exit(again.status ?? 1);
}

const log = (line: string) => console.log(line);

const SECTIONS: [string, string, () => Figure[] | Promise<Figure[]>][] = [
  ['startup', 'start-up (whole processes, ratios to node -e 0 in the same run)', () => startupFigures(log)],
  [
    'real-world',
    'real-world throughput (whole processes: check vs protoc --encode)',
    () => realWorldFigures(log),
  ],
  ['engine', `engine throughput (in process, node ${SERVER_NODE_FLAGS.join(' ')})`, () => engineFigures(log)],
  ['latency', 'editor latency, every method (in process)', () => latencyFigures(log)],
  ['huge', '20 MB net: the server and graph (whole processes)', () => hugeNetFigures(log)],
  ['memory', 'server memory (whole process)', () => memoryFigures(log)],
  ['gradcheck', 'gradient check of a small Python layer (whole process)', () => gradcheckFigures(log)],
];

async function main(): Promise<void> {
  const chosen = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  console.log(`machine: ${machine()}`);
  for (const [key, title, run] of SECTIONS) {
    if (chosen.length > 0 && !chosen.includes(key)) continue;
    console.log(`== ${title}`);
    printFigures(await run());
  }
}

void main();
