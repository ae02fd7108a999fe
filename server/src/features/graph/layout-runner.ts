// Graph layouts off the server's thread: one worker thread lays graphs out one at a time, so that every
// other request is answered meanwhile. A newer layout for the same key (the document) drops an older
// one, queued or running (a running one by stopping the thread); a layout that runs past its time or
// memory is stopped and the graph placed by depth instead (layout-grid.ts), with a note saying so.

import type { Worker } from 'node:worker_threads';
import type { LaidOutGraph, NetGraph } from '../../../../common/graph/types';
import { findScript, spawnScript } from '../../util/worker-script';
import { layoutGraph } from './layout';
import { boundForLayout } from './layout-bounds';
import { gridLayout } from './layout-grid';
import type { LayoutReply, LayoutRequest } from './layout-worker';

export interface LayoutRunnerOptions {
  /** The worker script; by default the bundled one beside the server, else the source. */
  script?: string;
  /** A layout still running after this long is stopped. */
  timeoutMs?: number;
  /** The worker thread's heap limit. */
  memoryMb?: number;
  /**
   * The thread is stopped after this long without a layout to do, giving back its memory (about
   * 170 MB after laying out 1,500 nodes); the next layout starts a new one.
   */
  idleMs?: number;
}

interface Job {
  id: number;
  key: string;
  graph: NetGraph;
  /** undefined: dropped for a newer layout of the same key. */
  resolve: (laid: LaidOutGraph | undefined) => void;
}

const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_MEMORY_MB = 768;
const DEFAULT_IDLE_MS = 30_000;

export function locateLayoutWorker(
  dir: string = typeof __dirname === 'string' ? __dirname : '',
): string | undefined {
  return findScript(dir, ['graph-layout-worker.js', 'layout-worker.ts']);
}

export class LayoutRunner {
  private readonly queue: Job[] = [];
  private running?: { job: Job; timer: NodeJS.Timeout };
  private worker?: Worker;
  private nextId = 0;
  private disposed = false;
  private readonly script: string | undefined;
  private readonly timeoutMs: number;
  private readonly memoryMb: number;
  private readonly idleMs: number;
  private idleTimer?: NodeJS.Timeout;

  constructor(options: LayoutRunnerOptions = {}) {
    this.script = options.script ?? locateLayoutWorker();
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.memoryMb = options.memoryMb ?? DEFAULT_MEMORY_MB;
    this.idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  }

  /** Whether a layout thread is running now (it is stopped when idle). */
  get threadAlive(): boolean {
    return this.worker !== undefined;
  }

  /** The laid-out graph, or undefined when a newer layout for `key` came in first. */
  layout(key: string, graph: NetGraph): Promise<LaidOutGraph | undefined> {
    if (!this.script || this.disposed) return layoutGraph(graph);
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i].key !== key) continue;
      this.queue[i].resolve(undefined);
      this.queue.splice(i, 1);
    }
    if (this.running?.job.key === key) this.stopRunning(undefined);
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, key, graph, resolve });
      this.next();
    });
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.idleTimer);
    for (const job of this.queue.splice(0)) job.resolve(undefined);
    this.stopRunning(undefined);
  }

  private next(): void {
    if (this.running) return;
    clearTimeout(this.idleTimer);
    if (this.queue.length === 0) {
      if (this.worker) {
        this.idleTimer = setTimeout(() => this.stopIdle(), this.idleMs);
        this.idleTimer.unref();
      }
      return;
    }
    const job = this.queue.shift() as Job;
    let worker: Worker;
    try {
      worker = this.worker ?? this.start();
    } catch (error) {
      job.resolve(fallback(job.graph, `The layout thread could not start (${String(error)}).`));
      return this.next();
    }
    const timer = setTimeout(
      () =>
        this.stopRunning(
          fallback(job.graph, `The layout took longer than ${this.timeoutMs / 1000} s and was stopped.`),
        ),
      this.timeoutMs,
    );
    this.running = { job, timer };
    const request: LayoutRequest = { job: job.id, graph: job.graph };
    worker.postMessage(request);
  }

  private start(): Worker {
    const worker = spawnScript(this.script as string, { maxOldGenerationSizeMb: this.memoryMb });
    worker.on('message', (reply: LayoutReply) => {
      const running = this.running;
      if (!running || running.job.id !== reply.job) return;
      clearTimeout(running.timer);
      this.running = undefined;
      running.job.resolve(reply.laid);
      this.next();
    });
    const failed = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      const running = this.running;
      if (!running) return;
      clearTimeout(running.timer);
      this.running = undefined;
      running.job.resolve(fallback(running.job.graph, why));
      this.next();
    };
    worker.on('error', (error) => failed(`The layout failed (${error.message}).`));
    worker.on('exit', (code) =>
      failed(`The layout thread stopped (exit code ${code}), out of memory perhaps.`),
    );
    this.worker = worker;
    return worker;
  }

  private stopIdle(): void {
    if (this.running || this.queue.length > 0 || !this.worker) return;
    const worker = this.worker;
    this.worker = undefined;
    void worker.terminate();
  }

  /** Stops the running layout (and its thread) and answers it with `result`. */
  private stopRunning(result: LaidOutGraph | undefined): void {
    const running = this.running;
    const worker = this.worker;
    this.running = undefined;
    this.worker = undefined;
    if (worker) void worker.terminate();
    if (running) {
      clearTimeout(running.timer);
      running.job.resolve(result);
    }
    if (!this.disposed) this.next();
  }
}

/** The graph placed by depth, when ELK could not finish: linear, on this thread. */
function fallback(graph: NetGraph, why: string): LaidOutGraph {
  const bounded = boundForLayout(graph);
  return gridLayout(bounded.graph, bounded.rank, [
    ...bounded.notes,
    `${why} Layers are placed by depth and connections drawn straight.`,
  ]);
}
