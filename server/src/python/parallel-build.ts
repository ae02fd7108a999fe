// A cold build spread over index workers: this thread hands out batches of files (with their texts, unless
// the workers read them from disk themselves), the workers parse and analyse them, and the results are
// committed in file order (so the index, its progress reports and a cancelled build look exactly like the
// single-threaded build's). While the workers load their parsers, this thread indexes from the front;
// it also takes over every batch when no worker starts, and each batch whose worker died.

import type { ModuleInfo } from './module-info';
import type { IndexWorker } from './worker-pool';

/** Files per message: large enough to keep messaging cheap, small enough to keep every worker busy. */
const BATCH = 48;
/** Batches in flight per worker, so a worker never waits for this thread to read its next batch. */
const DEPTH = 2;

export interface ParallelBuild {
  files: readonly string[];
  /** The workers, once they have started (none: this thread does all the work). */
  workers: Promise<readonly IndexWorker[]>;
  /** The text to analyse (already cut to the size limit), or undefined when the file cannot be read. */
  read: (file: string) => Promise<string | undefined>;
  /** The files are on the local disk: workers read them (sparing this thread), else `read` does. */
  workersRead: boolean;
  maxFileLength: number;
  /** Whether this thread indexes from the front while the workers start. */
  indexWhileStarting: boolean;
  /** Analysis in this thread. */
  analyzeHere: (file: string, text: string) => ModuleInfo;
  /** Called in file order for every file that could be read. */
  commit: (info: ModuleInfo) => void;
  onProgress?: (done: number, total: number) => void;
  isCancelled?: () => boolean;
}

export async function buildInParallel(job: ParallelBuild): Promise<void> {
  const { files } = job;
  // undefined: not analysed yet; null: unreadable (skipped, as the single-threaded build does).
  const results: (ModuleInfo | null | undefined)[] = new Array<ModuleInfo | null | undefined>(files.length);
  let next = 0;
  let committed = 0;
  let cancelled = false;
  const stop = () => cancelled || (cancelled = job.isCancelled?.() ?? false);

  const commitReady = () => {
    while (committed < files.length && results[committed] !== undefined) {
      if (stop()) return;
      const info = results[committed];
      results[committed] = null;
      committed++;
      if (info) job.commit(info);
      job.onProgress?.(committed, files.length);
    }
  };

  const readHere = async (start: number, end: number) => {
    const texts = await Promise.all(files.slice(start, end).map((f) => job.read(f)));
    const at: number[] = [];
    const batchFiles: string[] = [];
    const batchTexts: string[] = [];
    texts.forEach((text, i) => {
      if (text === undefined) results[start + i] = null;
      else {
        at.push(start + i);
        batchFiles.push(files[start + i]);
        batchTexts.push(text);
      }
    });
    return { at, batchFiles, batchTexts };
  };

  const lane = async (worker: IndexWorker) => {
    while (next < files.length && !stop()) {
      const start = next;
      const end = Math.min(start + BATCH, files.length);
      next = end;
      let infos: (ModuleInfo | null)[] | undefined;
      let at = Array.from({ length: end - start }, (_, i) => start + i);
      try {
        if (job.workersRead) {
          infos = await worker.analyze(files.slice(start, end), undefined, job.maxFileLength);
        } else {
          const batch = await readHere(start, end);
          at = batch.at;
          if (at.length > 0)
            infos = await worker.analyze(batch.batchFiles, batch.batchTexts, job.maxFileLength);
          else infos = [];
        }
        if (infos.length !== at.length) throw new Error('The index worker answered a wrong batch.');
      } catch {
        if (stop()) return;
        // The worker died (or answered nonsense): this thread reads and analyses the batch.
        const batch = await readHere(start, end);
        at = batch.at;
        infos = batch.batchFiles.map((f, i) => job.analyzeHere(f, batch.batchTexts[i]));
      }
      infos.forEach((info, i) => (results[at[i]] = info));
      commitReady();
    }
  };

  let workers: readonly IndexWorker[] | undefined;
  const started = job.workers.then(
    (w) => (workers = w),
    () => (workers = []),
  );
  const here = async () => {
    if (!job.indexWhileStarting) await started;
    while ((workers === undefined || workers.length === 0) && next < files.length && !stop()) {
      const start = next;
      const end = Math.min(start + BATCH, files.length);
      next = end;
      const batch = await readHere(start, end);
      batch.batchFiles.forEach((f, i) => (results[batch.at[i]] = job.analyzeHere(f, batch.batchTexts[i])));
      commitReady();
      // Lets the workers' "ready" messages in.
      if (workers === undefined) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  const lanes: Promise<void>[] = [here()];
  for (const w of await started) for (let d = 0; d < DEPTH; d++) lanes.push(lane(w));
  await Promise.all(lanes);
  commitReady();
}
