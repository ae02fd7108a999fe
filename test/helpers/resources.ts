// What a test needs from the machine (the shared corpus, Python with numpy, Chromium, protoc, a real
// pycaffe) and one way to say so. Locally a test whose resource is missing is skipped with the reason
// (and how to get it); with CI=true it fails with that reason instead, so a CI run never passes by
// quietly testing less.
//
//   test('...', needs('corpus'), () => { ... })          // at declaration
//   test('...', async (t) => { if (!has(t, 'pycaffe')) return; ... })   // inside, after other checks

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { corpusRoot, repoRoot } from './paths';

export type Resource = 'corpus' | 'python' | 'python-yaml' | 'debugpy' | 'chromium' | 'protoc' | 'pycaffe';

export { repoRoot };
export const corpusDir = corpusRoot;
export const SYSTEM_PYTHON = '/usr/bin/python3';
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** True when a missing resource must fail the test (CI=true or CI=1). */
export const strict = /^(true|1)$/i.test(process.env.CI ?? '');

const PYCAFFE_SOURCE = path.resolve(
  process.env.CAFFE_PROTOTXT_PYCAFFE_SRC ?? path.join(repoRoot, '../shared/pycaffe'),
  'caffe-src.tar.gz',
);

/**
 * The folder to put on PYTHONPATH for the real pycaffe: $CAFFE_PROTOTXT_PYCAFFE, else where
 * scripts/pycaffe.sh builds it for the shared source (undefined when that source is absent too).
 */
export function pycaffePath(): string | undefined {
  const given = process.env.CAFFE_PROTOTXT_PYCAFFE;
  if (given) return path.resolve(given);
  if (!existsSync(PYCAFFE_SOURCE)) return undefined;
  const sum = createHash('sha256').update(readFileSync(PYCAFFE_SOURCE)).digest('hex').slice(0, 16);
  const cache = process.env.CAFFE_PROTOTXT_CACHE ?? path.join(os.homedir(), '.cache', 'caffe-prototxt');
  return path.join(cache, `pycaffe-${sum}`, 'python');
}

/** The environment for running Debian's Python with the real pycaffe importable and quiet. */
export function pycaffeEnv(): NodeJS.ProcessEnv {
  const folder = pycaffePath() ?? '';
  return { ...process.env, PYTHONPATH: folder, GLOG_minloglevel: '2' };
}

function pythonImports(module: string, env?: NodeJS.ProcessEnv): boolean {
  return spawnSync(SYSTEM_PYTHON, ['-c', `import ${module}`], { env, stdio: 'ignore' }).status === 0;
}

const PROBES: Record<Resource, () => string | undefined> = {
  corpus: () =>
    existsSync(path.join(corpusDir, 'ORACLE.tsv')) && existsSync(path.join(corpusDir, 'files'))
      ? undefined
      : `the corpus is not at ${corpusDir} (it comes with ../shared beside the repository)`,
  python: () => {
    if (!existsSync(SYSTEM_PYTHON))
      return `${SYSTEM_PYTHON} is absent (apt-get install python3 python3-numpy)`;
    return pythonImports('numpy')
      ? undefined
      : `${SYSTEM_PYTHON} has no numpy (apt-get install python3-numpy)`;
  },
  'python-yaml': () =>
    missing('python') ??
    (pythonImports('yaml') ? undefined : `${SYSTEM_PYTHON} has no PyYAML (apt-get install python3-yaml)`),
  debugpy: () =>
    missing('python') ??
    (pythonImports('debugpy')
      ? undefined
      : `${SYSTEM_PYTHON} has no debugpy (apt-get install python3-debugpy)`),
  chromium: () => (existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is absent (apt-get install chromium)`),
  protoc: () =>
    spawnSync('protoc', ['--version'], { stdio: 'ignore' }).status === 0
      ? undefined
      : 'protoc is absent (apt-get install protobuf-compiler)',
  pycaffe: () => {
    const before = missing('python');
    if (before) return before;
    const folder = pycaffePath();
    const how = 'run scripts/pycaffe.sh and set CAFFE_PROTOTXT_PYCAFFE to the folder it prints';
    if (!folder) return `no pycaffe: ${PYCAFFE_SOURCE} is absent; ${how}`;
    if (!existsSync(path.join(folder, 'caffe', '_caffe.so'))) return `no pycaffe built in ${folder}; ${how}`;
    const probe = spawnSync(
      SYSTEM_PYTHON,
      ['-c', 'import caffe, sys; sys.exit(0 if "Python" in list(caffe.layer_type_list()) else 3)'],
      { env: pycaffeEnv(), encoding: 'utf8' },
    );
    if (probe.status === 3) return `the pycaffe in ${folder} was built without WITH_PYTHON_LAYER`;
    return probe.status === 0
      ? undefined
      : `the pycaffe in ${folder} does not import under ${SYSTEM_PYTHON}: ${probe.stderr.trim().split('\n').pop() ?? ''}`;
  },
};

// Each probe runs once per test process: its answer cannot change while the tests run.
const answers = new Map<Resource, string | undefined>();

/** Why `resource` cannot be used here, or undefined when it can. */
export function missing(resource: Resource): string | undefined {
  if (!answers.has(resource)) answers.set(resource, PROBES[resource]());
  return answers.get(resource);
}

function reasonFor(resources: readonly Resource[]): string | undefined {
  for (const r of resources) {
    const why = missing(r);
    if (why !== undefined) return strict ? `${why} (CI=true: a missing test resource fails)` : why;
  }
  return undefined;
}

/**
 * Options for `test(name, needs(...), fn)`: nothing when every resource is there; else skipped with the
 * reason, or under CI=true a test that fails with it (an aborted signal fails the test before it runs).
 */
export function needs(...resources: Resource[]): { skip?: string; signal?: AbortSignal } {
  const why = reasonFor(resources);
  if (why === undefined) return {};
  return strict ? { signal: AbortSignal.abort(new Error(why)) } : { skip: why };
}

/**
 * For tests written with `{ skip: reason }`: the reason locally; undefined under CI=true, so the test
 * runs and fails on the missing resource. Prefer `needs(...)`, which fails with the reason itself.
 */
export function skipReason(...resources: Resource[]): string | undefined {
  return strict ? undefined : reasonFor(resources);
}

/**
 * Inside a running test: true when every resource is there; otherwise the test is skipped with the
 * reason (false is returned: the caller returns), or under CI=true it fails with it.
 */
export function has(t: TestContext, ...resources: Resource[]): boolean {
  const why = reasonFor(resources);
  if (why === undefined) return true;
  if (strict) throw new Error(why);
  t.skip(why);
  return false;
}
