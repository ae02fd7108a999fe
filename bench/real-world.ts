// Real-world throughput as users meet it: `caffe-prototxt check --schema <the fork's caffe.proto>`
// as a whole process on the largest real nets of the corpus made ~10 MB (bench/real-nets.ts), against
// `protoc --encode` as a whole process on the same file and schema, taking turns.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Figure } from './figures';
import { cliPath, median, runProcess, takeTurns } from './processes';
import { largestRealNets, repeatNet } from './real-nets';
import { corpusRoot } from './resnet152-train-val';

const MB = 1024 * 1024;

export function realWorldFigures(log: (line: string) => void, sizeMB = 10, rounds = 5): Figure[] {
  return [...realNetFigures(log, sizeMB, rounds), ...corpusFolderFigures(log)];
}

function realNetFigures(log: (line: string) => void, sizeMB: number, rounds: number): Figure[] {
  const nets = largestRealNets(4);
  if (nets.length === 0) {
    log('real-world: ../shared/corpus is absent, skipped');
    return [];
  }
  if (spawnSync('protoc', ['--version']).status !== 0) {
    log('real-world: protoc is not installed (Debian package protobuf-compiler), skipped');
    return [];
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-real-'));
  try {
    return nets.map((net) => {
      const { text, copies } = repeatNet(net.text, { bytes: sizeMB * MB });
      const file = path.join(dir, `${path.basename(net.rel, '.prototxt')}-x${copies}.prototxt`);
      fs.writeFileSync(file, text);
      const bytes = Buffer.byteLength(text);
      const schemaDir = path.join(corpusRoot, 'schemas', net.schema);
      const protocCommand =
        `protoc --encode=caffe.${net.message} --proto_path="${schemaDir}" caffe.proto ` +
        `< "${file}" > /dev/null`;
      const times = takeTurns(
        {
          ours: () =>
            runProcess(process.execPath, [cliPath, 'check', '--schema', `${schemaDir}/caffe.proto`, file]),
          protoc: () => runProcess('sh', ['-c', protocCommand]),
        },
        rounds,
        false,
      );
      const failed = [...times.ours, ...times.protoc].find((r) => r.status !== 0);
      if (failed)
        log(`real-world: ${net.rel}: a run failed (${failed.status}): ${failed.stderr.slice(0, 200)}`);
      const ours = median(times.ours.map((r) => r.seconds));
      const protoc = median(times.protoc.map((r) => r.seconds));
      return {
        name: `check, ${path.basename(net.rel)} ×${copies} under ${net.schema} (${(bytes / MB).toFixed(1)} MB)`,
        value: bytes / MB / ours,
        unit: 'MB/s',
        ratio: {
          anchor: `protoc --encode ${(bytes / MB / protoc).toFixed(1)} MB/s`,
          value: protoc / ours,
          target: 0.5,
          higherIsBetter: true,
        },
        note: `whole processes, median of ${rounds}: ours ${ours.toFixed(2)} s, protoc ${protoc.toFixed(2)} s`,
      };
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `check` of the whole corpus folder from a folder outside it, as a whole process: the folder (no
 * repository) is the workspace root, and every net asks which solvers build it and every solver looks
 * for its files in the folders up to it (each file's solvers and modules once, not once per file).
 */
function corpusFolderFigures(log: (line: string) => void, rounds = 3): Figure[] {
  const folder = path.join(corpusRoot, 'files');
  if (!fs.existsSync(folder)) return [];
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-outside-'));
  try {
    const runs = Array.from({ length: rounds }, () =>
      runProcess(process.execPath, [cliPath, 'check', '--format', 'json', folder], { cwd: outside }),
    );
    // 1: problems found (the corpus holds nets that protobuf rejects); anything else is a failure.
    const failed = runs.find((r) => r.status !== 0 && r.status !== 1);
    if (failed)
      log(`real-world: check of the corpus folder failed (${failed.status}): ${failed.stderr.slice(0, 200)}`);
    const files = (JSON.parse(runs[0].stdout) as unknown[]).length;
    const bytes = folderBytes(folder);
    const seconds = median(runs.map((r) => r.seconds));
    return [
      {
        name: `check of the corpus folder from outside it (${files} files, ${(bytes / MB).toFixed(1)} MB, the folder its workspace root)`,
        value: seconds,
        unit: 's',
        note: `whole process, median of ${rounds}; ${(bytes / MB / seconds).toFixed(2)} MB/s`,
      },
    ];
  } finally {
    fs.rmSync(outside, { recursive: true, force: true });
  }
}

function folderBytes(folder: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath ?? entry.path, entry.name)).size;
  }
  return total;
}
