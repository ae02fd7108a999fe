// Bundles the extension client, the language server and the CLI into dist/.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  minify: !watch,
  logLevel: 'info',
};

// ELK is half the size of the server and of the CLI, and only a graph layout needs it: the bundles
// load it at that moment from dist/elk.js beside them, so that every other start reads and
// deserialises 1.5 MB less.
const elkBeside = {
  name: 'elk-beside',
  setup(build) {
    build.onResolve({ filter: /^elkjs\/lib\/elk\.bundled\.js$/ }, () => ({
      path: './elk.js',
      external: true,
    }));
  },
};

const builds = [
  { entryPoints: { extension: 'client/src/extension.ts' }, external: ['vscode'] },
  {
    // `import()` becomes require: bin/load-cached.js runs the bundles from V8's code cache, where a
    // dynamic import has no loader to resolve it.
    supported: { 'dynamic-import': false },
    plugins: [elkBeside],
    entryPoints: {
      server: 'server/src/server.ts',
      cli: 'server/src/cli/main.ts',
      // The Python index's worker thread, found next to the server (or the CLI) at run time.
      'python-index-worker': 'server/src/python/index-worker.ts',
      // The graph layout's worker thread (elkjs), found next to the server at run time.
      'graph-layout-worker': 'server/src/features/graph/layout-worker.ts',
    },
  },
  // ELK itself, loaded by the bundles above when they lay a graph out.
  { entryPoints: { elk: 'node_modules/elkjs/lib/elk.bundled.js' } },
  // The graph webview page: a browser script and its stylesheet (dist/webview/graph.js, graph.css).
  {
    entryPoints: { 'webview/graph': 'client/webview/graph.ts' },
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  { entryPoints: { 'webview/graph': 'client/webview/graph.css' } },
  // The plot page of learning-rate schedules and training logs (dist/webview/plot.js, plot.css).
  {
    entryPoints: { 'webview/plot': 'client/webview/plot.ts' },
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  { entryPoints: { 'webview/plot': 'client/webview/plot.css' } },
];

mkdirSync('dist', { recursive: true });
// The Python grammar for the layer index is loaded at run time.
for (const [from, to] of [
  ['node_modules/web-tree-sitter/web-tree-sitter.wasm', 'dist/web-tree-sitter.wasm'],
  ['node_modules/tree-sitter-python/tree-sitter-python.wasm', 'dist/tree-sitter-python.wasm'],
]) {
  cpSync(from, to);
}

const existing = (await import('node:fs')).existsSync;
const contexts = [];
for (const b of builds) {
  const entries = Object.fromEntries(Object.entries(b.entryPoints).filter(([, f]) => existing(f)));
  if (Object.keys(entries).length === 0) continue;
  const ctx = await esbuild.context({ ...common, ...b, entryPoints: entries, outdir: 'dist' });
  contexts.push(ctx);
}
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  for (const c of contexts) {
    await c.rebuild();
    await c.dispose();
  }
}
