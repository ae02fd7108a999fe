// Bench: a cold index of 10,000 generated layer-ish Python files (target: under 5 s).
// Run: npm run bench -- index (bundled as the server is; its workers are dist/python-index-worker.js, from
// npm run build), or node --import tsx bench/python-index.ts [fileCount] (workers from the sources).
// Measured twice: analysis in this thread only, then the default build (worker threads, one per core).

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createNodeFileSystem } from '../server/src/python/file-system';
import { createPythonParser, type PythonParser } from '../server/src/python/parser';
import { PythonIndex, type WorkerOptions } from '../server/src/python/workspace-index';

const LOADERS = [
  ['import yaml', 'yaml.load(self.param_str_)'],
  ['import json', 'json.loads(self.param_str)'],
  ['', 'eval(self.param_str)'],
  ['import ast', 'ast.literal_eval(self.param_str)'],
] as const;

function layerModule(i: number): string {
  const [imp, loader] = LOADERS[i % LOADERS.length];
  const base =
    i % 5 === 0 && i > 0 ? `from pkg${(i - 1) % 100}.layer_${i - 1} import Layer${i - 1} as Base` : '';
  const baseName = base ? 'Base' : 'caffe.Layer';
  return `# Generated layer ${i} for the index bench.
import caffe
import numpy as np
${imp}
${base}


class Layer${i}(${baseName}):
    """A generated layer that reads its parameters and passes blobs through."""

    def setup(self, bottom, top):
        params = ${loader}
        self.stride = params['stride']
        self.scales = params.get('scales', (8, 16, 32))
        if 'ratio' in params:
            self.ratio = params['ratio']
        if len(bottom) != 1:
            raise Exception('one bottom expected')

    def reshape(self, bottom, top):
        top[0].reshape(*bottom[0].data.shape)

    def forward(self, bottom, top):
        data = bottom[0].data
        top[0].data[...] = np.maximum(data * self.stride, 0)

    def backward(self, top, propagate_down, bottom):
        if propagate_down[0]:
            bottom[0].diff[...] = top[0].diff * self.stride


def helper_${i}(x):
    return [v * 2 for v in x if v > ${i % 7}]
`;
}

interface Build {
  index: PythonIndex;
  wall: number;
  cpu: number;
  layers: number;
  resolveWall: number;
}

async function coldBuild(root: string, parser: PythonParser, workers: WorkerOptions): Promise<Build> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const index = new PythonIndex({ fs: createNodeFileSystem(), parser, roots: [root], workers });
  await index.build();
  const t1 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const layers = index.layerClasses().length;
  const t2 = performance.now();
  return { index, wall: t1 - t0, cpu: (cpu.user + cpu.system) / 1000, layers, resolveWall: t2 - t1 };
}

function layerSummary(index: PythonIndex): string {
  return JSON.stringify(index.layerClasses().map((l) => [l.file, l.cls.name, l.cls.paramKeys.length]));
}

function report(mode: string, b: Build, count: number): void {
  const s = (ms: number) => (ms / 1000).toFixed(2);
  const files = b.index.files().length;
  console.log(`python-index [${mode}]: ${files} files indexed cold in ${s(b.wall)} s`);
  console.log(
    `python-index [${mode}]: CPU time of the build ${s(b.cpu)} s, all threads (wall time suffers on a busy machine)`,
  );
  console.log(
    `python-index [${mode}]: ${b.layers} layer classes resolved transitively in ${s(b.resolveWall)} s`,
  );
  const perFile = (b.wall + b.resolveWall) / count;
  const at10k = (perFile * 10_000) / 1000;
  console.log(
    `python-index [${mode}]: ${perFile.toFixed(3)} ms per file; 10,000 files ${count === 10_000 ? 'took' : 'would take'} ` +
      `${at10k.toFixed(2)} s (target < 5 s: ${at10k < 5 ? 'met' : 'NOT met'})`,
  );
}

/** The bundled worker the server starts, when this bench runs bundled too (see bench/run.mjs). */
function shippedWorker(): string | undefined {
  const script = path.resolve('dist', 'python-index-worker.js');
  return typeof __filename === 'string' && __filename.endsWith('.cjs') && existsSync(script)
    ? script
    : undefined;
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 10_000);
  const root = mkdtempSync(path.join(tmpdir(), 'py-index-bench-'));
  try {
    for (let i = 0; i < count; i++) {
      const dir = path.join(root, `pkg${i % 100}`);
      if (i < 100) {
        mkdirSync(dir, { recursive: true });
        writeFileSync(path.join(dir, '__init__.py'), '');
      }
      writeFileSync(path.join(dir, `layer_${i}.py`), layerModule(i));
    }
    const parser = await createPythonParser();
    // The same files twice: in this thread only (the fallback), then the default build with workers.
    // Only a summary of the first index is kept, so its objects do not burden the second build.
    const single = await coldBuild(root, parser, { count: 0 });
    report('in-thread', single, count);
    const singleLayers = layerSummary(single.index);
    single.index = new PythonIndex({ fs: createNodeFileSystem(), parser, roots: [] });
    const pooled = await coldBuild(root, parser, { script: shippedWorker() });
    report(`workers x${pooled.index.threadsUsed}`, pooled, count);
    if (layerSummary(pooled.index) !== singleLayers) console.log('python-index: the two builds DIFFER');
    parser.dispose();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

void main();
