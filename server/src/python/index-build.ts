// How the workspace index is first filled: every file read and analysed, in worker threads when the
// build is large enough to repay their start-up, else in this thread with reads running ahead.

import { existsSync } from 'node:fs';
import type { PythonFileSystem } from './file-system';
import type { ModuleInfo } from './module-info';
import { buildInParallel } from './parallel-build';
import { defaultWorkerCount, locateWorkerScript, startIndexWorkers } from './worker-pool';

export interface WorkerOptions {
  /** How many threads (default: one per core, at most 4, none on one core); 0 never starts any. */
  count?: number;
  /** Builds of fewer files stay in this thread, where a thread's start-up would cost more. Default 400. */
  minFiles?: number;
  /** This thread indexes files while the workers start (default true). */
  indexWhileStarting?: boolean;
  /** The worker script (default: the bundled `python-index-worker.js` or the source beside this file). */
  script?: string;
}

export interface BuildOptions {
  onProgress?: (done: number, total: number) => void;
  isCancelled?: () => boolean;
}

/** What a build reads with, analyses with and gives each file's analysis to. */
export interface IndexSink {
  fs: PythonFileSystem;
  workers?: WorkerOptions;
  /** Longer files are analysed as empty (generated code, data). */
  maxFileLength: number;
  analyze(file: string, text: string): ModuleInfo;
  store(info: ModuleInfo): void;
}

const READ_AHEAD = 32;
const MIN_FILES_FOR_WORKERS = 400;

/** The text of a file as the index analyses it: none when it is over the limit. */
export function withinLimit(text: string, maxFileLength: number): string {
  return text.length > maxFileLength ? '' : text;
}

/**
 * Indexes `files` (those that cannot be read are skipped); the number of worker threads used, 0 when
 * the build ran in this thread.
 */
export async function indexFiles(files: string[], sink: IndexSink, opts: BuildOptions): Promise<number> {
  const threads = await indexInWorkers(files, sink, opts);
  if (threads !== undefined) return threads;
  // Reads run ahead of the (synchronous) analysis so the disk and the parser overlap.
  const read = (file: string) => sink.fs.readFile(file).catch(() => undefined);
  const pending: (Promise<string | undefined> | undefined)[] = files.slice(0, READ_AHEAD).map(read);
  for (let i = 0; i < files.length; i++) {
    const text = await pending[i];
    pending[i] = undefined;
    if (i + READ_AHEAD < files.length) pending.push(read(files[i + READ_AHEAD]));
    if (opts.isCancelled?.()) return 0;
    if (text !== undefined) sink.store(sink.analyze(files[i], withinLimit(text, sink.maxFileLength)));
    opts.onProgress?.(i + 1, files.length);
  }
  return 0;
}

/**
 * The build spread over worker threads (this thread indexes while they start, and alone when none
 * does): the threads it had, or undefined (nothing done) when the build is too small for threads or
 * there is no worker script.
 */
async function indexInWorkers(
  files: string[],
  sink: IndexSink,
  opts: BuildOptions,
): Promise<number | undefined> {
  const w = sink.workers ?? {};
  const count = Math.min(w.count ?? defaultWorkerCount(), files.length);
  if (count <= 0 || files.length < (w.minFiles ?? MIN_FILES_FOR_WORKERS)) return undefined;
  const script = w.script ?? locateWorkerScript();
  if (script === undefined || !existsSync(script)) return undefined;
  let threads = 0;
  const starting = startIndexWorkers(count, script);
  try {
    await buildInParallel({
      files,
      workers: starting.then((pool) => {
        threads = pool.workers.length;
        return pool.workers;
      }),
      read: (file) =>
        sink.fs.readFile(file).then(
          (text) => withinLimit(text, sink.maxFileLength),
          () => undefined,
        ),
      workersRead: sink.fs.localDisk === true,
      indexWhileStarting: w.indexWhileStarting ?? true,
      maxFileLength: sink.maxFileLength,
      analyzeHere: (file, text) => sink.analyze(file, text),
      commit: (info) => sink.store(info),
      onProgress: opts.onProgress,
      isCancelled: opts.isCancelled,
    });
  } finally {
    await (await starting).close();
  }
  return threads;
}
