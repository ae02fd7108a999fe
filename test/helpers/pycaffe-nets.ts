// Builds many nets with the real pycaffe (test/helpers/pycaffe_nets.py) in as few Python processes as
// possible: one for all of them, and one more after each net whose failed CHECK aborts the process.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pycaffeEnv, SYSTEM_PYTHON } from './resources';

export interface NetJob {
  text: string;
  phase: 'TRAIN' | 'TEST';
  /** Also run one forward and one backward pass (what training does first). */
  backward?: boolean;
}

/** What Caffe built: every blob's shape, each layer's parameter blob counts, its log's memory figure. */
export interface CaffeNet {
  blobs: Record<string, number[]>;
  params: Record<string, number[]>;
  /** [name, type, top names] per layer, Split layers included. */
  layers: [string, string, string[]][];
  /** The element count of each top of each layer (as Net::Init adds them up). */
  topCounts: number[][];
  /** "Memory required for data" from Caffe's log (its last such line), in bytes. */
  dataBytes?: number;
  /** The layers Caffe's log says do not need backward computation, in the log's order. */
  noBackward: string[];
  /** With `backward`: the blobs holding a NaN or an infinity after the forward pass. */
  nonFinite?: string[];
}

export type CaffeVerdict = { net: CaffeNet } | { refused: string };

const SCRIPT = path.join(__dirname, 'pycaffe_nets.py');

/** Caffe's answer for every job, in order. Throws when the Python side fails in another way. */
export function buildWithPycaffe(jobs: readonly NetJob[]): CaffeVerdict[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pycaffe-nets-'));
  const verdicts: CaffeVerdict[] = [];
  try {
    const jobsFile = path.join(dir, 'jobs.json');
    fs.writeFileSync(jobsFile, JSON.stringify(jobs));
    while (verdicts.length < jobs.length) {
      const first = verdicts.length;
      const r = spawnSync(SYSTEM_PYTHON, [SCRIPT, jobsFile, String(first), dir], {
        env: { ...pycaffeEnv(), GLOG_minloglevel: '0', GLOG_logtostderr: '1' },
        encoding: 'utf8',
        maxBuffer: 1 << 30,
      });
      const logs = logsByJob(r.stderr);
      for (const line of r.stdout.split('\n')) {
        if (!line.trim()) continue;
        const out = JSON.parse(line) as Partial<CaffeNet> & { i: number; error?: string };
        if (out.i !== verdicts.length) throw new Error(`pycaffe_nets.py answered job ${out.i} out of order`);
        if (out.error !== undefined) {
          verdicts.push({ refused: out.error });
          continue;
        }
        // Caffe logs the running total after each layer it sets up: the last line is the net's figure.
        const log = logs.get(out.i) ?? '';
        const memory = [...log.matchAll(/Memory required for data: (\d+)/g)].pop();
        const noBackward = [...log.matchAll(/\] (\S+) does not need backward computation\./g)].map(
          (m) => m[1],
        );
        verdicts.push({
          net: { ...(out as CaffeNet), dataBytes: memory ? Number(memory[1]) : undefined, noBackward },
        });
      }
      if (r.status === 0) continue;
      // The process died in the job after the last answered one: Caffe refused that net.
      const died = verdicts.length;
      const log = logs.get(died);
      if (died >= jobs.length || log === undefined) {
        throw new Error(`pycaffe_nets.py failed (${r.status ?? r.signal}): ${r.stderr.slice(-2000)}`);
      }
      const fatal = log.split('\n').find((l) => /^F\d{4}|Check failed/.test(l));
      verdicts.push({ refused: (fatal ?? log.trim().split('\n').pop() ?? 'aborted').trim() });
    }
    return verdicts;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Caffe's log of each job, cut at the markers the script writes. */
function logsByJob(stderr: string): Map<number, string> {
  const logs = new Map<number, string>();
  const parts = stderr.split(/\n@@start (\d+)\n/);
  for (let k = 1; k + 1 < parts.length; k += 2) {
    logs.set(Number(parts[k]), parts[k + 1].split(/\n@@end \d+\n/)[0]);
  }
  return logs;
}

/** Caffe's registered layer types, from the same pycaffe. */
export function caffeLayerTypes(): Set<string> {
  const r = spawnSync(SYSTEM_PYTHON, ['-c', 'import caffe; print("\\n".join(caffe.layer_type_list()))'], {
    env: pycaffeEnv(),
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`caffe.layer_type_list() failed: ${r.stderr}`);
  return new Set(r.stdout.split('\n').filter(Boolean));
}

/** A net case of a test: what it is, and Caffe's words when it refuses it (undefined: it builds it). */
export interface RefusalCase {
  what: string;
  caffe?: string;
}

/**
 * Asserts that caffe.Net refuses exactly the cases that give Caffe's words, with those words (with
 * `backward`, when building the net or in its first forward and backward passes).
 */
export function assertCaffeRefuses<C extends RefusalCase>(
  cases: readonly C[],
  netOf: (c: C) => string,
  phase: NetJob['phase'] = 'TRAIN',
  backward = false,
): void {
  const verdicts = buildWithPycaffe(cases.map((c) => ({ text: netOf(c), phase, backward })));
  cases.forEach((c, i) => {
    const v = verdicts[i];
    if (c.caffe === undefined)
      assert.ok('net' in v, `${c.what}: Caffe refused it: ${'refused' in v ? v.refused : ''}`);
    else {
      assert.ok('refused' in v, `${c.what}: Caffe built it`);
      assert.ok(v.refused.includes(c.caffe), `${c.what}: Caffe said ${v.refused}`);
    }
  });
}
