// Start-up as users meet it, each a ratio to a bare `node -e 0` measured in the same run (all of them
// take turns): `caffe-prototxt --help`, `check` of one small file with `--schema` (as a pre-commit hook
// runs it again and again, with the results kept by earlier runs, and as its first run, without them),
// the language server's answer to `initialize` counted from spawn, and its first diagnostics of a
// ResNet-152 train_val counted from didOpen.

import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Figure } from './figures';
import { startBenchServer } from './lsp-process';
import { bareNode, cliPath, median, repoRoot, runProcess } from './processes';
import { corpusRoot, resnet152TrainVal } from './resnet152-train-val';

const SMALL_NET = path.join(repoRoot, 'examples/net/train_val.prototxt');

export async function startupFigures(log: (line: string) => void, rounds = 7): Promise<Figure[]> {
  const bvlc = path.join(corpusRoot, 'schemas/bvlc/caffe.proto');
  const schemaArgs = fs.existsSync(bvlc) ? ['--schema', bvlc] : [];
  const net = resnet152TrainVal();
  const samples = { node: [] as number[], help: [] as number[], check: [] as number[], cold: [] as number[] };
  const checkArgs = [cliPath, 'check', ...schemaArgs, SMALL_NET];
  const withoutKept = { ...process.env, CAFFE_PROTOTXT_NO_CACHE: '1' };
  const initialize: number[] = [];
  const firstDiagnostics: number[] = [];
  // One warm-up of each: the code cache is written by the first start of a new bundle.
  runProcess(process.execPath, [cliPath, '--help']);
  runProcess(process.execPath, checkArgs);
  await serverStart(net);
  for (let round = 0; round < rounds; round++) {
    samples.node.push(bareNode().seconds * 1000);
    samples.help.push(runProcess(process.execPath, [cliPath, '--help']).seconds * 1000);
    samples.check.push(runProcess(process.execPath, checkArgs).seconds * 1000);
    samples.cold.push(runProcess(process.execPath, checkArgs, { env: withoutKept }).seconds * 1000);
    const server = await serverStart(net);
    initialize.push(server.initializeMs);
    if (server.diagnosticsMs !== undefined) firstDiagnostics.push(server.diagnosticsMs);
  }
  const node = median(samples.node);
  const vsNode = (ms: number, target: number) => ({
    anchor: `node -e 0 (${node.toFixed(0)} ms)`,
    value: ms / node,
    target,
    higherIsBetter: false,
  });
  const figures: Figure[] = [
    { name: 'start-up: node -e 0', value: node, unit: 'ms', note: `median of ${rounds}` },
    {
      name: 'start-up: caffe-prototxt --help',
      value: median(samples.help),
      unit: 'ms',
      ratio: vsNode(median(samples.help), 2.5),
    },
    {
      name: `start-up: caffe-prototxt check ${schemaArgs.length ? '--schema bvlc ' : ''}examples/net/train_val.prototxt`,
      value: median(samples.check),
      unit: 'ms',
      ratio: vsNode(median(samples.check), 5),
    },
    {
      name: 'start-up: the same check without the results kept by earlier runs (its first run)',
      value: median(samples.cold),
      unit: 'ms',
      ratio: {
        anchor: `node -e 0 (${node.toFixed(0)} ms)`,
        value: median(samples.cold) / node,
        higherIsBetter: false,
      },
      note: 'the schema read and the Python layers parsed again',
    },
    {
      name: 'start-up: server initialize answered, from spawn',
      value: median(initialize),
      unit: 'ms',
      ratio: vsNode(median(initialize), 3),
    },
  ];
  if (net && firstDiagnostics.length > 0) {
    figures.push({
      name: `start-up: first diagnostics after didOpen, ResNet-152 train_val (${net.split('\n').length} lines)`,
      value: median(firstDiagnostics),
      unit: 'ms',
      target: { value: 300 },
      ratio: {
        anchor: `node -e 0 (${node.toFixed(0)} ms)`,
        value: median(firstDiagnostics) / node,
        higherIsBetter: false,
      },
      note: 'target on an idle machine',
    });
  } else log('start-up: ../shared/corpus is absent, first diagnostics skipped');
  return figures;
}

/** A fresh server: its initialize time, and the time from didOpen to the first diagnostics of `net`. */
async function serverStart(
  net: string | undefined,
): Promise<{ initializeMs: number; diagnosticsMs?: number }> {
  const server = await startBenchServer();
  try {
    if (net === undefined) return { initializeMs: server.initializeMs };
    const uri = 'file:///bench/startup/train_val.prototxt';
    const sent = performance.now();
    server.open(uri, net);
    const at = await server.diagnosticsAt(uri, 1);
    return { initializeMs: server.initializeMs, diagnosticsMs: at - sent };
  } finally {
    await server.stop();
  }
}
