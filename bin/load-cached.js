// Loads a bundled entry point (dist/cli.js, dist/server.js) with V8's code cache: the first run
// compiles the bundle and saves what V8 compiled; later runs start from that instead of compiling
// megabytes of JavaScript again. Node 20 has no built-in compile cache for CommonJS, so this uses
// vm.Script's cached data. The cache lives in ~/.cache/caffe-prototxt/v8 (CAFFE_PROTOTXT_CACHE moves
// it; CAFFE_PROTOTXT_NO_CODE_CACHE=1 turns it off) and is keyed by the bundle's content and the Node
// version, so a rebuilt bundle or another Node never reads a stale entry. Any problem with the cache
// falls back to loading the bundle as usual.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');

function cacheFile(source) {
  const base = process.env.CAFFE_PROTOTXT_CACHE || path.join(os.homedir(), '.cache', 'caffe-prototxt');
  const key = crypto.createHash('sha256').update(process.version).update(source).digest('hex').slice(0, 32);
  return path.join(base, 'v8', `${key}.bin`);
}

function loadCached(file, parent) {
  if (process.env.CAFFE_PROTOTXT_NO_CODE_CACHE === '1') return require(file);
  let source;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch {
    return require(file); // let require say what is wrong
  }
  const cache = cacheFile(source);
  let cachedData;
  try {
    cachedData = fs.readFileSync(cache);
  } catch {
    cachedData = undefined;
  }
  // The bundles hold no `import()` (esbuild turns it into require), which a script compiled from
  // cached data could not resolve.
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const mod = new Module(file, parent);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  require.cache[file] = mod;
  if (cachedData === undefined || script.cachedDataRejected) {
    // Saved once the process is done, so that the functions it ran are in the cache too.
    process.once('exit', () => {
      try {
        fs.mkdirSync(path.dirname(cache), { recursive: true });
        const temp = `${cache}.${process.pid}.tmp`;
        fs.writeFileSync(temp, script.createCachedData());
        fs.renameSync(temp, cache);
      } catch {
        // A cache that cannot be written only costs the next start its compile time.
      }
    });
  }
  const run = script.runInThisContext();
  run.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  return mod.exports;
}

module.exports = { loadCached };
