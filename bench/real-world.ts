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
