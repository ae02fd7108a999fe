#!/usr/bin/env node
// The language server as the VS Code client starts it: dist/server.js loaded with V8's code cache
// (load-cached.js). Other editors may run dist/server.js directly (`node dist/server.js --stdio`) or
// this file with the same arguments.
require('./load-cached.js').loadCached(
  require('node:path').join(__dirname, '..', 'dist', 'server.js'),
  module,
);
