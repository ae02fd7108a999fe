// The cold build in worker threads gives the same index as the build in one thread: on the fixture
// workspaces (real files), on an in-memory workspace (reads through the injected file system), when no
// worker can start, when a worker dies mid-build, and when the build is cancelled.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { createNodeFileSystem, type PythonFileSystem } from '../../../../server/src/python/file-system';
import { createPythonParser } from '../../../../server/src/python/parser';
import { locateWorkerScript, startIndexWorkers } from '../../../../server/src/python/worker-pool';
import {
  PythonIndex,
  type BuildOptions,
  type WorkerOptions,
} from '../../../../server/src/python/workspace-index';
import { memoryFileSystem } from './memory-fs';
import { repoRoot } from '../../../helpers/paths';

const FIXTURES = path.join(repoRoot, 'test/fixtures/python-workspaces');
const parserReady = createPythonParser();
const ROOT = path.resolve('/ws');
const IN_THREAD: WorkerOptions = { count: 0 };
/** Workers get every batch (this thread does not index while they start), so their results are tested. */
const TWO_WORKERS: WorkerOptions = { count: 2, minFiles: 0, indexWhileStarting: false };

async function build(fs: PythonFileSystem, roots: string[], workers: WorkerOptions, opts?: BuildOptions) {
  const index = new PythonIndex({ fs, parser: await parserReady, roots, workers });
  await index.build(opts);
  return index;
}

/** Everything the index answers from, as plain data (JSON drops keys whose value is undefined). */
function snapshot(index: PythonIndex) {
  return {
    files: index.files(),
    modules: index.files().map((f) => JSON.parse(JSON.stringify(index.moduleInfo(f))) as unknown),
    layers: index.layerClasses().map((l) => `${l.file}:${l.cls.name}`),
    sysPath: index.sysPathFolders(),
  };
}

/** A workspace of layer modules that import each other, one with a syntax error, one with sys.path. */
function generatedWorkspace(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const base = i === 0 ? 'caffe.Layer' : `Layer${i - 1}`;
    const imp = i === 0 ? 'import caffe' : `from m${i - 1} import Layer${i - 1}`;
    files[path.join(ROOT, `m${i}.py`)] =
      `${imp}\nimport json\n\nclass Layer${i}(${base}):\n    def setup(self, bottom, top):\n` +
      `        p = json.loads(self.param_str)\n        self.k = p['k${i}']\n        self.j = p.get('j', ${i})\n`;
  }
  files[path.join(ROOT, 'broken.py')] = 'class Broken(caffe.Layer:\n    def setup(self\n';
  files[path.join(ROOT, 'tools', 'paths.py')] =
    "import sys, os\nsys.path.insert(0, os.path.join('..', 'lib'))\n";
  return files;
}

test('the worker script is found beside the index module, and workers start', async () => {
  const script = locateWorkerScript(path.join(repoRoot, 'server/src/python'));
  assert.equal(script, path.join(repoRoot, 'server/src/python/index-worker.ts'));
  const pool = await startIndexWorkers(1, script);
  try {
    assert.equal(pool.workers.length, 1);
    const text = 'import caffe\nclass A(caffe.Layer): pass\n';
    const sent = await pool.workers[0].analyze(
      ['/ws/a.py', '/ws/big.py'],
      [text, `${text}# pad\n`],
      text.length,
    );
    assert.deepEqual(
      sent.map((i) => [i?.file, i?.classes.map((c) => c.name)]),
      [
        ['/ws/a.py', ['A']],
        ['/ws/big.py', []],
      ],
      'a text over the limit is analysed as an empty file',
    );
    const voc = path.join(FIXTURES, 'fcn/voc_layers.py');
    const read = await pool.workers[0].analyze([voc, path.join(FIXTURES, 'no-such.py')], undefined, 1e6);
    assert.deepEqual(
      read[0]?.classes.map((c) => c.name),
      ['VOCSegDataLayer'],
    );
    assert.equal(read[1], null, 'a file the worker cannot read');
  } finally {
    await pool.close();
  }
  assert.equal(locateWorkerScript(path.join(repoRoot, 'no-such-folder')), undefined);
});

for (const name of ['faster-rcnn', 'fcn', 'package', 'beside']) {
  test(`fixture workspace ${name}: workers give the in-thread index`, async () => {
    const roots = [path.join(FIXTURES, name)];
    const single = await build(createNodeFileSystem(), roots, IN_THREAD);
    const pooled = await build(createNodeFileSystem(), roots, TWO_WORKERS);
    assert.ok(single.files().length > 0);
    assert.equal(single.threadsUsed, 0);
    assert.equal(pooled.threadsUsed, 2);
    assert.deepEqual(snapshot(pooled), snapshot(single));
  });
}

