// A cold build spread over index workers: this thread reads the files and hands out batches, the workers
// parse and analyse them, and the results are committed in file order (so the index, its progress reports
// and a cancelled build look exactly like the single-threaded build's). A batch whose worker died is
// analysed here instead.

import type { ModuleInfo } from './module-info';
import type { IndexWorker } from './worker-pool';

/** Files per message: large enough to keep messaging cheap, small enough to keep every worker busy. */
const BATCH = 48;
/** Batches in flight per worker, so a worker never waits for this thread to read its next batch. */
const DEPTH = 2;

export interface ParallelBuild {
  files: readonly string[];
  workers: readonly IndexWorker[];
  /** The text to analyse (already cut to the size limit), or undefined when the file cannot be read. */
  read: (file: string) => Promise<string | undefined>;
  /** Analysis in this thread, for batches whose worker failed. */
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

  const lane = async (worker: IndexWorker) => {
    while (next < files.length && !stop()) {
      const start = next;
      const end = Math.min(start + BATCH, files.length);
      next = end;
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
      let infos: ModuleInfo[];
      try {
        infos = batchFiles.length > 0 ? await worker.analyze(batchFiles, batchTexts) : [];
        if (infos.length !== batchFiles.length) throw new Error('The index worker answered a wrong batch.');
      } catch {
        if (stop()) return;
        infos = batchFiles.map((f, i) => job.analyzeHere(f, batchTexts[i]));
      }
      infos.forEach((info, i) => (results[at[i]] = info));
      commitReady();
    }
  };

  const lanes: Promise<void>[] = [];
  for (let d = 0; d < DEPTH; d++) for (const w of job.workers) lanes.push(lane(w));
  await Promise.all(lanes);
  commitReady();
}
