// Index worker threads seen from the main thread: start them (each loads its own tree-sitter runtime),
// send batches of texts, get ModuleInfo objects back. A worker that cannot start is left out; one that
// dies rejects its pending batches so the caller can analyse them in its own thread.

import { existsSync } from 'node:fs';
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { findScript, spawnScript } from '../util/worker-script';
import type { AnalyzeRequest, WorkerReply } from './index-worker';
import type { ModuleInfo } from './module-info';
import { reviveModuleInfo } from './py-span';

/** The bundled worker (esbuild entry in esbuild.mjs), next to the bundled server or CLI. */
export const BUNDLED_WORKER = 'python-index-worker.js';
const SOURCE_WORKER = 'index-worker.ts';
const START_TIMEOUT_MS = 20_000;

export interface IndexWorker {
  /**
   * One ModuleInfo per file, null for a file the worker could not read (only when it reads them itself:
   * `texts` undefined). Rejects when the worker has died (or dies before answering).
   */
  analyze(
    files: string[],
    texts: string[] | undefined,
    maxFileLength: number,
  ): Promise<(ModuleInfo | null)[]>;
}

export interface IndexWorkerPool {
  workers: IndexWorker[];
  close(): Promise<void>;
}

/** One worker per core, at most 4; none on a single core, where a thread only adds its start-up. */
export function defaultWorkerCount(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return cores >= 2 ? Math.min(cores, 4) : 0;
}

/**
 * The worker script: `python-index-worker.js` beside this (bundled) module, else the TypeScript source
 * beside this source file (tests and benches run through tsx, whose hooks the worker inherits).
 */
export function locateWorkerScript(
  dir: string = typeof __dirname === 'string' ? __dirname : '',
): string | undefined {
  return findScript(dir, [BUNDLED_WORKER, SOURCE_WORKER]);
}

/** Starts up to `count` workers from `script`; resolves with those that loaded their parser. */
export async function startIndexWorkers(count: number, script: string | undefined): Promise<IndexWorkerPool> {
  if (count <= 0 || !script || !existsSync(script)) return { workers: [], close: async () => {} };
  const started = await Promise.all(Array.from({ length: count }, () => startOne(script)));
  const workers = started.filter((w): w is ThreadWorker => w !== undefined);
  return {
    workers,
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

async function startOne(script: string): Promise<ThreadWorker | undefined> {
  let worker: Worker;
  try {
    worker = spawnScript(script);
  } catch {
    return undefined;
  }
  const ok = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), START_TIMEOUT_MS);
    const done = (result: boolean) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onFailure);
      worker.off('exit', onFailure);
      resolve(result);
    };
    const onMessage = (m: WorkerReply) => done(m.kind === 'ready');
    const onFailure = () => done(false);
    worker.on('message', onMessage);
    worker.on('error', onFailure);
    worker.on('exit', onFailure);
  });
  if (!ok) {
    await worker.terminate().catch(() => undefined);
    return undefined;
  }
  return new ThreadWorker(worker);
}

interface Pending {
  resolve: (infos: (ModuleInfo | null)[]) => void;
  reject: (e: Error) => void;
}

class ThreadWorker implements IndexWorker {
  private readonly pending = new Map<number, Pending>();
  private nextBatch = 0;
  private dead: Error | undefined;

  constructor(private readonly worker: Worker) {
    worker.on('message', (m: WorkerReply) => {
      if (m.kind !== 'analyzed') return;
      const p = this.pending.get(m.batch);
      this.pending.delete(m.batch);
      if (!p) return;
      try {
        const infos = JSON.parse(m.json) as (ModuleInfo | null)[];
        if (!infos.every((info) => info === null || reviveModuleInfo(info)))
          throw new Error('The index worker answered a malformed analysis.');
        p.resolve(infos);
      } catch (e) {
        p.reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => this.fail(new Error(`The index worker exited (code ${code}).`)));
  }

  analyze(
    files: string[],
    texts: string[] | undefined,
    maxFileLength: number,
  ): Promise<(ModuleInfo | null)[]> {
    if (this.dead) return Promise.reject(this.dead);
    const batch = this.nextBatch++;
    return new Promise<(ModuleInfo | null)[]>((resolve, reject) => {
      this.pending.set(batch, { resolve, reject });
      const request: AnalyzeRequest = { batch, files, texts, maxFileLength };
      try {
        this.worker.postMessage(request);
      } catch (e) {
        this.pending.delete(batch);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  async terminate(): Promise<void> {
    this.fail(new Error('The index worker was stopped.'));
    await this.worker.terminate().catch(() => undefined);
  }

  private fail(e: Error): void {
    this.dead ??= e;
    for (const p of this.pending.values()) p.reject(this.dead);
    this.pending.clear();
  }
}
