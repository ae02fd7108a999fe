// A bounded fuzz run in the suite: fixed seeds, about two minutes in all. Every crash, error response,
// hang or range outside its document fails the test and names its saved reproducer
// (`npm run fuzz -- --replay FILE`). Latencies are printed, never asserted.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { loadCorpus } from './corpus';
import { runFuzz } from './driver';
import { summarize } from './stats';

const corpus = loadCorpus();
const absent = 'absent' in corpus ? corpus.absent : undefined;
if (absent && process.env.CI === 'true') throw new Error(`fuzz: ${absent} (required when CI=true)`);

for (const seed of [101, 202]) {
  test(
    `fuzz seed ${seed}: no crash, error response, hang or bad range`,
    { skip: absent ?? false, timeout: 600_000 },
    async () => {
      if ('absent' in corpus) return;
      const report = await runFuzz({
        seed,
        operations: 10_000,
        durationMs: 60_000,
        corpus: corpus.nets,
        outDir: path.join(os.tmpdir(), 'caffe-prototxt-fuzz'),
      });
      console.log(summarize([report]));
      assert.ok(report.requests > 50, `only ${report.requests} requests`);
      assert.deepEqual(
        report.failures.map((f) => `${f.kind}: ${f.message.split('\n')[0]} (${f.reproducer})`),
        [],
      );
    },
  );
}
