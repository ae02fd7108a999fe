// What may import what: no import cycles (type-only imports included) and nothing importing upward.
// Checked by `npm run lint` (depcruise). Layers, lowest first:
//   common/            shared by server, CLI and client; imports nothing of theirs
//   server: parser, schema, util  ->  analysis, python, training  ->  workspace, run  ->  features  ->  cli, session, server.ts
//   client/            imports only common/
const LAYERS = {
  base: '^server/src/(parser|schema|util)/',
  analysis: '^server/src/(analysis|python|training)/',
  workspace: '^server/src/(workspace|run)/',
  features: '^server/src/features/',
  edge: '^server/src/(cli/|session\\.ts|server\\.ts|lifecycle\\.ts)',
};
const above = (...names) => names.map((n) => LAYERS[n]).join('|');

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles, type-only ones included.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'common-stands-alone',
      severity: 'error',
      comment: 'common/ is shared by the server, the CLI and the client: it imports neither side.',
      from: { path: '^common/' },
      to: { path: '^(server|client)/' },
    },
    {
      name: 'client-imports-common-only',
      severity: 'error',
      comment: 'The client talks to the server through the protocol; it runs only common/ code.',
      from: { path: '^client/' },
      to: { path: '^server/' },
    },
    {
      name: 'base-not-upward',
      severity: 'error',
      from: { path: LAYERS.base },
      to: { path: above('analysis', 'workspace', 'features', 'edge') },
    },
    {
      name: 'analysis-not-upward',
      severity: 'error',
      from: { path: LAYERS.analysis },
      to: { path: above('workspace', 'features', 'edge') },
    },
    {
      name: 'workspace-not-upward',
      severity: 'error',
      from: { path: LAYERS.workspace },
      to: { path: above('features', 'edge') },
    },
    {
      name: 'features-not-upward',
      severity: 'error',
      from: { path: LAYERS.features },
      to: { path: LAYERS.edge },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|out|test/fixtures)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.json'] },
  },
};
