// Loads a bundled entry point (dist/cli.js, dist/server.js) with V8's code cache: the first run
// compiles the bundle and saves what V8 compiled while setting it up and warming it up; later runs
// start from that instead of compiling megabytes of JavaScript again. Node 20 has no built-in compile
// cache for CommonJS, so this uses vm.Script's cached data. The cache lives in
// ~/.cache/caffe-prototxt/v8 (CAFFE_PROTOTXT_CACHE moves it; CAFFE_PROTOTXT_NO_CODE_CACHE=1 turns it
// off) and is keyed by the bundle's content and the Node version, so a rebuilt bundle or another Node
// never reads a stale entry; a write keeps the newest KEPT_ENTRIES entries and drops the rest. Any
// problem with the cache falls back to loading the bundle as usual.
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

/**
 * Entries kept in the cache folder, the newest by modification time: each bundle and Node version
 * makes one (1.5-3 MB), so without a bound every upgrade would leave its entries behind. An entry
 * dropped while still in use only costs its next start a compile.
 */
const KEPT_ENTRIES = 12;
/** A temporary file older than this was left by a process killed between writing and renaming it. */
const STALE_TEMP_MS = 60 * 60 * 1000;

function prune(dir) {
  try {
    const now = Date.now();
    const entries = [];
    for (const name of fs.readdirSync(dir)) {
      const full = path.join(dir, name);
      const mtime = fs.statSync(full).mtimeMs;
      if (name.endsWith('.bin')) entries.push({ full, mtime });
      else if (name.endsWith('.tmp') && now - mtime > STALE_TEMP_MS) fs.rmSync(full, { force: true });
    }
    entries.sort((a, b) => b.mtime - a.mtime);
    for (const old of entries.slice(KEPT_ENTRIES)) fs.rmSync(old.full, { force: true });
  } catch {
    // Pruning is housekeeping: a folder that cannot be read or cleaned is left as it is.
  }
}

function save(cache, script) {
  try {
    fs.mkdirSync(path.dirname(cache), { recursive: true });
    const temp = `${cache}.${process.pid}.tmp`;
    fs.writeFileSync(temp, script.createCachedData());
    fs.renameSync(temp, cache);
    prune(path.dirname(cache));
  } catch {
    // A cache that cannot be written only costs the next start its compile time.
  }
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
  const run = script.runInThisContext();
  run.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  // Saved once the bundle's modules are set up and its warm-up (the diagnostics of a small net in
  // memory) has run, before any command does (the entry points start their work a microtask later):
  // what a later start reads is then the same whichever command ran first. A cache saved at exit held
  // what that first run happened to compile, and a large net's run left one that made every later
  // start slower.
  if (cachedData === undefined || script.cachedDataRejected) {
    if (typeof mod.exports.warmUp === 'function') mod.exports.warmUp();
    save(cache, script);
  }
  return mod.exports;
}

module.exports = { loadCached };
