// `npm run fuzz -- [--minutes N] [--seed S] [--seeds K] [--out DIR] [--from DIR]`: fuzzes the built server for N
// minutes (default 5) from seed S (default 1), K seeds one after another, and prints crashes, hangs,
// error responses and latency percentiles. `npm run fuzz -- --replay FILE` runs a saved reproducer again.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadCorpus, loadNets } from './corpus';
import { replay, runFuzz, type FuzzReport, type Reproducer } from './driver';
import { summarize } from './stats';
import { repoRoot } from '../helpers/paths';

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

async function main(args: string[]): Promise<number> {
  const replayFile = option(args, '--replay');
  if (replayFile) {
    const outcome = await replay(JSON.parse(readFileSync(replayFile, 'utf8')) as Reproducer);
    process.stdout.write(`${outcome}\n`);
    return 0;
  }
  const minutes = Number(option(args, '--minutes') ?? 5);
  const seed = Number(option(args, '--seed') ?? 1);
  const seeds = Number(option(args, '--seeds') ?? 1);
  const outDir = path.resolve(option(args, '--out') ?? path.join(repoRoot, 'out', 'fuzz'));
  if (!(minutes > 0) || !Number.isInteger(seed) || !(seeds >= 1)) {
    process.stderr.write(
      'usage: npm run fuzz -- [--minutes N] [--seed S] [--seeds K] [--out DIR] [--from DIR] | --replay FILE\n',
    );
    return 2;
  }
  // --from DIR: the nets of another repository instead of the shared corpus.
  const from = option(args, '--from');
  const corpus = from ? loadNets(path.resolve(from)) : loadCorpus();
  if ('absent' in corpus) {
    process.stderr.write(`fuzz: ${corpus.absent}\n`);
    return 2;
  }
  const reports: FuzzReport[] = [];
  for (let i = 0; i < seeds; i++) {
    reports.push(
      await runFuzz({
        seed: seed + i,
        operations: Number.MAX_SAFE_INTEGER,
        durationMs: (minutes * 60_000) / seeds,
        corpus: corpus.nets,
        outDir,
        log: (line) => process.stderr.write(`${line}\n`),
      }),
    );
  }
  process.stdout.write(`${summarize(reports)}\n`);
  return reports.some((r) => r.failures.length > 0) ? 1 : 0;
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