test('in-memory workspace: reads go through the injected file system; unreadable files are skipped', async () => {
  const files = generatedWorkspace(130);
  const fs = memoryFileSystem(files);
  const listed = { ...fs, listPythonFiles: async () => [...Object.keys(files), path.join(ROOT, 'gone.py')] };
  const single = await build(listed, [ROOT], IN_THREAD);
  const progress: string[] = [];
  const pooled = await build(listed, [ROOT], TWO_WORKERS, {
    onProgress: (done, total) => progress.push(`${done}/${total}`),
  });
  assert.equal(pooled.threadsUsed, 2);
  assert.equal(pooled.files().length, 132);
  assert.equal(pooled.has(path.join(ROOT, 'gone.py')), false);
  assert.deepEqual(snapshot(pooled), snapshot(single));
  assert.equal(pooled.isLayerClass(path.join(ROOT, 'm129.py'), 'Layer129'), true);
  assert.deepEqual(
    progress,
    Array.from({ length: 133 }, (_, i) => `${i + 1}/133`),
    'progress in file order',
  );
});

test('this thread indexes while the workers start: the same index', async () => {
  const files = generatedWorkspace(400);
  const single = await build(memoryFileSystem(files), [ROOT], IN_THREAD);
  const overlapped = await build(memoryFileSystem(files), [ROOT], { count: 2, minFiles: 0 });
  assert.deepEqual(snapshot(overlapped), snapshot(single));
});

test('no worker can start: the build runs in this thread', async () => {
  const files = generatedWorkspace(20);
  const single = await build(memoryFileSystem(files), [ROOT], IN_THREAD);
  const fallback = await build(memoryFileSystem(files), [ROOT], {
    ...TWO_WORKERS,
    script: path.join(repoRoot, 'no-such-worker.js'),
  });
  assert.equal(fallback.threadsUsed, 0);
  assert.deepEqual(snapshot(fallback), snapshot(single));
});

test('workers that fail while loading: this thread indexes everything', async () => {
  const files = generatedWorkspace(60);
  const single = await build(memoryFileSystem(files), [ROOT], IN_THREAD);
  for (const indexWhileStarting of [false, true]) {
    const alone = await build(memoryFileSystem(files), [ROOT], {
      ...TWO_WORKERS,
      indexWhileStarting,
      script: path.join(__dirname, 'broken-worker.cjs'),
    });
    assert.equal(alone.threadsUsed, 0);
    assert.deepEqual(snapshot(alone), snapshot(single));
  }
});

test('a worker that dies mid-build: its batches are analysed in this thread', async () => {
  const files = generatedWorkspace(120);
  const single = await build(memoryFileSystem(files), [ROOT], IN_THREAD);
  const survived = await build(memoryFileSystem(files), [ROOT], {
    ...TWO_WORKERS,
    script: path.join(__dirname, 'dying-worker.cjs'),
  });
  assert.equal(survived.threadsUsed, 2, 'both started, then died');
  assert.deepEqual(snapshot(survived), snapshot(single));
});

test('a worker that dies while reading from disk: this thread reads and analyses its batches', async () => {
  const roots = [path.join(FIXTURES, 'faster-rcnn')];
  const single = await build(createNodeFileSystem(), roots, IN_THREAD);
  const survived = await build(createNodeFileSystem(), roots, {
    ...TWO_WORKERS,
    script: path.join(__dirname, 'dying-worker.cjs'),
  });
  assert.deepEqual(snapshot(survived), snapshot(single));
});

test('a cancelled worker build keeps the files committed before, in order, like the in-thread build', async () => {
  const files = generatedWorkspace(150);
  const cancelAfter = (n: number) => {
    let calls = 0;
    return () => ++calls > n;
  };
  const single = await build(memoryFileSystem(files), [ROOT], IN_THREAD, { isCancelled: cancelAfter(40) });
  const pooled = await build(memoryFileSystem(files), [ROOT], TWO_WORKERS, { isCancelled: cancelAfter(40) });
  assert.ok(single.files().length < 152);
  assert.deepEqual(pooled.files(), single.files().slice(0, pooled.files().length));
  assert.ok(pooled.files().length < 152, 'stopped early');
});
