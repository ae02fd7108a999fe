// Analysis throughput: parse + validate in MB/s over the corpus and over a generated 20 MB
// net, beside protoc's C++ TextFormat parser (whole process) on the same 20 MB file and the npm
// package prototxt-parser on a smaller net without comments. Figures only; nothing asserted.

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyze } from '../server/src/analysis/analyze';
import { parse } from '../server/src/parser/parse';
import { bundledForkSchemas } from '../server/src/workspace/bundled-choices';
import { loadBundledSchema } from '../server/src/schema/bundled';
import type { Figure } from './figures';
import { generateNet } from './generate-net';
import { corpusRoot } from './resnet152-train-val';

const MB = 1024 * 1024;

export function engineFigures(log: (line: string) => void): Figure[] {
  const schema = loadBundledSchema();
  const forks = bundledForkSchemas();
  // As `check` analyses a file: once, keeping nothing for a next version (the editor does keep it).
  const check = (text: string) =>
    analyze(text, parse(text), { schema, schemaKind: 'bundled', forks, keepForNextVersion: false });
  const figures: Figure[] = [];

  // Corpus: every file, parse + validate, one pass after a warm-up pass.
  const files = corpusFiles();
  if (files.length) {
    const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
    const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
    texts.forEach(check);
    const t0 = performance.now();
    texts.forEach(check);
    const s = (performance.now() - t0) / 1000;
    figures.push({
      name: `corpus parse+validate (${files.length} files, ${(bytes / MB).toFixed(1)} MB)`,
      value: bytes / MB / s,
      unit: 'MB/s',
    });
  } else {
    log('corpus: ../shared/corpus is absent, corpus figures skipped');
  }

  // prototxt-parser on a 128 KB net without comments, ours on the same text: that package hangs on
  // `#` comments after a value and overflows its stack on nets of about 1 MB. Turns again: one of
  // theirs, then five of ours, seven times. Measured before the 20 MB net: after it, the heap is still
  // busy with the big trees (their marking under way), which says more about this script's order
  // than about a 128 KB net.
  const small = generateNet(128 * 1024).replace(/#[^\n]*/g, '');
  const smallBytes = Buffer.byteLength(small);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const other = require('prototxt-parser') as { parse(text: string): unknown };
  const theirTimes: number[] = [];
  const oursSmallTimes: number[] = [];
  let theirsFailed = false;
  for (let round = 0; round < 7; round++) {
    if (!theirsFailed) {
      try {
        theirTimes.push(timed(() => other.parse(small)));
      } catch (error) {
        theirsFailed = true;
        log(`prototxt-parser failed on the 128 KB net: ${String(error).split('\n')[0].slice(0, 80)}`);
      }
    }
    for (let i = 0; i < 5; i++) oursSmallTimes.push(timed(() => check(small)));
  }
  const theirs = theirsFailed || theirTimes.length === 0 ? undefined : median(theirTimes);
  const oursSmall = median(oursSmallTimes);
  figures.push({
    name: '128 KB net (no comments) parse+validate',
    value: smallBytes / MB / oursSmall,
    unit: 'MB/s',
    ratio:
      theirs === undefined
        ? undefined
        : {
            anchor: `prototxt-parser ${(smallBytes / MB / theirs).toFixed(2)} MB/s (parse only)`,
            value: theirs / oursSmall,
            target: 25,
            higherIsBetter: true,
          },
  });

  // The 20 MB net: ours vs protoc.
  const big = generateNet(20 * MB);
  const bigBytes = Buffer.byteLength(big);
  check(generateNet(MB)); // warm-up
  const parseOnly = medianOf(3, () => parse(big));
  figures.push({ name: '20 MB net parse only', value: bigBytes / MB / parseOnly, unit: 'MB/s' });
  // Ours and protoc take turns, so a busy spell of this shared machine falls on both.
  const protoc = protocRunner(big, log);
  const oursTimes: number[] = [];
  const protocTimes: number[] = [];
  for (let round = 0; round < 5; round++) {
    oursTimes.push(timed(() => check(big)));
    if (protoc) protocTimes.push(protoc.run());
  }
  protoc?.dispose();
  const ours = median(oursTimes);
  const oursMBs = bigBytes / MB / ours;
  const protocSeconds = protocTimes.length > 0 ? median(protocTimes) : undefined;
  figures.push({
    name: `20 MB net parse+validate`,
    value: oursMBs,
    unit: 'MB/s',
    ratio: protocSeconds
      ? {
          anchor: `protoc ${(bigBytes / MB / protocSeconds).toFixed(1)} MB/s`,
          value: protocSeconds / ours,
          target: 0.5,
          higherIsBetter: true,
        }
      : undefined,
  });
  return figures;
}

/** Wall time of one call, in seconds. */
function timed(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return (performance.now() - t0) / 1000;
}

function median(times: readonly number[]): number {
  return [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

/** The median wall time of `n` runs, in seconds (the machine is shared: one run can be unlucky). */
function medianOf(n: number, fn: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push(timed(fn));
  return median(times);
}

function corpusFiles(): string[] {
  const oracle = path.join(corpusRoot, 'ORACLE.tsv');
  if (!fs.existsSync(oracle)) return [];
  return fs
    .readFileSync(oracle, 'utf8')
    .split('\n')
    .slice(1)
    .map((row) => row.split('\t')[0])
    .filter(Boolean)
    .map((rel) => path.join(corpusRoot, 'files', rel));
}

/** protoc --encode over the whole file as a whole process, one run per call; undefined when absent. */
function protocRunner(
  text: string,
  log: (line: string) => void,
): { run(): number; dispose(): void } | undefined {
  const proto = path.join(corpusRoot, 'schemas/bvlc/caffe.proto');
  const which = spawnSync('protoc', ['--version']);
  if (which.status !== 0 || !fs.existsSync(proto)) {
    log('protoc: not installed (Debian package protobuf-compiler) or BVLC caffe.proto absent; ratio skipped');
    return undefined;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-protoc-'));
  const input = path.join(dir, 'net.prototxt');
  fs.writeFileSync(input, text);
  const command = `protoc --encode=caffe.NetParameter --proto_path="${path.dirname(proto)}" caffe.proto < "${input}" > /dev/null`;
  return {
    run: () => timed(() => execFileSync('sh', ['-c', command])),
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
