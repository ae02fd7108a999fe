// Bundles the benchmarks like the shipped code (esbuild, minified) and runs them, then the index and
// graph benchmarks, in one process tree, one after another.
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
const run = (args) => execFileSync(process.execPath, args, { stdio: 'inherit' });
run(['bench/run.bundle.cjs']);
console.log('== python index');
run(['--import', 'tsx', 'bench/python-index.ts', '10000']);
console.log('== shapes and graph layout');
run(['--import', 'tsx', 'bench/graph.ts']);
