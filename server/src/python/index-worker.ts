// The body of one index worker thread: its own tree-sitter runtime and parser, then batches of file texts
// in, plain ModuleInfo objects out. Bundled as dist/python-index-worker.js; run from sources under tsx.

import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { analyzeModule } from './analyze-module';
import type { ModuleInfo } from './module-info';
import { createPythonParser, type PythonParser } from './parser';

/**
 * Main thread -> worker: one batch of files, with their texts (already cut to the size limit), or without
 * them when the files are on the local disk and the worker reads them itself.
 */
export interface AnalyzeRequest {
  batch: number;
  files: string[];
  texts?: string[];
  /** Longer texts are analysed as empty files. */
  maxFileLength: number;
}

/** Worker -> main thread. */
export type WorkerReply =
  | { kind: 'ready' }
  | { kind: 'failed'; message: string }
  /**
   * `(ModuleInfo | null)[]` as JSON, null for a file the worker could not read. One string crosses
   * threads far cheaper than a structured clone of the objects.
   */
  | { kind: 'analyzed'; batch: number; json: string };

function serve(parser: PythonParser): void {
  parentPort?.on('message', (request: AnalyzeRequest) => {
    const infos = request.files.map((file, i): ModuleInfo | null => {
      const text = request.texts ? request.texts[i] : readText(file);
      if (text === undefined) return null;
      return analyzeModule(text.length > request.maxFileLength ? '' : text, file, parser);
    });
    const reply: WorkerReply = { kind: 'analyzed', batch: request.batch, json: JSON.stringify(infos) };
    parentPort?.postMessage(reply);
  });
  const ready: WorkerReply = { kind: 'ready' };
  parentPort?.postMessage(ready);
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

if (parentPort) {
  createPythonParser().then(serve, (e: unknown) => {
    const failed: WorkerReply = { kind: 'failed', message: e instanceof Error ? e.message : String(e) };
    parentPort?.postMessage(failed);
  });
}
