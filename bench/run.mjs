// Bundles the benchmarks like the shipped code (esbuild, minified) and runs them, then the index and
// graph benchmarks, in one process tree, one after another. Arguments name the sections to run
// (see bench/run.ts; `index` and `graph` are these two), all of them when none is given.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';

await esbuild.build({
  entryPoints: ['bench/run.ts'],
  outfile: 'bench/run.bundle.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  logLevel: 'error',
});
const chosen = process.argv.slice(2);
const wanted = (name) => chosen.length === 0 || chosen.includes(name);
const run = (args) => execFileSync(process.execPath, args, { stdio: 'inherit' });
const inBundle = chosen.filter((c) => c !== 'index' && c !== 'graph');
if (chosen.length === 0 || inBundle.length > 0) run(['bench/run.bundle.cjs', ...inBundle]);
if (wanted('index')) {
  console.log('== python index');
  run(['--import', 'tsx', 'bench/python-index.ts', '10000']);
}
if (wanted('graph')) {
  console.log('== shapes and graph layout');
  run(['--import', 'tsx', 'bench/graph.ts']);
}
