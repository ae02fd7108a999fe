// A stand-in index worker for tests: it starts, then dies on its first batch, so the index must analyse
// that work in its own thread.
const { parentPort } = require('node:worker_threads');

parentPort.postMessage({ kind: 'ready' });
parentPort.on('message', () => process.exit(3));
