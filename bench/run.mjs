// Bundles the benchmarks like the shipped code (esbuild, minified) and runs them, then the index and
// graph benchmarks, in one process tree, one after another. Arguments name the sections to run
// (see bench/run.ts; `index` and `graph` are these two), all of them when none is given.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';

const bundle = (name) =>
  esbuild.build({
    entryPoints: [`bench/${name}.ts`],
    outfile: `bench/${name}.bundle.cjs`,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    logLevel: 'error',
  });
await bundle('run');
await bundle('python-index');
const chosen = process.argv.slice(2);
const wanted = (name) => chosen.length === 0 || chosen.includes(name);
const run = (args) => execFileSync(process.execPath, args, { stdio: 'inherit' });
const inBundle = chosen.filter((c) => c !== 'index' && c !== 'graph');
if (chosen.length === 0 || inBundle.length > 0) run(['bench/run.bundle.cjs', ...inBundle]);
if (wanted('index')) {
  console.log('== python index');
  // Bundled, and its workers are the shipped dist/python-index-worker.js: under tsx every worker would
  // compile the TypeScript sources again as it starts, which the server's workers never do.
  run(['bench/python-index.bundle.cjs', '10000']);
}
if (wanted('graph')) {
  console.log('== shapes and graph layout');
  run(['--import', 'tsx', 'bench/graph.ts']);
}
