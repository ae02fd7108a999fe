#!/usr/bin/env node
require('./load-cached.js').loadCached(require('node:path').join(__dirname, '..', 'dist', 'cli.js'), module);
