// Runs solvers and small programs with the real pycaffe (BVLC Caffe, CPU) and returns what glog printed.
// The pycaffe folder comes from CAFFE_PROTOTXT_PYCAFFE, else scripts/pycaffe.sh's cache; tests that need
// it skip with the reason when it is absent, and fail instead under CI=true.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './paths';
import { missing, pycaffePath, strict } from './resources';

export interface Pycaffe {
  /** The folder holding the `caffe` package, when found. */
  folder?: string;
  /** Why it is absent (a test's skip reason), or false when found. */
  missing: string | false;
}

/** The pycaffe of test/helpers/resources.ts ($CAFFE_PROTOTXT_PYCAFFE, else scripts/pycaffe.sh's build). */
export function findPycaffe(): Pycaffe {
  const why = missing('pycaffe');
  const folder = pycaffePath();
  return why === undefined && folder !== undefined
    ? { folder, missing: false }
    : { missing: why ?? 'no pycaffe' };
}

/** A test's skip option: the reason locally, never under CI=true (the test then fails on its own). */
export function skipUnlessPycaffe(found: Pycaffe): string | false {
  return found.missing !== false && !strict ? found.missing : false;
}

/** Caffe's solve(): max_iter iterations, the final display and test, then "Optimization Done". */
const SOLVE = 'import sys, caffe\ncaffe.set_mode_cpu()\ncaffe.SGDSolver(sys.argv[1]).solve()\n';

/** Solves `solver` in `cwd` (where its relative net path resolves); the log is glog's standard error. */
export function solveWithCaffe(pycaffe: string, solver: string, cwd: string): PythonRun {
  return runWithPycaffe(pycaffe, SOLVE, [solver], cwd);
}

export interface PythonRun {
  status: number | null;
  /** Standard output. */
  out: string;
  /** Standard error: glog's lines. */
  log: string;
  error?: Error;
}

/** Runs a Python program with pycaffe importable and glog writing everything to standard error. */
export function runWithPycaffe(
  pycaffe: string,
  program: string,
  args: readonly string[],
  cwd: string,
): PythonRun {
  const run = spawnSync('/usr/bin/python3', ['-c', program, ...args], {
    cwd,
    env: { ...process.env, PYTHONPATH: pycaffe, GLOG_minloglevel: '0', GLOG_logtostderr: '1' },
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    status: run.status,
    out: run.stdout ?? '',
    log: run.stderr ?? '',
    ...(run.error ? { error: run.error } : {}),
  };
}

/** The log from "Solving <net>" on: the net set-up lines before it say nothing about training. */
export function fromSolving(log: string): string {
  const at = log.search(/^.*\] Solving /m);
  return at < 0 ? log : log.slice(at);
}

/**
 * Runs `use` in a new folder (named from `prefix`) that holds the training fixtures' net.prototxt, the
 * net their solvers name as "net.prototxt"; the folder is removed afterwards.
 */
export function withTrainingNet<T>(prefix: string, use: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  try {
    fs.copyFileSync(
      path.join(repoRoot, 'test/fixtures/training/net.prototxt'),
      path.join(dir, 'net.prototxt'),
    );
    return use(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
